// A small inline form instead of window.prompt (blocked in sandboxed renderers): a label, a text
// field or a yes/no question, Enter confirms, Escape cancels.
import { h } from '../layout/dom';

export function askText(host: HTMLElement, label: string, initial = ''): Promise<string | undefined> {
  return new Promise((resolve) => {
    const input = h('input', { type: 'text', 'aria-label': label, value: initial, spellcheck: 'false' });
    const form = h('form', { class: 'inline-prompt' }, h('label', {}, label), input);
    const done = (value: string | undefined) => {
      form.remove();
      resolve(value);
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      done(input.value.trim() || undefined);
    });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') done(undefined);
    });
    input.addEventListener('blur', () => setTimeout(() => form.isConnected && done(undefined), 150));
    host.replaceChildren(form);
    input.focus();
    const dot = initial.lastIndexOf('.');
    input.setSelectionRange(initial.lastIndexOf('/') + 1, dot > 0 ? dot : initial.length);
  });
}

export function askYesNo(host: HTMLElement, question: string, yes: string): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (answer: boolean) => {
      box.remove();
      resolve(answer);
    };
    const box = h(
      'div',
      { class: 'inline-prompt', role: 'alertdialog', 'aria-label': question },
      h('span', {}, question),
      h('button', { class: 'danger', onclick: () => done(true) }, yes),
      h('button', { onclick: () => done(false) }, 'Cancel'),
    );
    host.replaceChildren(box);
    (box.querySelector('button.danger') as HTMLButtonElement).focus();
  });
}
