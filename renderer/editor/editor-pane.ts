// The editor area: tabs over one Monaco editor whose model is swapped per file, a conflict bar,
// build diagnostics as markers, saving with a stale-version check, and backups of dirty buffers
// (hot exit) that are restored on the next start.
import type { BufferBackup, Diagnostic, Events, LongmodeApi } from '../../main/common/contract';
import type { BufferBackups } from './buffer-backups';
import { errorText, h } from '../layout/dom';
import { ConflictBar } from './conflict-bar';
import { OpenDocument } from './document';
import { monaco, setUpMonaco } from './monaco-setup';
import { TabStrip } from './tab-strip';
import { CompareView } from './compare-view';
import { markersFor } from './markers';

export interface EditorPaneEvents {
  onChange(): void; // tabs, dirty state or active file changed
  onCursor(text: string): void;
  onError(message: string): void;
}

export class EditorPane {
  readonly editor: monaco.editor.IStandaloneCodeEditor;
  private readonly docs = new Map<string, OpenDocument>();
  private readonly tabs: TabStrip;
  private readonly conflictBar: ConflictBar;
  private readonly compare: CompareView;
  private readonly empty = h('div', { class: 'editor-empty' }, 'Open a file from the Explorer.');
  private diagnostics: Diagnostic[] = [];
  private active: string | undefined;

  constructor(
    host: HTMLElement,
    private readonly api: LongmodeApi,
    private readonly events: EditorPaneEvents,
    private readonly backups?: BufferBackups,
  ) {
    setUpMonaco();
    this.tabs = new TabStrip((path) => void this.open(path), (path) => this.close(path));
    this.conflictBar = new ConflictBar({
      keepMine: (doc) => {
        doc.keepMine();
        this.backUp(doc); // the backup's base version is now theirs
        this.refresh();
      },
      takeTheirs: (doc) => void this.reload(doc).then(() => this.refresh(), (e) => events.onError(errorText(e))),
      compare: (doc) => void this.compare.show(doc).catch((e) => events.onError(errorText(e))),
    });
    const editorHost = h('div', { class: 'monaco-host' });
    this.compare = new CompareView(host, api);
    host.append(this.tabs.element, this.conflictBar.element, editorHost, this.empty);
    this.editor = monaco.editor.create(editorHost, {
      model: null,
      theme: 'longmode-dark',
      automaticLayout: true,
      fontSize: 13,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      renderWhitespace: 'selection',
      fixedOverflowWidgets: true,
      ariaLabel: 'Source editor',
    });
    this.editor.onDidChangeCursorPosition((e) => events.onCursor(`Ln ${e.position.lineNumber}, Col ${e.position.column}`));
    // Monaco restores the alternative version id only after the change event of an undo/redo, so
    // the dirty state is read a microtask later (undoing back to the saved text makes a tab clean)
    this.editor.onDidChangeModelContent(() => queueMicrotask(() => this.refreshTabs()));
  }

  get activePath(): string | undefined {
    return this.active;
  }

  get openPaths(): string[] {
    return [...this.docs.keys()];
  }

  dirtyPaths(): string[] {
    return [...this.docs.values()].filter((d) => d.dirty).map((d) => d.path);
  }

  async open(path: string, at?: { line: number; column: number }): Promise<void> {
    let doc = this.docs.get(path);
    if (!doc) {
      doc = await OpenDocument.open(this.api, path);
      if (this.docs.has(path)) doc.dispose(); // opened twice concurrently: keep the first
      else this.adopt(doc);
      doc = this.docs.get(path)!;
    }
    if (this.active !== path) {
      const previous = this.active && this.docs.get(this.active);
      if (previous) previous.viewState = this.editor.saveViewState();
      this.active = path;
      this.editor.setModel(doc.model);
      if (doc.viewState) this.editor.restoreViewState(doc.viewState);
    }
    if (at) {
      const position = { lineNumber: at.line, column: at.column };
      this.editor.setPosition(position);
      this.editor.revealPositionInCenter(position);
    }
    this.editor.focus();
    this.refresh();
  }

  close(path: string): void {
    const doc = this.docs.get(path);
    if (!doc) return;
    if (doc.dirty && !confirm(`${path} has unsaved changes. Close it anyway and lose them?`)) return;
    this.docs.delete(path);
    this.backups?.clean(path);
    if (this.active === path) {
      this.active = undefined;
      this.editor.setModel(null);
      const next = [...this.docs.keys()].pop();
      if (next) void this.open(next);
    }
    doc.dispose();
    this.refresh();
  }

  /** The workspace changed: closes every tab without asking; unsaved edits stay backed up with their workspace. */
  forgetAll(): void {
    this.backups?.cancelPending();
    for (const doc of this.docs.values()) doc.dispose();
    this.docs.clear();
    this.active = undefined;
    this.editor.setModel(null);
    this.refresh();
  }

