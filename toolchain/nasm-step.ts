// One bootloader stage through nasm: the command line, the inputs hash (source, every %include'd
// or %incbin'd file, the defines) that lets an unchanged stage skip, and the diagnostics.
import { readFileSync } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { posix, resolve } from 'node:path';
import type { Diagnostic } from '../base/diagnostics';
import { hashOf } from './build-cache';
import { parseNasmOutput } from './diagnostics/nasm';
import { imageDefines, type BootloaderSpec, type Manifest } from './manifest';
import { listingPathFor } from './nasm-listing';
import { runTool } from './run-tool';

/** nasm's arguments, run from the workspace root; the listing (-l) maps bootloader lines to addresses for the debugger. */
export function nasmArgs(manifest: Manifest, stage: BootloaderSpec, output: string): string[] {
  const sourceDir = posix.dirname(stage.source);
  const includeDirs = [sourceDir === '.' ? './' : `${sourceDir}/`, ...stage.includes.map((d) => `${d}/`)];
  const defines = Object.entries(imageDefines(manifest)).map(([name, value]) => `-D${name}=${value}`);
  return ['-f', 'bin', ...includeDirs.flatMap((d) => ['-I', d]), ...defines, '-l', listingPathFor(stage.output), '-o', output, stage.source];
}

const INCLUDE_RE = /^\s*%(include|incbin)\s+["'<]([^"'>]+)["'>]/gim;
const MAX_INCLUDED_FILES = 256;

/**
 * A hash of everything nasm reads for a stage: the arguments, the source and, recursively, the files
 * it %includes or %incbins (searched like nasm: workspace root, then each -I folder).
 * Undefined when some included file cannot be found: then the stage always re-runs.
 */
export async function nasmInputsHash(workspaceDir: string, args: string[], stage: BootloaderSpec): Promise<string | undefined> {
  const searchDirs = ['', ...args.flatMap((a, i) => (args[i - 1] === '-I' ? [a] : []))];
  const parts: (string | Uint8Array)[] = [args.filter((_, i) => args[i - 1] !== '-o').join(' ')];
  const seen = new Set<string>();
  const queue = [resolve(workspaceDir, stage.source)];
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    if (seen.size >= MAX_INCLUDED_FILES) return undefined;
    seen.add(file);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      return undefined;
    }
    parts.push(file, bytes);
    if (file.endsWith('.bin')) continue;
    for (const m of bytes.toString('latin1').matchAll(INCLUDE_RE)) {
      const found = await findIncluded(workspaceDir, searchDirs, m[2]);
      if (!found) return undefined;
      if (m[1].toLowerCase() === 'incbin') parts.push(found, await readFile(found));
      else queue.push(found);
    }
  }
  return hashOf(...parts);
}

async function findIncluded(workspaceDir: string, dirs: string[], name: string): Promise<string | undefined> {
  for (const dir of dirs) {
    const candidate = resolve(workspaceDir, dir, name);
    try {
      await access(candidate);
      return candidate;
    } catch {
      // try the next folder
    }
  }
  return undefined;
}

export interface StageResult {
  ok: boolean;
  cancelled: boolean;
  diagnostics: Diagnostic[];
}

/** Runs nasm for one stage (its output path is in `args`) and parses what it says. */
export async function runNasm(
  workspaceDir: string,
  args: string[],
  stage: BootloaderSpec,
  opts: { signal?: AbortSignal; onOutput?(text: string): void },
): Promise<StageResult> {
  const result = await runTool('nasm', args, { cwd: workspaceDir, signal: opts.signal, onStderr: opts.onOutput });
  if (result.cancelled) return { ok: false, cancelled: true, diagnostics: [] };
  const diagnostics = parseNasmOutput(result.stderr + result.stdout, {
    workspaceDir,
    source: stage.source,
    lineText: lineReader(workspaceDir),
  });
  const ok = result.code === 0 && !diagnostics.some((d) => d.severity === 'error');
  if (result.code !== 0 && diagnostics.length === 0) {
    diagnostics.push({
      tool: 'nasm', file: stage.source, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error',
      message: `nasm failed (exit code ${result.code}) without a message`,
    });
  }
  return { ok, cancelled: false, diagnostics };
}

function lineReader(workspaceDir: string): (file: string, line: number) => string | undefined {
  const cache = new Map<string, string[] | undefined>();
  return (file, line) => {
    if (!cache.has(file)) {
      try {
        cache.set(file, readFileSync(resolve(workspaceDir, file), 'utf8').split(/\r?\n/));
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file)?.[line - 1];
  };
}
