// Watches the workspace folder by folder (skipping target/, .git/ and friends, which can hold
// thousands of files) and reports what changed on disk. Each change says whether the IDE made it.
import { watch, type FSWatcher } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { WorkspaceRoot } from './confine';
import { versionOf } from './file-version';
import { ignoredNames, isTempName } from './file-service';
import type { OwnChanges } from './own-changes';

export interface DiskChange {
  path: string; // workspace-relative
  kind: 'changed' | 'created' | 'deleted';
  version?: string;
  /** true when the IDE itself made this change (a save, create, rename or delete) */
  own: boolean;
}

const settleMs = 60;

export class WorkspaceWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly known = new Map<string, string>(); // abs path → version, or 'dir'
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly ws: WorkspaceRoot,
    private readonly own: OwnChanges,
    private readonly onChange: (change: DiskChange) => void,
  ) {}

  static async start(ws: WorkspaceRoot, own: OwnChanges, onChange: (change: DiskChange) => void): Promise<WorkspaceWatcher> {
    const watcher = new WorkspaceWatcher(ws, own, onChange);
    await watcher.addTree(ws.realRoot);
    return watcher;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }

  private async addTree(dir: string): Promise<void> {
    if (this.closed || this.watchers.has(dir)) return;
    try {
      const w = watch(dir, { persistent: false }, (_event, name) => this.noteEvent(dir, name));
      w.on('error', () => this.removeTree(dir));
      this.watchers.set(dir, w);
    } catch {
      return; // vanished or unreadable: nothing to watch
    }
    this.known.set(dir, 'dir');
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (skip(e.name)) continue;
      const abs = join(dir, e.name);
      if (e.isDirectory()) await this.addTree(abs);
      else {
        const st = await lstat(abs, { bigint: true }).catch(() => undefined);
        if (st) this.known.set(abs, versionOf(st));
      }
    }
  }

  private removeTree(dir: string): void {
    for (const [path, w] of this.watchers) {
      if (path === dir || path.startsWith(dir + sep)) {
        w.close();
        this.watchers.delete(path);
      }
    }
    for (const path of this.known.keys()) if (path.startsWith(dir + sep)) this.known.delete(path);
  }

  private noteEvent(dir: string, name: string | Buffer | null): void {
    if (this.closed) return;
    const base = name === null ? undefined : name.toString();
    if (base !== undefined && skip(base)) return;
    this.pending.add(base === undefined ? dir : join(dir, base));
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), settleMs);
  }

  private async flush(): Promise<void> {
    const paths = [...this.pending];
    this.pending.clear();
    for (const abs of paths) {
      if (this.closed) return;
      if (abs === this.ws.realRoot) continue;
      const st = await lstat(abs, { bigint: true }).catch(() => undefined);
      const before = this.known.get(abs);
      if (!st) {
        if (before === undefined) continue;
        this.known.delete(abs);
        if (before === 'dir') this.removeTree(abs);
        this.emit(abs, 'deleted', undefined);
      } else if (st.isDirectory()) {
        if (before === 'dir') continue;
        await this.addTree(abs);
        this.emit(abs, 'created', undefined);
      } else {
        const version = versionOf(st);
        if (before === version) continue;
        this.known.set(abs, version);
        this.emit(abs, before === undefined ? 'created' : 'changed', version);
      }
    }
  }

  private emit(abs: string, kind: DiskChange['kind'], version: string | undefined): void {
    const own = this.own.isOwn(abs, version);
    this.onChange({ path: this.ws.relativeOf(abs), kind, version, own });
  }
}

function skip(name: string): boolean {
  return ignoredNames.has(name) || isTempName(name);
}
