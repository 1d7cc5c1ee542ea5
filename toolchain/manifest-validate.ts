// Validates a parsed longmode.json and reports every problem with its JSON path and what to do.
import { posix } from 'node:path';
import type { BootloaderSpec, ImagePiece, Manifest } from './manifest';

export interface ManifestProblem {
  path: string; // e.g. 'image.pieces[2].lba'
  message: string;
}

type Json = Record<string, unknown>;

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FEATURE_RE = /^[A-Za-z0-9_][A-Za-z0-9_\-/]*$/;
const MEMORY_RE = /^(\d+)([KMG]?)$/;
const MAX_MEMORY_MIB = 2048;

export function validateManifest(json: unknown): { manifest?: Manifest; problems: ManifestProblem[] } {
  const problems: ManifestProblem[] = [];
  const report = (path: string, message: string) => problems.push({ path, message });
  const ctx = { report };
  if (!isObject(json)) {
    report('', 'must be a JSON object (see samples/seed-os/longmode.json)');
    return { problems };
  }
  unknownKeys(ctx, json, '', ['name', 'bootloader', 'kernel', 'image', 'qemu', 'inspect']);
  const name = requireString(ctx, json, 'name', '');
  const bootloader = validateBootloader(ctx, json.bootloader);
  const kernel = validateKernel(ctx, json.kernel);
  const image = validateImage(ctx, json.image, bootloader);
  const qemu = validateQemu(ctx, json.qemu);
  const inspect = validateInspect(ctx, json.inspect);
  if (bootloader && image) {
    const outputs = new Map(bootloader.map((b, i) => [posix.normalize(b.output), `bootloader[${i}].output`]));
    const clash = outputs.get(posix.normalize(image.output));
    if (clash) report('image.output', `is the same file as ${clash}: give the image its own file name`);
  }
  if (problems.length > 0 || !name || !bootloader || !kernel || !image || !qemu || !inspect) return { problems };
  return { manifest: { name, bootloader, kernel, image, qemu, inspect }, problems };
}

interface Ctx {
  report(path: string, message: string): void;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unknownKeys(ctx: Ctx, obj: Json, at: string, known: string[]): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) ctx.report(join(at, key), `unknown field (expected one of: ${known.join(', ')}): remove it or fix its spelling`);
  }
}

function join(at: string, key: string): string {
  return at ? `${at}.${key}` : key;
}

function requireString(ctx: Ctx, obj: Json, key: string, at: string): string | undefined {
  const v = obj[key];
  if (typeof v !== 'string' || v.trim() === '') {
    ctx.report(join(at, key), v === undefined ? 'is missing: add a non-empty string' : 'must be a non-empty string');
    return undefined;
  }
  return v;
}

/** A workspace-relative path that stays inside the workspace. */
function requirePath(ctx: Ctx, obj: Json, key: string, at: string): string | undefined {
  const v = requireString(ctx, obj, key, at);
  if (v === undefined) return undefined;
  return checkPath(ctx, v, join(at, key));
}

function checkPath(ctx: Ctx, v: string, path: string): string | undefined {
  const normal = posix.normalize(v.replace(/\\/g, '/'));
  if (posix.isAbsolute(normal) || /^[A-Za-z]:/.test(v) || normal === '..' || normal.startsWith('../')) {
    ctx.report(path, `'${v}' must stay inside the workspace: use a path relative to the workspace root, without ..`);
    return undefined;
  }
  if (normal === '.' || normal === '') {
    ctx.report(path, 'must name a file or folder inside the workspace, not the workspace itself');
    return undefined;
  }
  return normal.replace(/\/$/, '');
}

function requireInteger(ctx: Ctx, obj: Json, key: string, at: string, min: number, why = ''): number | undefined {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    ctx.report(join(at, key), v === undefined ? `is missing: add an integer ≥ ${min}` : `must be an integer ≥ ${min}`);
    return undefined;
  }
  if (v < min) {
    ctx.report(join(at, key), `must be ≥ ${min}${why}`);
    return undefined;
  }
  return v;
}

function stringArray(ctx: Ctx, v: unknown, path: string, check?: (s: string, p: string) => string | undefined): string[] | undefined {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    ctx.report(path, 'must be an array of strings');
    return undefined;
  }
  const out: string[] = [];
  let ok = true;
  v.forEach((item, i) => {
    if (typeof item !== 'string') {
      ctx.report(`${path}[${i}]`, 'must be a string');
      ok = false;
      return;
    }
    const checked = check ? check(item, `${path}[${i}]`) : item;
    if (checked === undefined) ok = false;
    else out.push(checked);
  });
  return ok ? out : undefined;
}

