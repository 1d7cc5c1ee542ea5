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

  get dirty(): boolean {
    return this.model.getAlternativeVersionId() !== this.savedAltId;
  }

  /** Writes the buffer; refuses (code 'conflict') when the disk changed since we read it. */
  save(api: LongmodeApi): Promise<void> {
    const run = async () => {
      const altId = this.model.getAlternativeVersionId();
      const { version } = await api.call('fs.write', { path: this.path, text: this.model.getValue(), expectedVersion: this.version });
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
    if (content.text !== this.model.getValue()) {
      this.model.pushStackElement();
      this.model.pushEditOperations([], [{ range: this.model.getFullModelRange(), text: content.text }], () => null);
      this.model.pushStackElement();
    }
    this.version = content.version;
    this.savedAltId = this.model.getAlternativeVersionId();
    this.conflict = undefined;
  }

  /** Keep mine: the next save deliberately overwrites the disk version we have seen. */
  keepMine(): void {
    if (this.conflict?.theirVersion) this.version = this.conflict.theirVersion;
    this.conflict = undefined;
  }

  dispose(): void {
    this.model.dispose();
  }
}
