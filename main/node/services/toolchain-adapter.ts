// Fits toolchain/ to the BuildBackend the services use. Keep this the only file that knows
// the toolchain's own shapes.
import { basename } from 'node:path';
import type { BuildResult } from '../../common/contract';
import { buildWorkspace } from '../../../toolchain/build';
import { loadManifest, ManifestError } from '../../../toolchain/manifest';
import type { BuildBackend, BuildHooks } from './backends';
import { readOnlyWorkspaceProblem } from './build-folders';
import { ServiceError } from './service-error';

export const toolchainBackend: BuildBackend = {
  async describe(workspace) {
    try {
      const manifest = await loadManifest(workspace);
      return { name: manifest.name, manifestProblems: [], qemu: { memory: manifest.qemu.memory, args: manifest.qemu.args } };
    } catch (err) {
      if (err instanceof ManifestError) {
        return { name: basename(workspace), manifestProblems: err.problems.map((p) => ({ path: p.path, message: p.message })) };
      }
      throw err;
    }
  },

  async build(workspace: string, hooks: BuildHooks): Promise<BuildResult> {
    const readOnly = await readOnlyWorkspaceProblem(workspace);
    if (readOnly) {
      hooks.onOutput(`\x1b[1;31m${readOnly}\x1b[0m\r\n`);
      throw new ServiceError('failed', readOnly);
    }
    const outcome = await buildWorkspace(workspace, hooks);
    if (outcome.setupError) hooks.onOutput(`\x1b[1;31m${outcome.setupError.message}\x1b[0m\r\n`);
    const { ok, cancelled, diagnostics, image, kernelElf, durationMs } = outcome;
    return { ok, cancelled, diagnostics, durationMs, ...(image ? { image } : {}), ...(kernelElf ? { kernelElf } : {}) };
  },
};
