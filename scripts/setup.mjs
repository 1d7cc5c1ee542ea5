#!/usr/bin/env node
// The whole set-up behind `npm start` and `npm test`: npm dependencies when missing or stale, then the
// system tools. Missing Debian packages are installed when running as root without a terminal (CI);
// otherwise the one `sudo apt-get install …` line is printed and set-up stops.
//   node scripts/setup.mjs --for start|test
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const purpose = process.argv.includes('--for') ? process.argv[process.argv.indexOf('--for') + 1] : 'start';
const say = (msg) => console.error(`setup: ${msg}`);

function lockDigest() {
  const lock = resolve(root, 'package-lock.json');
  const text = existsSync(lock) ? readFileSync(lock) : readFileSync(resolve(root, 'package.json'));
  return createHash('sha256').update(text).digest('hex');
}

function ensureNpmDependencies() {
  const stamp = resolve(root, 'node_modules/.longmode-installed');
  const digest = lockDigest();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return;
  const useCi = existsSync(resolve(root, 'package-lock.json'));
  say(`installing npm dependencies (${useCi ? 'npm ci' : 'npm install'})…`);
  // Electron's binary is fetched by its own install script, which npm 11 leaves to us (below).
  const env = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };
  const npm = spawnSync('npm', [useCi ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit', env });
  if (npm.status !== 0) {
    say('npm could not install the dependencies (see above). Check your network or npm registry settings and run `npm install`.');
    process.exit(2);
  }
  writeFileSync(stamp, digest);
}

// `command`: found on PATH; `file`: a path (a glob's folder listing) that the package installs.
const systemTools = [
  { command: 'nasm', apt: 'nasm', needed: ['start', 'test'] },
  { command: 'qemu-system-x86_64', apt: 'qemu-system-x86', needed: ['start', 'test'] },
  { command: 'qemu-img', apt: 'qemu-utils', needed: ['start', 'test'] },
  { command: 'chromium', apt: 'chromium', needed: ['test'] },
  // the C + GRUB sample (BIOS and UEFI ISOs) and the Linux guest of the real-kernel tests
  { command: 'gcc', apt: 'gcc', needed: ['test'] },
  { command: 'make', apt: 'make', needed: ['test'] },
  { command: 'grub-mkrescue', apt: 'grub-common', needed: ['test'] },
  { file: '/usr/lib/grub/i386-pc/boot.img', apt: 'grub-pc-bin', needed: ['test'] },
  { file: '/usr/lib/grub/x86_64-efi/linux.mod', apt: 'grub-efi-amd64-bin', needed: ['test'] },
  { command: 'xorriso', apt: 'xorriso', needed: ['test'] },
  { command: 'mformat', apt: 'mtools', needed: ['test'] },
  { file: '/usr/share/OVMF/OVMF_CODE_4M.fd', apt: 'ovmf', needed: ['test'] },
  { command: 'cpio', apt: 'cpio', needed: ['test'] },
  { file: '/bin/busybox', apt: 'busybox-static', needed: ['test'] },
  { file: '/boot/vmlinuz-*-cloud-amd64', apt: 'linux-image-cloud-amd64', needed: ['test'] },
  { command: 'gdb', apt: 'gdb', needed: ['test'] },
];

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const exists = (pattern) => spawnSync('sh', ['-c', `ls ${pattern}`], { stdio: 'ignore' }).status === 0;
const present = (tool) => (tool.command ? has(tool.command) : exists(tool.file));

function ensureSystemTools() {
  const missing = systemTools.filter((t) => t.needed.includes(purpose) && !present(t));
  if (missing.length) {
    const packages = [...new Set(missing.map((t) => t.apt))];
    const isRoot = process.getuid?.() === 0;
    const interactive = process.stdin.isTTY && !process.env.CI;
    if (isRoot && !interactive && has('apt-get')) {
      say(`installing ${packages.join(', ')} with apt-get…`);
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
      const install = update.status === 0 && spawnSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env });
      if (!install || install.status !== 0) {
        say(`apt-get could not install ${packages.join(' ')}. Install them yourself and run this again.`);
        process.exit(2);
      }
    } else {
      say(`missing system tools: ${missing.map((t) => t.command ?? t.file).join(', ')}. Install them with:\n\n    sudo apt-get install -y ${packages.join(' ')}\n`);
      process.exit(2);
    }
  }
  if (!has('cargo')) {
    say('cargo (Rust) not found: the sample kernel is Rust. Install stable Rust with rustup, then run this again.');
    process.exit(2);
  }
}

ensureNpmDependencies();
ensureSystemTools();
