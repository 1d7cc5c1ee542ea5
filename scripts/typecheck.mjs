#!/usr/bin/env node
// Type-checks each layer with its own tsconfig, so a layer that reaches for the wrong runtime fails.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const projects = ['base/tsconfig.json', 'main/common/tsconfig.json', 'tsconfig.json', 'renderer/tsconfig.json', 'main/electron/tsconfig.json', 'renderer/tsconfig.test.json', 'e2e/tsconfig.json'];
let failed = false;
for (const project of projects) {
  if (!existsSync(resolve(root, project))) continue;
  const tsc = spawnSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: root, stdio: 'inherit' });
  console.error(`typecheck ${project}: ${tsc.status === 0 ? 'ok' : 'FAILED'}`);
  failed ||= tsc.status !== 0;
}
process.exit(failed ? 1 : 0);
