// "Compare" for a conflict: a side-by-side diff of the disk version (left) and the buffer (right).
import type { LongmodeApi } from '../../main/common/contract';
import { h } from '../layout/dom';
import type { OpenDocument } from './document';
import { monaco, languageForPath } from './monaco-setup';

export class CompareView {
  private readonly overlay = h('div', { class: 'compare-overlay', role: 'dialog', 'aria-label': 'Compare with disk', hidden: true });
  private diff: monaco.editor.IStandaloneDiffEditor | undefined;
  private original: monaco.editor.ITextModel | undefined;

  constructor(host: HTMLElement, private readonly api: LongmodeApi) {
    host.append(this.overlay);
  }

  async show(doc: OpenDocument): Promise<void> {
    const disk = await this.api.call('fs.read', { path: doc.path });
    this.close();
    const body = h('div', { class: 'compare-body' });
    this.overlay.replaceChildren(
      h('div', { class: 'compare-header' }, h('span', {}, `${doc.path}: on disk (left) ↔ your buffer (right)`), h('button', { onclick: () => this.close() }, 'Close')),
      body,
    );
    this.overlay.hidden = false;
    this.original = monaco.editor.createModel(disk.text, languageForPath(doc.path));
    this.diff = monaco.editor.createDiffEditor(body, { automaticLayout: true, readOnly: false, originalEditable: false, theme: 'longmode-dark' });
    this.diff.setModel({ original: this.original, modified: doc.model });
  }

  close(): void {
    this.diff?.setModel(null);
    this.diff?.dispose();
    this.original?.dispose();
    this.diff = undefined;
    this.original = undefined;
    this.overlay.hidden = true;
  }
}
