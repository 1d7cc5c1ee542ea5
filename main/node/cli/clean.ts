// `longmode clean [--workspace DIR] [--json]`: removes the build outputs and cargo's target folder.
import { ManifestError, MissingToolError, cleanWorkspace } from '../../../toolchain';
import { parseArgs, printJson, workspaceDir, type Command } from './args';

export const command: Command = async (args) => {
  const { values, flags } = parseArgs(args, { values: ['workspace'], booleans: ['json'] });
  try {
    const { removed } = await cleanWorkspace(workspaceDir(values));
    if (flags.json) printJson({ ok: true, removed });
    else console.log(removed.length ? `removed ${removed.join(', ')}` : 'nothing to clean');
    return 0;
  } catch (err) {
    if (!(err instanceof ManifestError || err instanceof MissingToolError)) throw err;
    if (flags.json) printJson({ ok: false, error: err.message });
    console.error(`longmode clean: ${err.message}`);
    return 2;
  }
};
