// The desktop package, validated without Electron's binary (it cannot be downloaded here):
// electron-builder's own schema check of electron-builder.yml, the targets, the file list against
// what scripts/build.mjs produces, the sample OS resource, and that the packaged app starts the
// same file `npm start` does.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const at = (p: string) => join(repoRoot, p);
// electron-builder's own modules (installed with it): the config validator and its glob matcher
const builderRequire = createRequire(createRequire(import.meta.url).resolve('app-builder-lib/package.json'));
const { validateConfiguration } = builderRequire('./out/util/config/config.js') as { validateConfiguration(config: unknown, logger: unknown): Promise<void> };
const { DebugLogger } = builderRequire('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const { minimatch } = builderRequire('minimatch') as { minimatch(path: string, pattern: string, options?: { dot?: boolean }): boolean };

interface BuilderConfig {
  appId: string;
  directories?: { output?: string };
  files: string[];
  extraResources: { from: string; to: string; filter: string[] }[];
  asar?: boolean;
  linux: { target: string[] };
  mac: { target: string[] };
  win: { target: string[] };
  deb?: { depends?: string[] };
}

const config = load(readFileSync(at('electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(at('package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };

/** Files under `dir` (repository-relative, '/'-separated). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string) => {
    for (const name of readdirSync(abs)) {
      const child = join(abs, name);
      if (statSync(child).isDirectory()) walk(child);
      else out.push(relative(repoRoot, child).split('\\').join('/'));
    }
  };
  if (existsSync(at(dir))) walk(at(dir));
  return out;
}

/** electron-builder's rule: a file ships when a positive pattern matches it and no later "!" pattern does. */
function selected(files: string[], patterns: string[], base = ''): string[] {
  return files.filter((file) => {
    const path = base ? relative(base, file).split('\\').join('/') : file;
    let included = false;
    for (const pattern of patterns) {
      if (pattern.startsWith('!')) {
        if (minimatch(path, pattern.slice(1), { dot: true })) included = false;
      } else if (minimatch(path, pattern, { dot: true })) included = true;
    }
    return included;
  });
}

beforeAll(() => {
  // `npm test` builds first; run the build here only when its outputs are missing
  if (!['dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html'].every((p) => existsSync(at(p)))) {
    const build = spawnSync(process.execPath, [at('scripts/build.mjs')], { cwd: repoRoot, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`node scripts/build.mjs failed:\n${build.stderr}`);
  }
});

describe('electron-builder.yml', () => {
  it("passes electron-builder's own configuration schema", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // and the validator does reject a wrong field (so the line above can fail)
    await expect(validateConfiguration({ ...config, linux: { ...config.linux, targets: ['AppImage'] } }, new DebugLogger(false))).rejects.toThrow(/configuration/);
  });

  it('targets AppImage and deb on Linux, dmg on macOS, nsis on Windows', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.mac.target).toContain('dmg');
    expect(config.win.target).toContain('nsis');
    expect(config.deb?.depends).toEqual(expect.arrayContaining(['nasm', 'qemu-system-x86']));
    expect(config.directories?.output).toBe('release');
    expect(readFileSync(at('.gitignore'), 'utf8')).toMatch(/^release\/$/m);
  });

  it('ships the built app: every files pattern matches, and main, preload and the renderer are in', () => {
    const candidates = ['package.json', ...filesUnder('dist')];
    for (const pattern of config.files.filter((p) => !p.startsWith('!'))) {
      expect(candidates.some((file) => minimatch(file, pattern, { dot: true })), `no file matches ${pattern}`).toBe(true);
    }
    const shipped = selected(candidates, config.files);
    expect(shipped).toEqual(expect.arrayContaining(['package.json', 'dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html']));
    expect(shipped.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(shipped.filter((f) => f.startsWith('dist/cli'))).toEqual([]); // the CLI runs from a checkout, not the app
    // every script and stylesheet the page loads is shipped
    const html = readFileSync(at('dist/renderer/index.html'), 'utf8');
    const assets = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => `dist/renderer/${m[1]}`);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect(shipped, asset).toContain(asset);
  });

  it('needs no node_modules at run time: main and preload require only Electron and Node', () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    for (const bundle of ['dist/electron/main.cjs', 'dist/electron/preload.cjs']) {
      const required = [...readFileSync(at(bundle), 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]);
      expect(required, bundle).toContain('electron');
      expect(required.filter((r) => r !== 'electron' && !builtins.has(r)), `${bundle} requires packages that are not shipped`).toEqual([]);
    }
  });

  it('ships the sample OS sources as a resource, without build outputs', () => {
    const sample = config.extraResources.find((r) => r.to === 'samples/seed-os');
    expect(sample?.from).toBe('samples/seed-os');
    const files = filesUnder(sample!.from);
    const shipped = selected(files, sample!.filter, sample!.from);
    expect(shipped).toEqual(expect.arrayContaining(['samples/seed-os/longmode.json', 'samples/seed-os/kernel/Cargo.toml']));
    expect(shipped.some((f) => f.endsWith('.asm'))).toBe(true);
    // no build outputs, and no per-user state (backups of unsaved edits, UI state) from a browser-mode run
    expect(shipped.filter((f) => /\/(build|target|\.longmode)\//.test(f.slice(sample!.from.length)))).toEqual([]);
    expect(selected(['samples/seed-os/.longmode/backups/x.json', 'samples/seed-os/build/disk.img'], sample!.filter, sample!.from)).toEqual([]);
    // main.ts finds it where extraResources puts it
    expect(readFileSync(at('main/electron/main.ts'), 'utf8')).toMatch(/join\(resourcesRoot, 'samples\/seed-os'\)/);
  });

  it("starts the packaged app the way `npm start` does: dist/electron/main.cjs", () => {
    expect(pkg.main).toBe('dist/electron/main.cjs'); // what Electron runs inside the package
    const start = readFileSync(at('scripts/start.mjs'), 'utf8');
    expect(start).toMatch(/spawn\(electron, \[resolve\(root, 'dist\/electron\/main\.cjs'\)/);
    expect(pkg.scripts.start).toMatch(/scripts\/start\.mjs/);
    expect(pkg.scripts.dist).toMatch(/^node scripts\/build\.mjs && electron-builder --config electron-builder\.yml$/);
    // main.cjs finds the renderer and preload relative to the app folder in both cases
    const main = readFileSync(at('main/electron/main.ts'), 'utf8');
    expect(main).toMatch(/join\(appRoot, 'dist\/renderer'\)/);
    expect(main).toMatch(/join\(__dirname, 'preload\.cjs'\)/);
  });
});
