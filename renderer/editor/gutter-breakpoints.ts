// Breakpoints in Monaco's glyph margin: a click toggles a red dot; a breakpoint the debugger could
// not resolve is a hollow grey dot with the reason as hover text. The dots live on each file's model
// (so they survive tab switches) and follow edits; moved lines go back to the store. The current
// line of a stopped guest is a yellow line with an arrow in the margin.
import './debugger.css';
import type { SourceLocation } from '../../main/common/contract';
import type { BreakpointStore, BreakpointView } from './breakpoints';
import { monaco } from './monaco-setup';

const STICKY = monaco.editor.TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges;

export class GutterBreakpoints {
  /** model uri → decoration ids of its breakpoints, in the order of `lines` */
  private readonly drawn = new Map<string, { ids: string[]; lines: number[] }>();
  private currentLine: { model: monaco.editor.ITextModel; ids: string[] } | undefined;
  private current: SourceLocation | undefined;
  private readonly watched = new WeakSet<monaco.editor.ITextModel>();

  constructor(
    private readonly editor: monaco.editor.IStandaloneCodeEditor,
    private readonly store: BreakpointStore,
  ) {
    editor.updateOptions({ glyphMargin: true });
    editor.onMouseDown((e) => {
      if (e.target.type !== monaco.editor.MouseTargetType.GUTTER_GLYPH_MARGIN || !e.target.position) return;
      const file = this.activeFile();
      if (file) store.toggle(file, e.target.position.lineNumber);
    });
    editor.onDidChangeModel(() => this.drawActive());
    store.onChange((file) => {
      const model = modelOf(file);
      if (model) this.draw(model, file);
    });
  }

  /** The active file's path (workspace-relative), from the model's `workspace:` uri. */
  activeFile(): string | undefined {
    const model = this.editor.getModel();
    return model ? fileOf(model) : undefined;
  }

  /** Toggles the breakpoint on the cursor's line (F9). */
  toggleAtCursor(): void {
    const file = this.activeFile();
    const line = this.editor.getPosition()?.lineNumber;
    if (file && line) this.store.toggle(file, line);
  }

  /** Highlights where the guest stopped (undefined clears it). */
  showCurrentLine(at: SourceLocation | undefined): void {
    this.current = at;
    if (this.currentLine && !this.currentLine.model.isDisposed()) this.currentLine.model.deltaDecorations(this.currentLine.ids, []);
    this.currentLine = undefined;
    const model = at && modelOf(at.file);
    if (!model || !at) return;
    const line = Math.min(at.line, model.getLineCount());
    const ids = model.deltaDecorations([], [
      {
        range: new monaco.Range(line, 1, line, model.getLineMaxColumn(line)),
        options: {
          isWholeLine: true,
          className: 'lm-current-line',
          glyphMarginClassName: 'lm-current-arrow',
          glyphMargin: { position: monaco.editor.GlyphMarginLane.Right },
          glyphMarginHoverMessage: { value: 'The guest stopped here' },
          stickiness: STICKY,
          zIndex: 20,
        },
      },
    ]);
    this.currentLine = { model, ids };
  }

  private drawActive(): void {
    const model = this.editor.getModel();
    const file = model && fileOf(model);
    if (model && file) this.draw(model, file);
    if (this.current && model && this.current.file === file && this.currentLine?.model !== model) this.showCurrentLine(this.current);
  }

  private draw(model: monaco.editor.ITextModel, file: string): void {
    if (model.isDisposed()) return;
    this.follow(model, file);
    const key = model.uri.toString();
    const views = this.store.views(file).filter((v) => v.line <= model.getLineCount());
    const old = this.drawn.get(key)?.ids ?? [];
    const ids = model.deltaDecorations(old, views.map((v) => decoration(model, v)));
    this.drawn.set(key, { ids, lines: views.map((v) => v.line) });
  }

  /** After an edit: where did the dots go? Whole-buffer replacements (reload from disk) keep the lines. */
  private follow(model: monaco.editor.ITextModel, file: string): void {
    if (this.watched.has(model)) return;
    this.watched.add(model);
    model.onDidChangeContent((e) => {
      const key = model.uri.toString();
      const drawn = this.drawn.get(key);
      if (!drawn || !drawn.ids.length) return;
      const only = e.changes.length === 1 ? e.changes[0] : undefined;
      const replacedAll = e.isFlush || (only !== undefined && only.rangeOffset === 0 && only.text.length === model.getValueLength());
      if (replacedAll) return void queueMicrotask(() => this.draw(model, file));
      const moves = new Map<number, number>();
      drawn.ids.forEach((id, i) => {
        const range = model.getDecorationRange(id);
        if (range && range.startLineNumber !== drawn.lines[i]) moves.set(drawn.lines[i], range.startLineNumber);
      });
      if (moves.size) queueMicrotask(() => this.store.move(file, moves));
    });
  }
}

function decoration(model: monaco.editor.ITextModel, view: BreakpointView): monaco.editor.IModelDeltaDecoration {
  const hollow = view.status === 'unresolved';
  return {
    range: new monaco.Range(view.line, 1, view.line, model.getLineMaxColumn(view.line)),
    options: {
      glyphMarginClassName: `lm-breakpoint lm-breakpoint-${view.status}`,
      glyphMargin: { position: monaco.editor.GlyphMarginLane.Left },
      glyphMarginHoverMessage: { value: view.message ?? 'Breakpoint' },
      stickiness: STICKY,
      zIndex: hollow ? 5 : 10,
    },
  };
}

function fileOf(model: monaco.editor.ITextModel): string | undefined {
  return model.uri.scheme === 'workspace' ? model.uri.path.replace(/^\//, '') : undefined;
}

function modelOf(file: string): monaco.editor.ITextModel | null {
  return monaco.editor.getModel(monaco.Uri.from({ scheme: 'workspace', path: '/' + file }));
}

/** The editor's context menu: Toggle Breakpoint (F9) and Run to Cursor (Ctrl+F10). */
export function addDebugActions(editor: monaco.editor.IStandaloneCodeEditor, actions: { toggleBreakpoint(): void; runToCursor(): void }): void {
  editor.addAction({
    id: 'longmode.toggleBreakpoint',
    label: 'Toggle Breakpoint',
    keybindings: [monaco.KeyCode.F9],
    contextMenuGroupId: 'debug',
    contextMenuOrder: 1,
    run: () => actions.toggleBreakpoint(),
  });
  editor.addAction({
    id: 'longmode.runToCursor',
    label: 'Run to Cursor',
    keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.F10],
    contextMenuGroupId: 'debug',
    contextMenuOrder: 2,
    run: () => actions.runToCursor(),
  });
}
