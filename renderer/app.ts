// Wires the panes to the contract: explorer + editor, build, one-click boot, consoles, VGA.
import type { CallArgs, CallName, CallResult, Diagnostic, FileEntry, LongmodeApi, MenuCommand, UiState, WorkspaceInfo } from '../main/common/contract';
import { BuildController } from './build/build-controller';
import { ProblemsPane } from './build/problems-pane';
import { BreakpointStore } from './editor/breakpoints';
import { BufferBackups } from './editor/buffer-backups';
import { EditorPane } from './editor/editor-pane';
import { addDebugActions, GutterBreakpoints } from './editor/gutter-breakpoints';
import { ExplorerPane } from './explorer/explorer-pane';
import { DebugController } from './inspect/debug-controller';
import { mountInspectionPanes } from './inspect/inspection-panes';
import { installShortcuts } from './keyboard';
import { BottomPanel } from './layout/bottom-panel';
import { errorText, h } from './layout/dom';
import { createLayout } from './layout/layout';
import { enableSplitters, type PaneSizes } from './layout/splitters';
import { StatusBar } from './layout/status-bar';
import { Toolbar } from './layout/toolbar';
import { Notice } from './layout/notice';
import { createTerminal } from './terminal/terminal-view';
import type { Connection } from './transport/connection';
import { UiStateKeeper, paneSizesFrom } from './ui-state';
import { VgaPane } from './vga/vga-pane';
import { SerialConsole } from './vm/serial-console';
import { VmController } from './vm/vm-controller';

