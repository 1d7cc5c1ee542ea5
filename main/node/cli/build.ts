// `longmode build [--workspace DIR] [--json]`: nasm + cargo + disk image. Console text and progress
// stream to stderr; stdout gets a summary, or with --json one document
// { ok, cancelled, diagnostics, artifacts, durationMs, steps }. Exit 0 ok, 1 build failed, 2 setup.
import type { BuildProgress, Diagnostic } from '../../common/contract';
import { buildWorkspace, type BuildOutcome } from '../../../toolchain';
import { readOnlyWorkspaceProblem } from '../services/build-folders';
import { parseArgs, printJson, workspaceDir, type Command } from './args';

export const command: Command = async (args) => {
  const { values, flags } = parseArgs(args, { values: ['workspace'], booleans: ['json'] });
  const readOnly = await readOnlyWorkspaceProblem(workspaceDir(values));
  if (readOnly) {
    if (flags.json) printJson({ ok: false, cancelled: false, diagnostics: [], setupError: { kind: 'read-only-workspace', message: readOnly } });
    else console.error(`longmode build: ${readOnly}`);
    return 2;
  }
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  let outcome: BuildOutcome;
  try {
    outcome = await buildWorkspace(workspaceDir(values), {
      signal: controller.signal,
      onOutput: (text) => process.stderr.write(text),
      onProgress: progressPrinter(),
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
  if (flags.json) {
    const { ok, cancelled, diagnostics, artifacts, durationMs, steps, image, kernelElf, setupError } = outcome;
    printJson({ ok, cancelled, diagnostics, artifacts, durationMs, steps, image, kernelElf, setupError });
  } else {
    printSummary(outcome);
  }
  if (outcome.setupError) return 2;
  return outcome.ok ? 0 : 1;
};

function progressPrinter(): (p: BuildProgress) => void {
  let last = '';
  return (p) => {
    if (p.step === 'done') return;
    const line = `longmode: ${p.step}: ${p.message}`;
    if (line !== last) process.stderr.write(`\x1b[2m${line}\x1b[0m\n`);
    last = line;
  };
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}${d.code ? ` [${d.code}]` : ''} (${d.tool})`;
}

function printSummary(outcome: BuildOutcome): void {
  for (const d of outcome.diagnostics) console.log(formatDiagnostic(d));
  const seconds = (outcome.durationMs / 1000).toFixed(2);
  if (outcome.setupError) {
    console.log(`build could not run: ${outcome.setupError.message}`);
  } else if (outcome.cancelled) {
    console.log('build cancelled: the previous image is unchanged');
  } else if (outcome.ok) {
    const skipped = outcome.steps.filter((s) => s.skipped).map((s) => s.name);
    console.log(`build succeeded in ${seconds} s: ${outcome.image}${skipped.length ? ` (up to date: ${skipped.join(', ')})` : ''}`);
  } else {
    const errors = outcome.diagnostics.filter((d) => d.severity === 'error').length;
    console.log(`build failed in ${seconds} s with ${errors} error${errors === 1 ? '' : 's'}: the previous image is unchanged`);
  }
}
