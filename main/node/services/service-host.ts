// The service host: one object per area (files, build, VM, UI state) behind one `handle` entry
// point that the dispatcher calls with validated arguments, and one event stream for all clients.
import { join } from 'node:path';
import type { CallArgs, CallName, CallResult, EventName, Events, WorkspaceInfo } from '../../common/contract';
import type { BuildBackend, VmBackend } from './backends';
import { BackupStore, defaultBackupFolders } from './backup-store';
import { BuildService } from './build-service';
import { WorkspaceRoot } from './confine';
import { FileService } from './file-service';
import { inspectionHandlers } from './inspection-handlers';
import { OwnChanges } from './own-changes';
import { ServiceError } from './service-error';
import { JsonUiStateStore, type UiStateStore } from './ui-state-store';
import { VmService } from './vm-service';
import { WorkspaceWatcher, type DiskChange } from './workspace-watcher';

export interface ClientContext {
  /** unique per connection, e.g. "ws#3" */
  id: string;
}

export interface HostOptions {
  workspace: string;
  build: BuildBackend;
  vm: VmBackend;
  /** where open tabs and layout are kept; default: <workspace>/.longmode/ui-state.json */
  uiState?: UiStateStore;
  /** where dirty buffers are backed up (hot exit); default: <workspace>/.longmode/backups, else the user's state folder */
  backups?: BackupStore;
  log?: (line: string) => void;
}

export type Handler<M extends CallName> = (args: CallArgs<M>, client: ClientContext) => Promise<CallResult<M>> | CallResult<M>;
export type Handlers = { [M in CallName]?: Handler<M> };
type EventListener = <E extends EventName>(event: E, payload: Events[E]) => void;

/** Build outputs that change during a build without making the sources stale. */
const buildOutputPrefixes = ['build/', 'target/'];

export class ServiceHost {
  private readonly listeners = new Set<EventListener>();
  private readonly handlers: Handlers;
  private watcher: WorkspaceWatcher | undefined;
  private disposed = false;

  readonly files: FileService;
  readonly build: BuildService;
  readonly vm: VmService;

  private constructor(
    readonly workspace: WorkspaceRoot,
    private readonly options: HostOptions,
    private readonly own: OwnChanges,
    private readonly uiState: UiStateStore,
    readonly backups: BackupStore,
  ) {
    const emit = this.emit.bind(this);
    this.files = new FileService(workspace, own);
    this.build = new BuildService(workspace.realRoot, options.build, emit);
    this.vm = new VmService(options.vm, this.build, async () => (await options.build.describe(workspace.realRoot)).qemu ?? {}, emit);
    this.handlers = {
      ...this.makeHandlers(),
      ...inspectionHandlers({ guest: () => this.vm.guest(), emit, workspace: workspace.realRoot }).handlers,
    };
  }

  static async open(options: HostOptions): Promise<ServiceHost> {
    const workspace = await WorkspaceRoot.open(options.workspace);
    const uiState = options.uiState ?? new JsonUiStateStore(join(workspace.realRoot, '.longmode', 'ui-state.json'));
    const backups = options.backups ?? new BackupStore(defaultBackupFolders(workspace.realRoot));
    const host = new ServiceHost(workspace, options, new OwnChanges(), uiState, backups);
    host.watcher = await WorkspaceWatcher.start(workspace, host.own, (change) => host.onDiskChange(change));
    return host;
  }

  /** Runs one already-validated call. */
  async handle<M extends CallName>(method: M, args: CallArgs<M>, client: ClientContext): Promise<CallResult<M>> {
    const handler = this.handlers[method] as Handler<M> | undefined;
    if (!handler) throw new ServiceError('unavailable', `${method} is not available in this Longmode build yet`);
    return handler(args, client);
  }

  /** Another area (e.g. inspection and debugging) plugs its calls in here. */
  addHandlers(handlers: Handlers): void {
    Object.assign(this.handlers, handlers);
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const listener of [...this.listeners]) listener(event, payload);
  }

  clientGone(client: ClientContext): void {
    this.vm.clientGone(client.id);
  }

  async info(): Promise<WorkspaceInfo> {
    const { name, manifestProblems } = await this.options.build.describe(this.workspace.realRoot);
    return { root: this.workspace.root, name, manifestProblems };
  }

  /** Stops the guest, cancels a build, closes the watcher. Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.watcher?.close();
    this.build.cancel();
    await Promise.all([this.vm.dispose(), this.build.settle()]);
    this.listeners.clear();
  }

  private onDiskChange(change: DiskChange): void {
    if (!buildOutputPrefixes.some((p) => change.path.startsWith(p))) this.build.sourcesChanged();
    if (change.own) return;
    this.emit('fs.changed', { path: change.path, kind: change.kind, version: change.version });
  }

  /** An edit through the IDE makes the next boot rebuild at once (the watcher may not have seen it yet). */
  private async edited<T>(operation: Promise<T>, ...paths: string[]): Promise<T> {
    const result = await operation;
    if (paths.some((p) => !buildOutputPrefixes.some((prefix) => p.startsWith(prefix)))) this.build.sourcesChanged();
    return result;
  }

  private makeHandlers(): Handlers {
    return {
      'workspace.info': () => this.info(),
      'fs.tree': () => this.files.tree(),
      'fs.read': ({ path }) => this.files.read(path),
      'fs.write': ({ path, text, expectedVersion }) => this.edited(this.files.write(path, text, expectedVersion), path),
      'fs.create': ({ path, kind }) => this.edited(this.files.create(path, kind), path),
      'fs.rename': ({ from, to }) => this.edited(this.files.rename(from, to), from, to),
      'fs.delete': ({ path }) => this.edited(this.files.delete(path), path),
      'build.run': () => this.build.run(),
      'build.cancel': () => this.build.cancel(),
      'vm.boot': ({ paused, fault }) => this.vm.boot(paused ?? false, fault),
      'vm.status': () => this.vm.status(),
      'vm.pause': () => this.vm.pause(),
      'vm.continue': () => this.vm.continue(),
      'vm.stop': () => this.vm.stop(),
      'vm.restart': () => this.vm.restart(),
      'vm.serialInput': ({ data }) => this.vm.serialInput(data),
      'vm.serialHistory': () => this.vm.serialHistory(),
      'vm.vga': () => this.vm.vga(),
      'vm.registers': () => this.vm.registers(),
      'vm.pageTables': () => this.vm.pageTables(),
      'vm.watchVga': ({ enabled }, client) => this.vm.watchVga(client.id, enabled),
      'ui.loadState': () => this.uiState.load(),
      'ui.saveState': async ({ state }) => {
        await this.uiState.save(state);
        return { ok: true };
      },
      'backup.write': async ({ path, text, baseVersion }) => {
        await this.backups.write(this.workspace.clean(path), text, baseVersion);
        return { ok: true };
      },
      'backup.list': () => this.backups.list(),
      'backup.discard': async ({ path }) => {
        await this.backups.discard(this.workspace.clean(path));
        return { ok: true };
      },
    };
  }
}
