// Shown over the editor when the file changed (or vanished) on disk while the buffer has unsaved
// edits: nothing is overwritten until the user picks a side.
import { h, setChildren } from '../layout/dom';
import type { OpenDocument } from './document';

export interface ConflictChoices {
  keepMine(doc: OpenDocument): void;
  takeTheirs(doc: OpenDocument): void;
  compare(doc: OpenDocument): void;
}

export class ConflictBar {
  readonly element = h('div', { class: 'conflict-bar', role: 'alert', hidden: true });

  constructor(private readonly choices: ConflictChoices) {}

  show(doc: OpenDocument | undefined): void {
    const conflict = doc?.conflict;
    this.element.hidden = !doc || !conflict;
    if (!doc || !conflict) return;
    const what = conflict.deleted ? 'was deleted on disk' : 'changed on disk';
    setChildren(
      this.element,
      h('span', {}, `${doc.path} ${what} while you have unsaved edits.`),
      h('button', { onclick: () => this.choices.keepMine(doc) }, 'Keep mine'),
      !conflict.deleted && h('button', { onclick: () => this.choices.takeTheirs(doc) }, 'Take theirs'),
      !conflict.deleted && h('button', { onclick: () => this.choices.compare(doc) }, 'Compare'),
    );
  }
}
