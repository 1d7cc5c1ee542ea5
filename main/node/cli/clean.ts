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
    const message = permissionProblem(err) ?? (err instanceof ManifestError || err instanceof MissingToolError ? err.message : undefined);
    if (message === undefined) throw err;
    if (flags.json) printJson({ ok: false, error: message });
    console.error(`longmode clean: ${message}`);
    return 2;
  }
};

/** A clean refused by file permissions (a read-only workspace), said plainly. */
function permissionProblem(err: unknown): string | undefined {
  const { code, path } = err as NodeJS.ErrnoException;
  if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS') return undefined;
  return `cannot remove ${path ?? 'the build outputs'}: the workspace is not writable by you (${code}); make it yours (chown -R, or chmod -R u+w) and clean again`;
}
