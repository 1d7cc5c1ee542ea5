// The Problems list: every diagnostic of the last build, grouped by file; click to jump.
import type { Diagnostic } from '../../main/common/contract';
import { h, setChildren } from '../layout/dom';

export class ProblemsPane {
  private readonly list = h('ul', { class: 'problems', 'aria-label': 'Problems list' });
  private readonly empty = h('p', { class: 'problems-empty' }, 'No problems. Build with Ctrl+B.');

  constructor(host: HTMLElement, private readonly jump: (d: Diagnostic) => void) {
    host.append(this.empty, this.list);
  }

  show(diagnostics: Diagnostic[]): void {
    this.empty.hidden = diagnostics.length > 0;
    const order = { error: 0, warning: 1, note: 2 };
    const sorted = [...diagnostics].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || order[a.severity] - order[b.severity]);
    setChildren(
      this.list,
      ...sorted.map((d) =>
        h(
          'li',
          { class: `problem ${d.severity}`, 'data-file': d.file, 'data-line': d.line },
          h(
            'button',
            { class: 'problem-link', onclick: () => this.jump(d), title: 'Go to the source line' },
            h('span', { class: 'severity', 'aria-label': d.severity }, d.severity === 'error' ? '⊗' : d.severity === 'warning' ? '⚠' : 'ℹ'),
            h('span', { class: 'problem-message' }, d.message.split('\n')[0]),
            d.code ? h('span', { class: 'problem-code' }, `[${d.code}]`) : undefined,
            h('span', { class: 'problem-where' }, `${d.file}:${d.line}:${d.column}`),
            h('span', { class: 'problem-tool' }, d.tool),
          ),
        ),
      ),
    );
  }
}

export function countProblems(diagnostics: Diagnostic[]): { errors: number; warnings: number } {
  return {
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
  };
}
