#!/usr/bin/env node
// The `longmode` CLI. In a source checkout it runs the TypeScript sources directly (always fresh);
// in a packaged or installed copy without sources it runs the bundled dist/cli.mjs.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const source = fileURLToPath(new URL('../main/node/cli/index.ts', import.meta.url));
const bundle = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url));

if (existsSync(source) && process.env.LONGMODE_USE_DIST !== '1') {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import(pathToFileURL(source).href);
  process.exitCode = await main(process.argv.slice(2));
} else if (existsSync(bundle)) {
  const { main } = await import(pathToFileURL(bundle).href);
  process.exitCode = await main(process.argv.slice(2));
} else {
  console.error('longmode: the CLI is not built. Run `npm run build` in the Longmode folder first.');
  process.exitCode = 2;
}
