// One build at a time, with progress, console output and diagnostics pushed as events,
// and cancellation. Remembers whether the sources changed since the last good build.
import { isAbsolute, join } from 'node:path';
import type { BuildResult } from '../../common/contract';
import type { BuildBackend } from './backends';
import { ServiceError } from './service-error';

import type { Emit } from './emit';

export class BuildService {
  private running: { promise: Promise<BuildResult>; abort: AbortController } | undefined;
  private lastGood: BuildResult | undefined;
  private changedSinceBuild = true;

  constructor(
    private readonly workspace: string,
    private readonly backend: BuildBackend,
    private readonly emit: Emit,
  ) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** A source file changed: the next boot rebuilds first. */
  sourcesChanged(): void {
    this.changedSinceBuild = true;
  }

  /** The last good build's absolute image and kernel paths, when nothing changed since. */
  upToDate(): { image: string; kernelElf?: string } | undefined {
    if (this.changedSinceBuild || !this.lastGood?.image) return undefined;
    return { image: this.absolute(this.lastGood.image), kernelElf: this.lastGood.kernelElf && this.absolute(this.lastGood.kernelElf) };
  }

  absolute(path: string): string {
    return isAbsolute(path) ? path : join(this.workspace, path);
  }

  async run(): Promise<BuildResult> {
    if (this.running) throw new ServiceError('busy', 'a build is already running; wait for it or cancel it first');
    const abort = new AbortController();
    this.changedSinceBuild = false; // changes during the build mark it stale again
    const promise = this.runOnce(abort.signal);
    this.running = { promise, abort };
    try {
      return await promise;
    } finally {
      this.running = undefined;
    }
  }

  cancel(): { ok: true } {
    this.running?.abort.abort();
    return { ok: true };
  }

  /** Waits for a running build to finish (used on shutdown after cancel). */
  async settle(): Promise<void> {
    await this.running?.promise.catch(() => undefined);
  }

  private async runOnce(signal: AbortSignal): Promise<BuildResult> {
    const started = Date.now();
    let result: BuildResult;
    try {
      result = await this.backend.build(this.workspace, {
        signal,
        onProgress: (progress) => this.emit('build.progress', progress),
        onOutput: (text) => this.emit('build.output', { text }),
      });
    } catch (err) {
      if (err instanceof ServiceError) {
        this.changedSinceBuild = true; // nothing was built: the next boot must try again
        throw err;
      }
      const message = err instanceof Error ? err.message : String(err);
      this.emit('build.output', { text: `\r\n\x1b[31mbuild failed: ${message}\x1b[0m\r\n` });
      result = { ok: false, cancelled: signal.aborted, diagnostics: [], durationMs: Date.now() - started };
    }
    if (result.ok) this.lastGood = result;
    else this.changedSinceBuild = true;
    this.emit('build.diagnostics', { diagnostics: result.diagnostics });
    this.emit('build.done', result);
    return result;
  }
}
