// The build driver: manifest → nasm for each bootloader stage, alongside cargo for the kernel →
// stripped kernel copy → disk image. Every step reports progress and console text; unchanged inputs skip
// their step; a failed or cancelled build leaves the previous image untouched.
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import type { BuildProgress, BuildResult, Diagnostic } from '../base/diagnostics';
import { KERNEL_STRIPPED, hashFile, hashOf, loadCache, saveCache, type BuildCache } from './build-cache';
import { runCargo } from './cargo-step';
import { ElfError, stripElf } from './elf';
import { ImageError, assembleImage, writeAtomically, type ImageInputs } from './image';
import { MANIFEST_FILE, ManifestError, kernelElfPath, loadManifest, type Manifest } from './manifest';
import { nasmArgs, nasmInputsHash, runNasm } from './nasm-step';
import { MissingToolError } from './tools';

export interface BuildStep {
  name: string; // 'manifest', 'nasm:<stage>', 'cargo', 'strip', 'image'
  skipped: boolean;
  durationMs: number;
  ok: boolean;
}

export interface BuildArtifacts {
  image: string;
  kernelElf: string;
  kernelStripped: string;
  bootloader: Record<string, string>;
}

export interface BuildOutcome extends BuildResult {
  /** absolute paths (where each artifact is, or would be) */
  artifacts: BuildArtifacts;
  steps: BuildStep[];
  /** set when the build could not run at all: no workspace / manifest file, or a missing tool */
  setupError?: { kind: 'no-workspace' | 'missing-tool'; message: string };
}

export interface BuildOptions {
  signal?: AbortSignal;
  onProgress?(p: BuildProgress): void;
  /** ANSI console text from nasm, cargo and the driver */
  onOutput?(text: string): void;
}

const bold = (s: string) => `\x1b[1;32m${s}\x1b[0m`;

export async function buildWorkspace(workspaceDir: string, opts: BuildOptions = {}): Promise<BuildOutcome> {
  const started = performance.now();
  const root = resolve(workspaceDir);
  const outcome: BuildOutcome = {
    ok: false, cancelled: false, diagnostics: [], durationMs: 0, steps: [],
    artifacts: { image: '', kernelElf: '', kernelStripped: resolve(root, KERNEL_STRIPPED), bootloader: {} },
  };
  const finish = () => {
    inStepOrder(outcome);
    outcome.durationMs = Math.round(performance.now() - started);
    opts.onProgress?.({ step: 'done', message: outcome.cancelled ? 'cancelled' : outcome.ok ? 'build succeeded' : 'build failed', fraction: 1 });
    return outcome;
  };
  try {
    const manifest = await manifestStep(root, outcome, opts);
    if (!manifest) return finish();
    outcome.artifacts.image = resolve(root, manifest.image.output);
    outcome.artifacts.kernelElf = kernelElfPath(manifest, root);
    for (const s of manifest.bootloader) outcome.artifacts.bootloader[s.name] = resolve(root, s.output);
    const cache = await loadCache(root);
    await mkdir(resolve(root, dirname(KERNEL_STRIPPED)), { recursive: true });
    // independent steps, run side by side: cargo (the long one) starts at once, the bootloader
    // stages assemble (or are found unchanged) meanwhile
    const [cargoOk, stagesOk] = await Promise.all([cargoStep(root, manifest, cache, outcome, opts), nasmSteps(root, manifest, cache, outcome, opts)]);
    if (opts.signal?.aborted || outcome.cancelled) return cancelled(outcome, cache, root, finish);
    if (stagesOk && cargoOk) {
      const stripped = await stripStep(root, outcome, opts);
      if (stripped) outcome.ok = await imageStep(root, manifest, cache, outcome, stripped, opts);
    }
    if (outcome.ok) {
      outcome.image = toRelative(root, outcome.artifacts.image);
      outcome.kernelElf = toRelative(root, outcome.artifacts.kernelElf);
    }
    await saveCache(root, cache);
    return finish();
  } catch (err) {
    if (err instanceof MissingToolError) {
      outcome.setupError = { kind: 'missing-tool', message: err.message };
      opts.onOutput?.(`\x1b[1;31merror\x1b[0m: ${err.message}\n`);
      return finish();
    }
    throw err;
  }
}