function validateBootloader(ctx: Ctx, v: unknown): BootloaderSpec[] | undefined {
  if (!Array.isArray(v) || v.length === 0) {
    ctx.report('bootloader', v === undefined ? 'is missing: list the NASM stages, e.g. [{ "name": "stage1", "source": "boot/stage1.asm", "output": "build/stage1.bin" }]' : 'must be a non-empty array of NASM stages');
    return undefined;
  }
  const stages: BootloaderSpec[] = [];
  const seen = new Set<string>();
  let ok = true;
  v.forEach((item, i) => {
    const at = `bootloader[${i}]`;
    if (!isObject(item)) {
      ctx.report(at, 'must be an object { name, source, output }');
      ok = false;
      return;
    }
    unknownKeys(ctx, item, at, ['name', 'source', 'output', 'includes', 'format']);
    let name = requireString(ctx, item, 'name', at);
    if (name !== undefined && !NAME_RE.test(name)) {
      ctx.report(`${at}.name`, `'${name}' must be letters, digits and _ (it becomes the nasm define LM_${name.toUpperCase()}_LBA)`);
      name = undefined;
    } else if (name !== undefined && name.toLowerCase() === 'kernel') {
      ctx.report(`${at}.name`, `'kernel' is reserved for the kernel artifact: choose another stage name`);
      name = undefined;
    } else if (name !== undefined && seen.has(name.toLowerCase())) {
      ctx.report(`${at}.name`, `'${name}' is used by an earlier stage: stage names must be unique (ignoring case)`);
      name = undefined;
    }
    if (name) seen.add(name.toLowerCase());
    const source = requirePath(ctx, item, 'source', at);
    const output = requirePath(ctx, item, 'output', at);
    const includes = stringArray(ctx, item.includes, `${at}.includes`, (s, p) => checkPath(ctx, s, p));
    if (item.format !== undefined && item.format !== 'bin') ctx.report(`${at}.format`, `must be "bin" (flat binary, nasm -f bin), the only format the image takes`);
    if (!name || !source || !output || !includes || (item.format !== undefined && item.format !== 'bin')) ok = false;
    else stages.push({ name, source, output, includes, format: 'bin' });
  });
  return ok ? stages : undefined;
}

function validateKernel(ctx: Ctx, v: unknown): Manifest['kernel'] | undefined {
  if (!isObject(v)) {
    ctx.report('kernel', v === undefined ? 'is missing: add { "crate": "kernel", "profile": "release", "binary": "kernel", "features": [] }' : 'must be an object { crate, profile, binary, features }');
    return undefined;
  }
  unknownKeys(ctx, v, 'kernel', ['crate', 'profile', 'binary', 'features']);
  const crate = requirePath(ctx, v, 'crate', 'kernel');
  const profile = v.profile ?? 'release';
  if (profile !== 'release' && profile !== 'dev') ctx.report('kernel.profile', 'must be "release" or "dev"');
  let binary = requireString(ctx, v, 'binary', 'kernel');
  if (binary !== undefined && !/^[A-Za-z0-9_-]+$/.test(binary)) {
    ctx.report('kernel.binary', `'${binary}' must be a cargo binary name (letters, digits, _ and -)`);
    binary = undefined;
  }
  const features = stringArray(ctx, v.features, 'kernel.features', (s, p) => {
    if (FEATURE_RE.test(s)) return s;
    ctx.report(p, `'${s}' is not a cargo feature name (letters, digits, _, - and /)`);
    return undefined;
  });
  if (!crate || !binary || !features || (profile !== 'release' && profile !== 'dev')) return undefined;
  return { crate, profile, binary, features };
}

function validateImage(ctx: Ctx, v: unknown, stages: BootloaderSpec[] | undefined): Manifest['image'] | undefined {
  if (!isObject(v)) {
    ctx.report('image', v === undefined ? 'is missing: add { "output": "build/os.img", "sectors": 2048, "pieces": [...] }' : 'must be an object { output, sectors, pieces }');
    return undefined;
  }
  unknownKeys(ctx, v, 'image', ['output', 'sectors', 'pieces']);
  const output = requirePath(ctx, v, 'output', 'image');
  const sectors = requireInteger(ctx, v, 'sectors', 'image', 1);
  const pieces = validatePieces(ctx, v.pieces, stages, sectors);
  if (!output || !sectors || !pieces) return undefined;
  return { output, sectors, pieces };
}