  /** Saves one file (default: the active one). Conflicts show the conflict bar instead of overwriting. */
  async save(path = this.active): Promise<boolean> {
    const doc = path ? this.docs.get(path) : undefined;
    if (!doc) return true;
    try {
      await doc.save(this.api);
      this.backUp(doc); // discards the backup, or keeps the edits typed while saving
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'conflict') {
        const theirs = await this.api.call('fs.read', { path: doc.path }).catch(() => undefined);
        doc.conflict = { theirVersion: theirs?.version, deleted: !theirs };
        void this.open(doc.path);
      } else {
        this.events.onError(`could not save ${doc.path}: ${errorText(error)}`);
      }
      return false;
    } finally {
      this.refresh();
    }
  }

  async saveAll(): Promise<boolean> {
    const results = await Promise.all(this.dirtyPaths().map((path) => this.save(path)));
    return results.every(Boolean);
  }

  /** A file changed on disk: reload a clean buffer, flag a dirty one; never overwrite silently. */
  async fileChanged(change: Events['fs.changed']): Promise<void> {
    const doc = this.docs.get(change.path);
    if (!doc) return;
    await doc.settled();
    if (change.kind === 'deleted') {
      if (doc.dirty) doc.conflict = { deleted: true };
      else {
        this.docs.delete(doc.path);
        this.backups?.clean(doc.path);
        if (this.active === doc.path) {
          this.active = undefined;
          this.editor.setModel(null);
        }
        doc.dispose();
      }
    } else if (change.version === undefined || change.version !== doc.version) {
      if (doc.dirty) doc.conflict = { theirVersion: change.version, deleted: false };
      else await this.reload(doc).catch((e) => this.events.onError(errorText(e)));
    }
    this.refresh();
  }

  /** After an explorer delete: close the tabs of the file or folder (the user already confirmed). */
  deletedFromExplorer(path: string): void {
    for (const doc of [...this.docs.values()]) {
      if (doc.path !== path && !doc.path.startsWith(path + '/')) continue;
      this.docs.delete(doc.path);
      this.backups?.clean(doc.path);
      if (this.active === doc.path) {
        this.active = undefined;
        this.editor.setModel(null);
      }
      doc.dispose();
    }
    if (!this.active) {
      const next = [...this.docs.keys()].pop();
      if (next) void this.open(next);
    }
    this.refresh();
  }

  /** After an explorer rename: the open buffer follows its file. */
  async renamed(from: string, to: string): Promise<void> {
    for (const doc of [...this.docs.values()]) {
      if (doc.path !== from && !doc.path.startsWith(from + '/')) continue;
      const wasActive = this.active === doc.path;
      const newPath = to + doc.path.slice(from.length);
      const text = doc.model.getValue();
      const dirty = doc.dirty;
      this.docs.delete(doc.path);
      this.backups?.clean(doc.path);
      if (wasActive) this.active = undefined;
      doc.dispose();
      const moved = await OpenDocument.open(this.api, newPath);
      this.adopt(moved);
      if (dirty) moved.model.setValue(text); // backed up under the new name
      if (wasActive) await this.open(newPath);
    }
    this.refresh();
  }

  /**
   * Hot exit: puts a backed-up buffer back, marked dirty. If the file changed on disk since the
   * backup was taken, the conflict bar asks which side to keep; if it is gone, the buffer keeps the text.
   */
  async restore(backup: BufferBackup): Promise<void> {
    let doc = this.docs.get(backup.path);
    if (!doc) {
      const opened = await OpenDocument.open(this.api, backup.path).catch((error: { code?: string }) => {
        if (error.code === 'not-found') return OpenDocument.detached(backup.path, backup.text);
        throw error;
      });
      doc = this.docs.get(backup.path) ?? this.adopt(opened);
    }
    doc.applyBackup(backup.text, backup.baseVersion);
    this.backUp(doc); // a backup equal to the disk text is simply discarded
    if (!this.active) await this.open(doc.path);
    this.refresh();
  }

  setDiagnostics(diagnostics: Diagnostic[]): void {
    this.diagnostics = diagnostics;
    for (const doc of this.docs.values()) this.applyMarkers(doc);
  }

  /** Registers an open document: markers, and a backup after every edit that leaves it dirty. */
  private adopt(doc: OpenDocument): OpenDocument {
    this.docs.set(doc.path, doc);
    this.applyMarkers(doc);
    doc.model.onDidChangeContent(() =>
      queueMicrotask(() => {
        if (this.docs.get(doc.path) === doc && !doc.model.isDisposed()) this.backUp(doc);
      }),
    );
    return doc;
  }

  private backUp(doc: OpenDocument): void {
    if (doc.dirty) this.backups?.edited(doc.path, () => doc.model.getValue(), doc.version);
    else this.backups?.clean(doc.path);
  }

  /** Takes the disk text; the buffer is clean again, so its backup goes. */
  private async reload(doc: OpenDocument): Promise<void> {
    await doc.reload(this.api);
    this.backUp(doc);
  }

  private applyMarkers(doc: OpenDocument): void {
    monaco.editor.setModelMarkers(doc.model, 'build', markersFor(this.diagnostics, doc.path, doc.model));
  }

  private refresh(): void {
    const doc = this.active ? this.docs.get(this.active) : undefined;
    this.empty.hidden = this.docs.size > 0;
    this.conflictBar.show(doc);
    this.refreshTabs();
  }

  private refreshTabs(): void {
    this.tabs.render(
      [...this.docs.values()].map((d) => ({ path: d.path, dirty: d.dirty, conflict: !!d.conflict })),
      this.active,
    );
    this.events.onChange();
  }
}
