#!/usr/bin/env node
// Builds what runs outside a source checkout: the CLI and Electron main/preload (esbuild) and the
// renderer bundle (vite). Fast enough to run before every `npm start` / `npm test`.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const at = (p) => resolve(root, p);
const started = Date.now();

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', packages: 'external' };
await Promise.all([
  build({ ...common, entryPoints: [at('main/node/cli/index.ts')], outfile: at('dist/cli.mjs'), format: 'esm' }),
  existsSync(at('main/electron/main.ts')) &&
    // The packaged app ships no node_modules: main and preload carry everything but Electron itself.
    build({ ...common, packages: undefined, entryPoints: [at('main/electron/main.ts')], outfile: at('dist/electron/main.cjs'), format: 'cjs', external: ['electron'] }),
  existsSync(at('main/electron/preload.ts')) &&
    build({ ...common, packages: undefined, entryPoints: [at('main/electron/preload.ts')], outfile: at('dist/electron/preload.cjs'), format: 'cjs', external: ['electron'] }),
]);

if (existsSync(at('renderer/vite.config.ts'))) {
  const vite = spawnSync(process.execPath, [at('node_modules/vite/bin/vite.js'), 'build', '--config', at('renderer/vite.config.ts'), '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (vite.status !== 0) {
    console.error('build: the renderer bundle failed to build (see vite output above).');
    process.exit(1);
  }
}
console.log(`build: dist/ ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
