// The `longmode` command line: one module a subcommand, each exporting `run(args): Promise<number>`.
// Exit codes: 0 ok, 1 the thing failed (build errors, guest fault, timeout), 2 usage or environment error.
import { UsageError, type Command } from './args';

const commands: Record<string, () => Promise<{ command: Command }>> = {
  doctor: () => import('./doctor'),
  build: () => import('./build'),
  clean: () => import('./clean'),
  boot: () => import('./boot'),
  inspect: () => import('./inspect'),
  serve: () => import('./serve'),
};

const usage = `Usage: longmode <command> [options]

Commands:
  doctor                       check nasm, cargo, QEMU and Chromium, and say how to install what is missing
  build   [--workspace DIR]    assemble the bootloader, build the kernel, write the disk image
  clean   [--workspace DIR]    remove build outputs
  boot    [--workspace DIR | --image IMG] [--paused] [--until-serial TEXT] [--timeout S] [--fault page|triple|spin|double] [--memory 128M]
  inspect <pagetables|memmap|heap|vga|registers> [--workspace DIR | --image IMG [--elf ELF]] [--after-serial TEXT] [--memory 128M]
  serve   [--workspace DIR] [--port N]   serve the IDE to a browser on 127.0.0.1

Every command takes --json to print one JSON document on stdout.
The default workspace is the bundled sample OS (samples/seed-os).`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    console.error(`longmode: unknown command '${name}'.\n\n${usage}`);
    return 2;
  }
  try {
    const { command } = await load();
    return await command(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`longmode ${name}: ${err.message}`);
      return 2;
    }
    throw err;
  }
}
