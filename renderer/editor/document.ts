// One open file: its Monaco model, the disk version it was loaded from or saved as, and whether
// it differs from disk. Dirty is tracked by Monaco's alternative version id, so undoing back to
// the saved text makes the tab clean again, and undo keeps working across saves and reloads.
import type { LongmodeApi } from '../../main/common/contract';
import { monaco, languageForPath } from './monaco-setup';

export interface Conflict {
  /** the disk version that differs from ours; undefined when the file was deleted */
  theirVersion?: string;
  deleted: boolean;
}

export class OpenDocument {
  version: string;
  conflict: Conflict | undefined;
  viewState: monaco.editor.ICodeEditorViewState | null = null;
  private savedAltId: number;
  private saving: Promise<unknown> = Promise.resolve();

  private constructor(
    public path: string,
    readonly model: monaco.editor.ITextModel,
    version: string,
  ) {
    this.version = version;
    this.savedAltId = model.getAlternativeVersionId();
  }

  static async open(api: LongmodeApi, path: string): Promise<OpenDocument> {
    const content = await api.call('fs.read', { path });
    const uri = monaco.Uri.from({ scheme: 'workspace', path: '/' + path });
    monaco.editor.getModel(uri)?.dispose();
    const model = monaco.editor.createModel(content.text, languageForPath(path), uri);
    return new OpenDocument(path, model, content.version);
  }

  /** Hot exit: a buffer whose file is gone from disk, holding its backed-up text (dirty, "deleted" conflict). */
  static detached(path: string, text: string): OpenDocument {
    const uri = monaco.Uri.from({ scheme: 'workspace', path: '/' + path });
    monaco.editor.getModel(uri)?.dispose();
    const doc = new OpenDocument(path, monaco.editor.createModel('', languageForPath(path), uri), '');
    doc.replaceText(text);
    doc.conflict = { deleted: true };
    return doc;
  }

  /**
   * Hot exit: puts backed-up text over the disk text as one undoable edit (so the buffer is dirty).
   * When the disk moved on since the backup's base version, the conflict bar asks which side to keep.
   */
  applyBackup(text: string, baseVersion: string | undefined): void {
    this.replaceText(text);
    if (baseVersion !== undefined && baseVersion !== this.version) {
      this.conflict = { theirVersion: this.version, deleted: false };
      this.version = baseVersion;
    }
  }

  get dirty(): boolean {
    return this.model.getAlternativeVersionId() !== this.savedAltId;
  }

  /** Writes the buffer; refuses (code 'conflict') when the disk changed since we read it. */
  save(api: LongmodeApi): Promise<void> {
    const run = async () => {
      const altId = this.model.getAlternativeVersionId();
      // no version: the file is not on disk (deleted, and "Keep mine" chosen), so saving creates it
      const { version } = await api.call('fs.write', { path: this.path, text: this.model.getValue(), expectedVersion: this.version || undefined });
      this.version = version;
      this.savedAltId = altId;
      this.conflict = undefined;
    };
    const saving = this.saving.then(run, run);
    this.saving = saving.catch(() => undefined);
    return saving;
  }

  /** Waits for a save in flight, so a change event for our own write is recognised by its version. */
  settled(): Promise<unknown> {
    return this.saving;
  }

  /** Replaces the buffer with the disk text as one undoable edit, and marks it clean. */
  async reload(api: LongmodeApi): Promise<void> {
    const content = await api.call('fs.read', { path: this.path });
    this.replaceText(content.text);
    this.version = content.version;
    this.savedAltId = this.model.getAlternativeVersionId();
    this.conflict = undefined;
  }

  /** Keep mine: the next save deliberately overwrites the disk version we have seen. */
  keepMine(): void {
    if (this.conflict?.deleted) this.version = '';
    else if (this.conflict?.theirVersion) this.version = this.conflict.theirVersion;
    this.conflict = undefined;
  }

  /** Replaces the whole text as one undoable edit. */
  private replaceText(text: string): void {
    if (text === this.model.getValue()) return;
    this.model.pushStackElement();
    this.model.pushEditOperations([], [{ range: this.model.getFullModelRange(), text }], () => null);
    this.model.pushStackElement();
  }

  dispose(): void {
    this.model.dispose();
  }
}
