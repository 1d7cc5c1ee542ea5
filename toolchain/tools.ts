// The external tools Longmode needs, where to find them and how to install each one.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export type ToolName = 'nasm' | 'cargo' | 'rustc' | 'qemu-system-x86_64' | 'chromium';

export interface ToolInfo {
  name: ToolName;
  /** executable names tried in order */
  executables: string[];
  versionArgs: string[];
  versionPattern: RegExp;
  neededFor: 'build' | 'boot' | 'tests';
  /** the apt package, or undefined when installed another way (Rust) */
  aptPackage?: string;
}

export const TOOLS: ToolInfo[] = [
  { name: 'nasm', executables: ['nasm'], versionArgs: ['-v'], versionPattern: /NASM version (\S+)/, neededFor: 'build', aptPackage: 'nasm' },
  { name: 'cargo', executables: ['cargo'], versionArgs: ['--version'], versionPattern: /cargo (\S+)/, neededFor: 'build' },
  { name: 'rustc', executables: ['rustc'], versionArgs: ['--version'], versionPattern: /rustc (\S+)/, neededFor: 'build' },
  {
    name: 'qemu-system-x86_64', executables: ['qemu-system-x86_64'], versionArgs: ['--version'],
    versionPattern: /version (\S+)/, neededFor: 'boot', aptPackage: 'qemu-system-x86',
  },
  {
    name: 'chromium', executables: ['chromium', 'chromium-browser'], versionArgs: ['--version'],
    versionPattern: /Chromium (\S+)/, neededFor: 'tests', aptPackage: 'chromium',
  },
];

export const RUSTUP_INSTALL = "curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal";

function sudo(): string {
  return typeof process.getuid === 'function' && process.getuid() === 0 ? '' : 'sudo ';
}

/** The one command that installs a tool, e.g. "sudo apt-get install nasm". */
export function installCommand(tool: ToolName): string {
  const info = toolInfo(tool);
  return info.aptPackage ? `${sudo()}apt-get install -y ${info.aptPackage}` : `${RUSTUP_INSTALL} (Rust via rustup; then open a new shell)`;
}

/** One apt-get line for several tools (Rust tools are left out: rustup installs them). */
export function aptInstallLine(tools: ToolName[]): string | undefined {
  const packages = [...new Set(tools.map((t) => toolInfo(t).aptPackage).filter((p): p is string => !!p))];
  return packages.length ? `${sudo()}apt-get install -y ${packages.join(' ')}` : undefined;
}

export function toolInfo(tool: ToolName): ToolInfo {
  const info = TOOLS.find((t) => t.name === tool);
  if (!info) throw new Error(`unknown tool ${tool}`);
  return info;
}

export class MissingToolError extends Error {
  override name = 'MissingToolError';
  constructor(
    readonly tool: ToolName,
    readonly install: string,
  ) {
    super(`${tool} not found: install it with \`${install}\``);
  }
}

/** "nasm not found: install it with `sudo apt-get install -y nasm`", for any layer to throw. */
export function missingToolError(tool: ToolName): MissingToolError {
  return new MissingToolError(tool, installCommand(tool));
}

/** Folders searched for tools: PATH, plus ~/.cargo/bin (desktop sessions often lack it in PATH). */
export function searchPath(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  const cargoBin = join(env.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin');
  if (!dirs.includes(cargoBin)) dirs.push(cargoBin);
  return dirs;
}

/** The absolute path of a tool's executable, or undefined. */
export async function locateTool(tool: ToolName, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  for (const exe of toolInfo(tool).executables) {
    for (const dir of searchPath(env)) {
      const candidate = join(dir, exe);
      try {
        await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}
