#!/usr/bin/env node
// Checks the direction of imports between layers (the way VS Code's layering rule does):
//   base/         -> nothing else, no packages (domain types every layer shares)
//   main/common   -> base, no packages (the IPC contract)
//   toolchain/    -> base, common, Node
//   emulator/     -> base, common, toolchain, Node
//   main/node/    -> base, common, toolchain, emulator, Node; never Electron, DOM packages or renderer/
//   main/electron -> all of the above + electron
//   renderer/     -> base + main/common + browser packages, never Node builtins or the node layers
// Test files (*.test.ts) may additionally use Node builtins and vitest.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, dirname, resolve, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const browserPackages = ['monaco-editor', '@xterm/'];

const layers = {
  base: { dirs: ['base'], mayImport: ['base'], packages: 'none' },
  common: { dirs: ['main/common'], mayImport: ['base', 'common'], packages: 'none' },
  toolchain: { dirs: ['toolchain'], mayImport: ['base', 'common', 'toolchain'], packages: 'node' },
  emulator: { dirs: ['emulator'], mayImport: ['base', 'common', 'toolchain', 'emulator'], packages: 'node' },
  node: { dirs: ['main/node'], mayImport: ['base', 'common', 'toolchain', 'emulator', 'node'], packages: 'node' },
  electron: { dirs: ['main/electron'], mayImport: ['base', 'common', 'toolchain', 'emulator', 'node', 'electron'], packages: 'electron' },
  browser: { dirs: ['renderer'], mayImport: ['base', 'common', 'browser'], packages: 'browser' },
};

function layerOf(relPath) {
  for (const [name, layer] of Object.entries(layers)) {
    if (layer.dirs.some((d) => relPath === d || relPath.startsWith(d + '/'))) return name;
  }
  return undefined;
}

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'target' || entry === 'dist') continue;
    const full = join(dir, entry);
    const st = statSync(full);
    if (st.isDirectory()) yield* sourceFiles(full);
    else if (/\.(ts|tsx|mts|cts)$/.test(entry) && !entry.endsWith('.d.ts')) yield full;
  }
}

const importRe = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

const problems = [];
for (const [layerName, layer] of Object.entries(layers)) {
  for (const dir of layer.dirs) {
    let files;
    try { files = [...sourceFiles(join(root, dir))]; } catch { continue; }
    for (const file of files) {
      const rel = relative(root, file).split(sep).join('/');
      if (layerOf(rel) !== layerName) continue;
      if (/(^|\/)[^/]+\.config\.ts$/.test(rel)) continue; // build-tool configs run in Node, not in their layer
      const isTest = /\.test\.ts$/.test(rel);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(importRe)) {
        const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
        const where = `${rel}: imports '${spec}'`;
        if (spec.startsWith('.')) {
          const target = relative(root, resolve(dirname(file), spec)).split(sep).join('/');
          const targetLayer = layerOf(target);
          if (targetLayer && !layer.mayImport.includes(targetLayer)) {
            problems.push(`${where} — the ${layerName} layer may not import the ${targetLayer} layer`);
          }
          continue;
        }
        if (isTest && (builtins.has(spec) || spec === 'vitest' || spec.startsWith('fast-check'))) continue;
        const isBuiltin = builtins.has(spec);
        const isElectron = spec === 'electron' || spec.startsWith('electron/');
        const isBrowserPkg = browserPackages.some((p) => spec.startsWith(p));
        if (layer.packages === 'none') problems.push(`${where} — ${layer.dirs[0]}/ must stay free of packages and Node`);
        else if (layer.packages === 'node' && (isElectron || isBrowserPkg)) problems.push(`${where} — the node layer must not use Electron or browser packages`);
        else if (layer.packages === 'electron' && isBrowserPkg) problems.push(`${where} — electron-main must not use browser packages`);
        else if (layer.packages === 'browser' && (isBuiltin || isElectron)) problems.push(`${where} — renderer/ must not touch Node or Electron; talk to the contract instead`);
      }
    }
  }
}

if (problems.length) {
  console.error(`Layer check failed (${problems.length}):\n  ` + problems.join('\n  '));
  process.exit(1);
}
console.log('layer check: imports follow base <- common <- toolchain <- emulator <- main/node <- electron-main, base <- common <- browser');
