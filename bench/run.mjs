#!/usr/bin/env node
// `npm run bench`: the emulator benchmarks, then the IDE's UI benchmarks (TypeScript, through tsx);
// each writes its own section of bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

let failed = false;
for (const name of ['emulator-bench.ts', 'ui-bench.ts']) {
  const script = fileURLToPath(new URL(`./${name}`, import.meta.url));
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`bench: ${name} failed`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