function validatePieces(ctx: Ctx, v: unknown, stages: BootloaderSpec[] | undefined, imageSectors: number | undefined): ImagePiece[] | undefined {
  if (!Array.isArray(v) || v.length === 0) {
    ctx.report('image.pieces', 'must be a non-empty array of { artifact, lba, sectors }');
    return undefined;
  }
  const names = stages?.map((s) => s.name);
  const pieces: (ImagePiece & { at: string })[] = [];
  let ok = true;
  const used = new Map<string, string>();
  v.forEach((item, i) => {
    const at = `image.pieces[${i}]`;
    if (!isObject(item)) {
      ctx.report(at, 'must be an object { artifact, lba, sectors }');
      ok = false;
      return;
    }
    unknownKeys(ctx, item, at, ['artifact', 'lba', 'sectors']);
    let artifact = requireString(ctx, item, 'artifact', at);
    if (artifact !== undefined && artifact !== 'kernel' && names && !names.includes(artifact)) {
      ctx.report(`${at}.artifact`, `'${artifact}' is neither "kernel" nor a bootloader stage name (${names.join(', ')})`);
      artifact = undefined;
    } else if (artifact !== undefined && used.has(artifact)) {
      ctx.report(`${at}.artifact`, `'${artifact}' is already placed by ${used.get(artifact)}: place each artifact once`);
      artifact = undefined;
    }
    if (artifact) used.set(artifact, at);
    const lba = requireInteger(ctx, item, 'lba', at, 0);
    const sectors = requireInteger(ctx, item, 'sectors', at, 1);
    if (lba === 0 && artifact === 'kernel') {
      ctx.report(`${at}.lba`, 'must be ≥ 1 (LBA 0 is the boot sector, which must be a bootloader stage)');
      ok = false;
    } else if (lba === 0 && sectors !== undefined && sectors !== 1) {
      ctx.report(`${at}.sectors`, 'must be 1: the piece at LBA 0 is the 512-byte boot sector');
      ok = false;
    }
    if (artifact === undefined || lba === undefined || sectors === undefined) ok = false;
    else pieces.push({ artifact, lba, sectors, at });
  });
  if (!ok) return undefined;
  const atZero = pieces.filter((p) => p.lba === 0);
  if (atZero.length === 0) ctx.report('image.pieces', 'no piece is at LBA 0: the boot sector (stage 1) must be placed at { "lba": 0, "sectors": 1 }');
  for (const p of atZero.slice(1)) ctx.report(`${p.at}.lba`, `must be ≥ 1 (LBA 0 is the boot sector, already taken by ${atZero[0].at})`);
  if (!used.has('kernel')) ctx.report('image.pieces', 'no piece holds the kernel: add { "artifact": "kernel", "lba": …, "sectors": … }');
  const sorted = [...pieces].sort((a, b) => a.lba - b.lba);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (cur.lba !== 0 && prev.lba + prev.sectors > cur.lba) {
      ctx.report(`${cur.at}.lba`, `${cur.lba} overlaps ${prev.at} (sectors ${prev.lba}–${prev.lba + prev.sectors - 1}): move it to ≥ ${prev.lba + prev.sectors} or shrink ${prev.at}.sectors`);
    }
  }
  if (imageSectors !== undefined) {
    for (const p of pieces) {
      if (p.lba + p.sectors > imageSectors) {
        ctx.report(`${p.at}.sectors`, `the piece ends at sector ${p.lba + p.sectors}, past image.sectors (${imageSectors}): raise image.sectors or shrink the piece`);
      }
    }
  }
  return pieces.map(({ at: _at, ...p }) => p);
}

function validateQemu(ctx: Ctx, v: unknown): Manifest['qemu'] | undefined {
  if (v === undefined) return { memory: '128M', args: [] };
  if (!isObject(v)) {
    ctx.report('qemu', 'must be an object { memory, args }');
    return undefined;
  }
  unknownKeys(ctx, v, 'qemu', ['memory', 'args']);
  const memory = v.memory ?? '128M';
  let memoryOk = false;
  const m = typeof memory === 'string' ? MEMORY_RE.exec(memory) : null;
  if (!m) {
    ctx.report('qemu.memory', 'must be a size like "128M" (a number with an optional K, M or G suffix)');
  } else {
    const mib = Number(m[1]) * ({ '': 1 / (1024 * 1024), K: 1 / 1024, M: 1, G: 1024 } as Record<string, number>)[m[2]];
    if (mib < 2) ctx.report('qemu.memory', 'must be at least 2M for the guest to boot');
    else if (mib > MAX_MEMORY_MIB) ctx.report('qemu.memory', 'must be at most 2G (Longmode reads guest RAM below the PCI hole)');
    else memoryOk = true;
  }
  const args = stringArray(ctx, v.args, 'qemu.args');
  if (!memoryOk || !args) return undefined;
  return { memory: memory as string, args };
}

const SERIAL_TEXT_KEYS = ['phase2Serial', 'readySerial'] as const;

function validateInspect(ctx: Ctx, v: unknown): Manifest['inspect'] | undefined {
  if (v === undefined) return {};
  if (!isObject(v)) {
    ctx.report('inspect', 'must be an object (emulator options such as readySerial), or be left out');
    return undefined;
  }
  let ok = true;
  for (const key of SERIAL_TEXT_KEYS) {
    if (v[key] === undefined || (typeof v[key] === 'string' && v[key] !== '')) continue;
    ctx.report(`inspect.${key}`, 'must be the non-empty serial text to wait for, e.g. "phase 2: ready", or be left out');
    ok = false;
  }
  return ok ? v : undefined;
}
