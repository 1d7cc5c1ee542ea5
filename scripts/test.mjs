#!/usr/bin/env node
// `npm test`: layer check, type-check, build, unit + integration tests (real nasm, cargo, QEMU),
// then the end-to-end tests in Chromium. Ends with one line "tests: N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;
const reports = mkdtempSync(join(tmpdir(), 'longmode-test-'));
let passed = 0;
let failed = 0;
const failures = [];

function step(name, args) {
  const started = Date.now();
  console.error(`\n── ${name} ──`);
  const run = spawnSync(node, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.error(`── ${name}: ${run.status === 0 ? 'ok' : 'FAILED'} (${seconds} s)`);
  if (run.status !== 0) failures.push(name);
  return run.status === 0;
}

function vitest(name, config) {
  const out = join(reports, `${name}.json`);
  const ok = step(name, [resolve(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  if (existsSync(out)) {
    const report = JSON.parse(readFileSync(out, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    if (!ok && !report.numFailedTests) failed += 1; // a suite that failed to load counts as a failure
  } else if (!ok) {
    failed += 1;
  }
}

step('layer check', [resolve(root, 'scripts/check-layers.mjs')]);
step('type-check', [resolve(root, 'scripts/typecheck.mjs')]);
const built = step('build', [resolve(root, 'scripts/build.mjs')]);
vitest('unit and integration tests', resolve(root, 'vitest.config.ts'));
if (built && existsSync(resolve(root, 'e2e/vitest.config.ts'))) vitest('end-to-end tests (Chromium)', resolve(root, 'e2e/vitest.config.ts'));

rmSync(reports, { recursive: true, force: true });
if (failures.length) console.error(`\nFailed steps: ${failures.join(', ')}`);
const nonTestFailures = failures.filter((f) => !f.includes('tests')).length;
console.log(`tests: ${passed} passed, ${failed + nonTestFailures} failed`);
process.exit(failures.length || failed ? 1 : 0);