export async function startApp(root: HTMLElement, connection: Connection): Promise<void> {
  const api: LongmodeApi = connection.api;
  const layout = createLayout(root);
  const notice = new Notice(layout.notice);
  const error = (message: string) => notice.show(message, 'error');
  const status = new StatusBar(layout.statusBar, () => bottom.show('problems'));
  const bottom = new BottomPanel(layout.bottom);
  let sizes: PaneSizes = paneSizesFrom({});
  // the editor reports changes from its constructor on, before the other panes exist
  let explorer: ExplorerPane | undefined;
  let uiState: UiStateKeeper | undefined;
  let revealed: string | undefined;

  const backups = new BufferBackups(api, error);
  // the calls go out synchronously, before the page is gone
  window.addEventListener('pagehide', () => backups.writeNow());
  const editor: EditorPane = new EditorPane(layout.editor, api, {
    onChange: () => {
      uiState?.changed();
      const active = editor?.activePath;
      if (active && active !== revealed && explorer) {
        revealed = active;
        explorer.reveal(active);
      }
    },
    onCursor: (text) => status.setPosition(text),
    onError: error,
  }, backups);
  // gutter breakpoints: drawn by the editor, sent by the debug controller, kept in the UI state
  const breakpoints = new BreakpointStore();
  const gutter = new GutterBreakpoints(editor.editor, breakpoints);
  const debug = new DebugController(api, breakpoints, { showCurrentLine: (at) => gutter.showCurrentLine(at), error });
  const runToCursor = () => {
    const file = gutter.activeFile();
    const line = editor.editor.getPosition()?.lineNumber;
    if (file && line) void debug.runToLine(file, line);
    else error('run to cursor: put the cursor on a line of a kernel or bootloader source first');
  };
  addDebugActions(editor.editor, { toggleBreakpoint: () => gutter.toggleAtCursor(), runToCursor });
  const explorerPane = new ExplorerPane(layout.explorer, api, {
    open: (path) => void editor.open(path).catch((e) => error(`could not open ${path}: ${errorText(e)}`)),
    renamed: (from, to) => (breakpoints.rename(from, to), void editor.renamed(from, to)),
    deleted: (path) => (breakpoints.rename(path, undefined), editor.deletedFromExplorer(path)),
    error,
  });
  explorer = explorerPane;
  const keeper = new UiStateKeeper(api, (): UiState => ({
    openTabs: editor.openPaths,
    activeTab: editor.activePath,
    layout: { ...sizes },
    breakpoints: breakpoints.snapshot(),
  }));
  uiState = keeper;
  breakpoints.onChange((_file, change) => change === 'lines' && keeper.changed());

  const buildConsole = createTerminal(layout.bottom.querySelector('#panel-build')!, { input: false, label: 'Build output' });
  const serialView = createTerminal(layout.bottom.querySelector('#panel-serial')!, { input: true, label: 'Serial console input' });
  bottom.onShow(() => requestAnimationFrame(() => (buildConsole.fit(), serialView.fit())));
  const problems = new ProblemsPane(bottom.regions.problems, (d: Diagnostic) =>
    void editor.open(d.file, { line: d.line, column: d.column }).catch((e) => error(`could not open ${d.file}: ${errorText(e)}`)),
  );

  const vga = new VgaPane(layout.side, api);
  // inspection and debugging; a fault or a breakpoint opens its source line in the editor
  mountInspectionPanes(layout.side, api, {
    openSource: (at) => void editor.open(at.file, { line: at.line, column: 1 }).catch((e) => error(`could not open ${at.file}: ${errorText(e)}`)),
  });
  const serialMirror = h('pre', { class: 'visually-hidden serial-text', 'aria-live': 'off' });
  bottom.regions.serial.append(serialMirror);
  const serial = new SerialConsole(api, serialView, serialMirror, error);
  let toolbar: Toolbar;
  const build = new BuildController(api, {
    console: buildConsole,
    problems,
    setProgress: (fraction, label) => toolbar.setProgress(fraction, label),
    setStatus: (text, finished) => status.setBuild(text, finished),
    setCounts: (errors, warnings) => {
      status.setCounts(errors, warnings);
      bottom.setBadge('problems', errors + warnings ? String(errors + warnings) : '');
    },
    setMarkers: (diagnostics) => editor.setDiagnostics(diagnostics),
    setBuilding: () => toolbar.setVmState(vm.current.state, build.isBuilding),
    showPanel: (panel) => bottom.show(panel),
    error,
  }, () => editor.saveAll());
  // a boot (or a restart that has to boot) with breakpoints starts paused and arms them first
  const vmApi: LongmodeApi = {
    on: (event, listener) => api.on(event, listener),
    call: <M extends CallName>(method: M, args: CallArgs<M>): Promise<CallResult<M>> => {
      const booting = method === 'vm.boot' || (method === 'vm.restart' && ['exited', 'idle'].includes(vm.current.state));
      if (booting && breakpoints.hasAny()) return debug.bootArmed(method === 'vm.boot' ? (args as CallArgs<'vm.boot'>) : {}) as Promise<CallResult<M>>;
      return api.call(method, args);
    },
  };
  const vm: VmController = new VmController(vmApi, {
    setStatus: (s) => {
      status.setVm(s);
      toolbar?.setVmState(s.state, build.isBuilding);
      vga.setVmState(s.state);
      if (s.state === 'faulted' && s.fault) notice.show(`The guest faulted: ${s.fault.message}`, 'error');
    },
    showSerial: () => bottom.show('serial'),
    error,
  }, serial, () => editor.saveAll());
  toolbar = new Toolbar(layout.toolbar, {
    build: () => void build.run(),
    boot: () => void vm.boot(),
    pause: () => void vm.pause(),
    resume: () => void debug.continue(() => vm.resume()),
    stop: () => void vm.stop(),
    restart: () => void vm.restart(),
  });

  installShortcuts(window, {
    save: () => void editor.save(),
    saveAll: () => void editor.saveAll(),
    build: () => void build.run(),
    boot: () => void vm.boot(),
    stop: () => void vm.stop(),
    toggleBreakpoint: () => gutter.toggleAtCursor(),
    stepOver: () => void debug.stepOver(),
    step: () => void debug.step(),
    runToCursor,
  });
  const menu: Partial<Record<MenuCommand, () => void>> = {
    'file.save': () => void editor.save(),
    'file.saveAll': () => void editor.saveAll(),
    'file.newFile': () => void explorerPane.create('file'),
    'build.run': () => void build.run(),
    'vm.boot': () => void vm.boot(),
    'vm.pause': () => void vm.pause(),
    'vm.continue': () => void debug.continue(() => vm.resume()),
    'vm.stop': () => void vm.stop(),
    'vm.restart': () => void vm.restart(),
    'debug.toggleBreakpoint': () => gutter.toggleAtCursor(),
    'debug.stepOver': () => void debug.stepOver(),
    'debug.step': () => void debug.step(),
    'debug.runToCursor': runToCursor,
    'debug.breakAtPhase2': () => void debug.breakAtPhase2(),
    'view.problems': () => bottom.show('problems'),
    'view.buildOutput': () => bottom.show('build'),
    'view.serial': () => bottom.show('serial'),
  };
  api.on('menu.command', ({ command }) => menu[command]?.());
  api.on('fs.changed', (change) => {
    if (change.kind !== 'changed') explorerPane.scheduleReload();
    void editor.fileChanged(change);
  });

  const loadWorkspace = async (info?: WorkspaceInfo) => {
    const workspace = info ?? (await api.call('workspace.info', {}));
    document.title = `${workspace.name} — Longmode`;
    explorerPane.setWorkspaceName(workspace.name);
    for (const problem of workspace.manifestProblems) notice.show(`${problem.path}: ${problem.message}`, 'error');
    await explorerPane.reload();
  };
  api.on('workspace.changed', (info) => {
    editor.forgetAll();
    breakpoints.clear();
    void keeper.load().then((state) => breakpoints.load(state.breakpoints));
    void loadWorkspace(info).then(() => restoreBackups(api, editor, error));
  });

  connection.onConnection((state, reconnected) => {
    status.setConnection(state, connection.mode === 'electron' ? 'desktop' : 'browser mode');
    if (state === 'disconnected') notice.show('Lost the connection to the Longmode server; reconnecting…', 'warning');
    if (state === 'connected' && reconnected) {
      notice.hide();
      void reattach();
    }
  });
  const reattach = async () => {
    await vm.reattach();
    await vga.reattach();
    await explorerPane.reload();
  };

  // first start: workspace, remembered tabs (or the kernel's main.rs), the VM as it is now
  const saved = await keeper.load();
  sizes = paneSizesFrom(saved.layout);
  breakpoints.load(saved.breakpoints);
  enableSplitters(root, sizes, (s) => ((sizes = s), keeper.changed()));
  await loadWorkspace();
  const tabs = saved.openTabs.length ? saved.openTabs : [await defaultFile(api)].filter((p): p is string => !!p);
  for (const path of tabs) await editor.open(path).catch(() => undefined);
  const active = saved.activeTab && tabs.includes(saved.activeTab) ? saved.activeTab : tabs[0];
  if (active) await editor.open(active).catch(() => undefined);
  await restoreBackups(api, editor, error);
  await reattach();
  document.body.dataset.ready = 'true';
}

/** Hot exit: every buffer that had unsaved edits when the IDE last went away comes back, dirty. */
async function restoreBackups(api: LongmodeApi, editor: EditorPane, error: (message: string) => void): Promise<void> {
  const backups = await api.call('backup.list', {}).catch((e) => (error(`could not read the backups of unsaved edits: ${errorText(e)}`), []));
  for (const backup of backups) {
    await editor.restore(backup).catch((e) => error(`could not restore the unsaved edits of ${backup.path}: ${errorText(e)}`));
  }
}

/** The file a first start shows: the kernel's entry point if the sample has one. */
async function defaultFile(api: LongmodeApi): Promise<string | undefined> {
  const tree = await api.call('fs.tree', {});
  const files: string[] = [];
  const walk = (entry: FileEntry) => (entry.kind === 'file' ? files.push(entry.path) : entry.children?.forEach(walk));
  walk(tree);
  return ['kernel/src/main.rs', 'kernel/src/lib.rs', 'boot/stage1.asm'].find((p) => files.includes(p)) ?? files.find((p) => p.endsWith('.rs')) ?? files[0];
}
