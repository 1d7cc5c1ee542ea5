// Small, strict argument parsing shared by the CLI subcommands.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Command = (args: string[]) => Promise<number>;

export class UsageError extends Error {}

export interface FlagSpec {
  /** flags that take a value, e.g. ['workspace', 'port'] */
  values?: string[];
  /** flags that are booleans, e.g. ['json', 'paused'] */
  booleans?: string[];
  /** how many positional arguments are allowed */
  positionals?: number;
}

export interface ParsedArgs {
  values: Record<string, string | undefined>;
  flags: Record<string, boolean>;
  positionals: string[];
}

export function parseArgs(args: string[], spec: FlagSpec): ParsedArgs {
  const values: Record<string, string | undefined> = {};
  const flags: Record<string, boolean> = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
      if (spec.values?.includes(name)) {
        const value = inline ?? args[++i];
        if (value === undefined) throw new UsageError(`--${name} needs a value`);
        values[name] = value;
      } else if (spec.booleans?.includes(name)) {
        flags[name] = true;
      } else {
        throw new UsageError(`unknown option --${name}`);
      }
    } else {
      positionals.push(arg);
    }
  }
  if (positionals.length > (spec.positionals ?? 0)) {
    throw new UsageError(`unexpected argument '${positionals[spec.positionals ?? 0]}'`);
  }
  return { values, flags, positionals };
}

/** The repository root (where package.json and samples/ live), found from this file. */
export function longmodeRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(resolve(dir, 'package.json')) || !existsSync(resolve(dir, 'samples'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/** The workspace a command works on: --workspace, or the bundled sample OS. */
export function workspaceDir(values: Record<string, string | undefined>): string {
  return values.workspace ? resolve(values.workspace) : resolve(longmodeRoot(), 'samples/seed-os');
}

/** Print one JSON document on stdout, with 64-bit values already as hex strings. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
