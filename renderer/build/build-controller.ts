// Build: the button and Ctrl+B save dirty files and run the toolchain; progress, console output,
// diagnostics and the result arrive as contract events (also for builds Boot starts).
import type { BuildProgress, BuildResult, Diagnostic, LongmodeApi } from '../../main/common/contract';
import { errorText } from '../layout/dom';
import type { TerminalView } from '../terminal/terminal-view';
import { countProblems, type ProblemsPane } from './problems-pane';

export interface BuildView {
  console: TerminalView;
  problems: ProblemsPane;
  setProgress(fraction: number | undefined, label?: string): void;
  /** `finished`: how many builds this page has seen complete */
  setStatus(text: string, finished: number): void;
  setCounts(errors: number, warnings: number): void;
  setMarkers(diagnostics: Diagnostic[]): void;
  setBuilding(building: boolean): void;
  showPanel(panel: 'build' | 'problems'): void;
  error(message: string): void;
}

export class BuildController {
  private building = false;
  private finished = 0;
  /** how far this build's bar is: it only moves forward (nasm and cargo report side by side) */
  private fraction = 0;

  constructor(private readonly api: LongmodeApi, private readonly view: BuildView, private readonly saveAll: () => Promise<boolean>) {
    api.on('build.progress', (p) => this.progress(p));
    api.on('build.output', ({ text }) => view.console.terminal.write(text));
    api.on('build.diagnostics', ({ diagnostics }) => this.diagnostics(diagnostics));
    api.on('build.done', (result) => this.done(result));
  }

  get isBuilding(): boolean {
    return this.building;
  }

  async run(): Promise<BuildResult | undefined> {
    if (this.building) return undefined;
    if (!(await this.saveAll())) {
      this.view.error('some files could not be saved; resolve that first, then build');
      return undefined;
    }
    this.view.showPanel('build');
    this.setBuilding(true);
    this.view.console.terminal.reset();
    this.fraction = 0;
    this.view.setProgress(0, 'starting the build');
    try {
      const result = await this.api.call('build.run', {});
      this.done(result);
      return result;
    } catch (error) {
      this.setBuilding(false);
      this.view.setProgress(undefined);
      this.view.error(`build: ${errorText(error)}`);
      return undefined;
    }
  }

  cancel(): void {
    void this.api.call('build.cancel', {}).catch(() => undefined);
  }

  private progress(p: BuildProgress): void {
    if (!this.building) {
      // a build someone else started (Boot, another window)
      this.setBuilding(true);
      this.view.console.terminal.reset();
      this.fraction = 0;
    }
    const crates = p.crates ? ` (${p.crates.compiled}/${p.crates.total} crates)` : '';
    this.fraction = Math.max(this.fraction, p.fraction ?? 0);
    this.view.setProgress(this.fraction, `${p.message}${crates}`);
    this.view.setStatus(`Building: ${p.step}`, this.finished);
  }

  private diagnostics(diagnostics: Diagnostic[]): void {
    this.view.problems.show(diagnostics);
    this.view.setMarkers(diagnostics);
    const { errors, warnings } = countProblems(diagnostics);
    this.view.setCounts(errors, warnings);
  }

  private done(result: BuildResult): void {
    const wasBuilding = this.building;
    this.setBuilding(false);
    this.view.setProgress(undefined);
    this.diagnostics(result.diagnostics);
    if (wasBuilding) this.finished++;
    const seconds = (result.durationMs / 1000).toFixed(1);
    const text = result.cancelled ? 'Build cancelled' : result.ok ? `Build succeeded in ${seconds} s` : `Build failed (${seconds} s)`;
    this.view.setStatus(text, this.finished);
    if (wasBuilding && !result.ok && result.diagnostics.length > 0) this.view.showPanel('problems');
  }

  private setBuilding(building: boolean): void {
    this.building = building;
    this.view.setBuilding(building);
  }
}