async function cancelled(outcome: BuildOutcome, cache: BuildCache, root: string, finish: () => BuildOutcome) {
  outcome.cancelled = true;
  outcome.ok = false;
  await saveCache(root, cache).catch(() => undefined);
  return finish();
}

async function timed<T>(outcome: BuildOutcome, name: string, body: () => Promise<{ value: T; skipped: boolean; ok: boolean }>): Promise<T> {
  const t0 = performance.now();
  const { value, skipped, ok } = await body();
  outcome.steps.push({ name, skipped, ok, durationMs: Math.round((performance.now() - t0) * 10) / 10 });
  return value;
}

async function manifestStep(root: string, outcome: BuildOutcome, opts: BuildOptions): Promise<Manifest | undefined> {
  opts.onProgress?.({ step: 'manifest', message: `reading ${MANIFEST_FILE}`, fraction: 0 });
  return timed(outcome, 'manifest', async () => {
    try {
      return { value: await loadManifest(root), skipped: false, ok: true };
    } catch (err) {
      if (!(err instanceof ManifestError)) throw err;
      const unreadable = err.problems.length === 1 && err.problems[0].path === '' && !/JSON/.test(err.problems[0].message);
      if (unreadable) outcome.setupError = { kind: 'no-workspace', message: err.message };
      for (const p of err.problems) outcome.diagnostics.push(manifestDiagnostic('manifest', p.path, p.message));
      opts.onOutput?.(`\x1b[1;31merror\x1b[0m: ${err.message}\n`);
      return { value: undefined, skipped: false, ok: false };
    }
  });
}

async function nasmSteps(root: string, manifest: Manifest, cache: BuildCache, outcome: BuildOutcome, opts: BuildOptions): Promise<boolean> {
  let allOk = true;
  for (const [i, stage] of manifest.bootloader.entries()) {
    if (opts.signal?.aborted) return false;
    const fraction = (0.2 * i) / manifest.bootloader.length;
    opts.onProgress?.({ step: 'nasm', message: `assembling ${stage.source}`, fraction });
    const output = resolve(root, stage.output);
    const tempRel = `${stage.output}.tmp-${process.pid}`;
    const args = nasmArgs(manifest, stage, tempRel);
    const ok = await timed(outcome, `nasm:${stage.name}`, async () => {
      const inputs = await nasmInputsHash(root, args, stage);
      const previous = cache.stages[stage.name];
      if (inputs && previous?.inputs === inputs && (await hashFile(output)) === previous.output) {
        return { value: true, skipped: true, ok: true };
      }
      opts.onOutput?.(`${bold('  Assembling')} ${stage.name} (${stage.source})\n`);
      await mkdir(dirname(output), { recursive: true });
      const result = await runNasm(root, args, stage, opts);
      outcome.diagnostics.push(...result.diagnostics);
      if (!result.ok) {
        await rm(resolve(root, tempRel), { force: true });
        delete cache.stages[stage.name];
        if (result.cancelled) outcome.cancelled = true;
        return { value: false, skipped: false, ok: false };
      }
      await rename(resolve(root, tempRel), output);
      const outputHash = await hashFile(output);
      if (inputs && outputHash) cache.stages[stage.name] = { inputs, output: outputHash };
      return { value: true, skipped: false, ok: true };
    });
    allOk &&= ok;
  }
  return allOk;
}

async function cargoStep(root: string, manifest: Manifest, cache: BuildCache, outcome: BuildOutcome, opts: BuildOptions): Promise<boolean> {
  opts.onProgress?.({ step: 'cargo', message: `building the kernel crate ${manifest.kernel.crate}`, fraction: 0.2 });
  return timed(outcome, 'cargo', async () => {
    const result = await runCargo(root, manifest, {
      signal: opts.signal,
      onOutput: opts.onOutput,
      expectedUnits: cache.cargoUnits,
      onProgress: (compiled, total) =>
        opts.onProgress?.({ step: 'cargo', message: `compiled ${compiled}/${total}`, crates: { compiled, total }, fraction: 0.2 + (0.65 * compiled) / total }),
    });
    outcome.diagnostics.push(...result.diagnostics);
    if (result.cancelled) outcome.cancelled = true;
    if (result.ok && result.units > 0) cache.cargoUnits = result.units;
    return { value: result.ok, skipped: false, ok: result.ok };
  });
}

