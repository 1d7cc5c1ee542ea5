// `longmode doctor [--json]`: the tools Longmode uses, their versions, and how to install what is
// missing. Exit 0 when everything needed to build and boot is present, 2 otherwise.
import { runDoctor } from '../../../toolchain';
import { parseArgs, printJson, type Command } from './args';

export const command: Command = async (args) => {
  const { flags } = parseArgs(args, { booleans: ['json'] });
  const report = await runDoctor();
  const colour = (code: number, text: string) => (process.stdout.isTTY ? `\x1b[${code}m${text}\x1b[0m` : text);
  if (flags.json) {
    printJson(report);
  } else {
    for (const t of report.tools) {
      const status = t.found ? `${colour(32, 'ok')}      ${t.version ?? '(version unknown)'}  ${t.path}` : `${colour(31, 'missing')} install it with \`${t.install}\``;
      console.log(`${t.tool.padEnd(20)} ${status}${t.found ? '' : `  (needed for ${t.neededFor})`}`);
    }
    if (report.aptInstall) console.log(`\nInstall the missing system packages with:\n  ${report.aptInstall}`);
    if (report.rustInstall) console.log(`\nInstall Rust with rustup:\n  ${report.rustInstall}`);
    console.log(report.ok ? '\nEverything needed to build and boot is installed.' : '\nSome tools needed to build or boot are missing (see above).');
  }
  return report.ok ? 0 : 2;
};
