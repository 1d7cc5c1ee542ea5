// The kernel through cargo, run in the crate folder (cargo reads .cargo/config.toml from its cwd),
// with JSON messages: diagnostics, rendered console text and crates-compiled progress.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Diagnostic } from '../base/diagnostics';
import { parseCargoLine } from './diagnostics/rustc';
import type { Manifest } from './manifest';
import { runTool } from './run-tool';

export interface CargoOptions {
  signal?: AbortSignal;
  onOutput?(text: string): void;
  onProgress?(compiled: number, total: number): void;
  /** the unit count of the last build, for the progress total */
  expectedUnits?: number;
}

export interface CargoResult {
  ok: boolean;
  cancelled: boolean;
  diagnostics: Diagnostic[];
  units: number;
}

export function cargoArgs(manifest: Manifest): string[] {
  const { kernel } = manifest;
  return [
    'build',
    ...(kernel.profile === 'release' ? ['--release'] : []),
    '--bin', kernel.binary,
    ...(kernel.features.length ? ['--features', kernel.features.join(',')] : []),
    '--message-format=json-diagnostic-rendered-ansi',
  ];
}

export async function runCargo(workspaceDir: string, manifest: Manifest, opts: CargoOptions = {}): Promise<CargoResult> {
  const crateDir = resolve(workspaceDir, manifest.kernel.crate);
  const cargoToml = `${manifest.kernel.crate}/Cargo.toml`;
  if (!existsSync(resolve(crateDir, 'Cargo.toml'))) {
    return {
      ok: false, cancelled: false, units: 0,
      diagnostics: [at('cargo', 'longmode.json', `kernel.crate: ${cargoToml} not found: point kernel.crate at the kernel's crate folder`)],
    };
  }
  const ctx = { workspaceDir, crateDir };
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  let compiled = 0;
  let total = Math.max(1, opts.expectedUnits ?? estimateUnits(crateDir));
  let success: boolean | undefined;
  opts.onProgress?.(0, total);
  const result = await runTool('cargo', cargoArgs(manifest), {
    cwd: crateDir,
    signal: opts.signal,
    env: { ...process.env, CARGO_TERM_COLOR: 'always' },
    onStderr: opts.onOutput,
    onStdoutLine(line) {
      const event = parseCargoLine(line, ctx);
      if (event.kind === 'message') {
        for (const d of event.diagnostics) {
          const key = JSON.stringify(d);
          if (!seen.has(key)) {
            seen.add(key);
            diagnostics.push(d);
          }
        }
        if (event.rendered) opts.onOutput?.(event.rendered.endsWith('\n') ? event.rendered : event.rendered + '\n');
      } else if (event.kind === 'artifact') {
        compiled++;
        total = Math.max(total, compiled);
        opts.onProgress?.(compiled, total);
      } else if (event.kind === 'finished') {
        success = event.success;
      } else if (event.text) {
        opts.onOutput?.(event.text + '\n');
      }
    },
  });
  if (result.cancelled) return { ok: false, cancelled: true, diagnostics, units: compiled };
  const ok = result.code === 0 && success !== false;
  if (!ok && !diagnostics.some((d) => d.severity === 'error')) {
    diagnostics.push(at('cargo', cargoToml, cargoFailure(result.stderr, result.code)));
  }
  return { ok, cancelled: false, diagnostics, units: compiled };
}

/** Packages in Cargo.lock plus a build script: a first guess at how many units cargo will build. */
function estimateUnits(crateDir: string): number {
  let packages = 1;
  try {
    packages = Math.max(1, (readFileSync(resolve(crateDir, 'Cargo.lock'), 'utf8').match(/^\[\[package\]\]/gm) ?? []).length);
  } catch {
    // no lock file yet
  }
  return packages + (existsSync(resolve(crateDir, 'build.rs')) ? 1 : 0);
}

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

function cargoFailure(stderr: string, code: number | null): string {
  const lines = stderr.replace(ANSI, '').split('\n').map((l) => l.trim());
  const errors = lines.filter((l) => /^error(\[\w+\])?:/.test(l) && !/could not compile/.test(l));
  const detail = errors.length ? errors.join('; ') : lines.filter(Boolean).slice(-3).join('; ');
  return `cargo build failed (exit code ${code})${detail ? `: ${detail}` : ''}`;
}

function at(tool: Diagnostic['tool'], file: string, message: string): Diagnostic {
  return { tool, file, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', message };
}