async function stripStep(root: string, outcome: BuildOutcome, opts: BuildOptions): Promise<Uint8Array | undefined> {
  opts.onProgress?.({ step: 'image', message: 'stripping the kernel ELF', fraction: 0.85 });
  const { kernelElf, kernelStripped } = outcome.artifacts;
  return timed(outcome, 'strip', async () => {
    let stripped: Uint8Array;
    try {
      stripped = stripElf(await readFile(kernelElf));
    } catch (err) {
      const reason = err instanceof ElfError ? err.message : `it cannot be read (${(err as Error).message})`;
      outcome.diagnostics.push(diagnostic('image', toRelative(root, kernelElf), `the kernel ELF is unusable: ${reason}`));
      return { value: undefined, skipped: false, ok: false };
    }
    const existing = await readFile(kernelStripped).catch(() => undefined);
    if (existing && Buffer.compare(existing, stripped) === 0) return { value: stripped, skipped: true, ok: true };
    await writeAtomically(kernelStripped, stripped);
    return { value: stripped, skipped: false, ok: true };
  });
}

async function imageStep(
  root: string, manifest: Manifest, cache: BuildCache, outcome: BuildOutcome, kernel: Uint8Array, opts: BuildOptions,
): Promise<boolean> {
  opts.onProgress?.({ step: 'image', message: `writing ${manifest.image.output}`, fraction: 0.9 });
  return timed(outcome, 'image', async () => {
    const inputs: ImageInputs = { kernel: { bytes: kernel, file: KERNEL_STRIPPED } };
    for (const stage of manifest.bootloader) inputs[stage.name] = { bytes: await readFile(resolve(root, stage.output)), file: stage.output };
    const inputsHash = hashOf(JSON.stringify(manifest.image), ...Object.entries(inputs).sort(([a], [b]) => a.localeCompare(b)).flatMap(([name, v]) => [name, v.bytes]));
    if (cache.image?.inputs === inputsHash && (await hashFile(outcome.artifacts.image)) === cache.image.output) {
      return { value: true, skipped: true, ok: true };
    }
    try {
      const image = await assembleImage(manifest, root, inputs);
      const output = await hashFile(image);
      if (output) cache.image = { inputs: inputsHash, output };
      opts.onOutput?.(`${bold('     Image')} ${manifest.image.output} (${manifest.image.sectors} sectors)\n`);
      return { value: true, skipped: false, ok: true };
    } catch (err) {
      if (!(err instanceof ImageError)) throw err;
      for (const p of err.problems) outcome.diagnostics.push(manifestDiagnostic('image', p.path, p.message));
      opts.onOutput?.(`\x1b[1;31merror\x1b[0m: the disk image was not written:\n${err.message}\n`);
      return { value: false, skipped: false, ok: false };
    }
  });
}

const STEP_ORDER = ['manifest', 'nasm', 'cargo', 'strip', 'image'];
const TOOL_ORDER: Diagnostic['tool'][] = ['manifest', 'nasm', 'rustc', 'cargo', 'image'];

/** Steps and diagnostics in pipeline order, however the side-by-side steps finished (stable within a step). */
function inStepOrder(outcome: BuildOutcome): void {
  const rank = (step: BuildStep) => STEP_ORDER.indexOf(step.name.split(':')[0]);
  outcome.steps.sort((a, b) => rank(a) - rank(b));
  outcome.diagnostics.sort((a, b) => TOOL_ORDER.indexOf(a.tool) - TOOL_ORDER.indexOf(b.tool));
}

function manifestDiagnostic(tool: Diagnostic['tool'], path: string, message: string): Diagnostic {
  return diagnostic(tool, MANIFEST_FILE, path ? `${path}: ${message}` : message);
}

function diagnostic(tool: Diagnostic['tool'], file: string, message: string): Diagnostic {
  return { tool, file, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', message };
}

function toRelative(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}
