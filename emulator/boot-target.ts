// What to boot: a workspace (built first, through the toolchain) or a ready disk image, with the
// kernel ELF (for the inspection record's symbol) when there is one.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildWorkspace, kernelElfPath, loadManifest, type Manifest } from '../toolchain';

export const DEFAULT_PHASE2_SERIAL = 'Longmode seed-os: phase 2';
/** what the sample prints once phase 2 has removed the low mapping: its state no longer changes */
export const DEFAULT_READY_SERIAL = 'phase 2: ready';

export interface BootTarget {
  image: string;
  kernelElf?: string;
  memory: string;
  extraArgs: string[];
  /** the serial text after which the guest is ready to inspect (manifest inspect.readySerial) */
  readySerial: string;
  /** the serial text of the phase-2 banner (manifest inspect.phase2Serial) */
  phase2Serial: string;
}

export interface BootTargetRequest {
  workspace: string;
  image?: string;
  elf?: string;
  memory?: string;
  /** build output (ANSI text) while building a workspace */
  onOutput?(text: string): void;
}

export class BootTargetError extends Error {
  constructor(
    message: string,
    /** 'build' when the workspace failed to build (exit 1), 'setup' for a missing file or tool (exit 2) */
    readonly kind: 'build' | 'setup',
  ) {
    super(message);
  }
}

export async function resolveBootTarget(req: BootTargetRequest): Promise<BootTarget> {
  if (req.image) {
    const image = resolve(req.image);
    if (!existsSync(image)) throw new BootTargetError(`disk image ${image} does not exist: check the --image path`, 'setup');
    const kernelElf = req.elf ? resolve(req.elf) : undefined;
    if (kernelElf && !existsSync(kernelElf)) throw new BootTargetError(`kernel ELF ${kernelElf} does not exist: check the --elf path`, 'setup');
    return { image, kernelElf, memory: req.memory ?? '128M', extraArgs: [], readySerial: DEFAULT_READY_SERIAL, phase2Serial: DEFAULT_PHASE2_SERIAL };
  }
  let manifest: Manifest;
  try {
    manifest = await loadManifest(req.workspace);
  } catch (err) {
    throw new BootTargetError((err as Error).message, 'setup');
  }
  const outcome = await buildWorkspace(req.workspace, { onOutput: req.onOutput });
  if (outcome.setupError) throw new BootTargetError(outcome.setupError.message, 'setup');
  if (!outcome.ok) {
    const errors = outcome.diagnostics.filter((d) => d.severity === 'error');
    const list = errors.slice(0, 10).map((d) => `  ${d.file}:${d.line}:${d.column}: ${d.message}`).join('\n');
    throw new BootTargetError(`the workspace ${req.workspace} failed to build (${errors.length} errors)${list ? ':\n' + list : ''}`, 'build');
  }
  const elf = req.elf ? resolve(req.elf) : outcome.artifacts.kernelElf || kernelElfPath(manifest, req.workspace);
  const phase2Serial = manifest.inspect.phase2Serial ?? DEFAULT_PHASE2_SERIAL;
  return {
    image: outcome.artifacts.image,
    kernelElf: existsSync(elf) ? elf : undefined,
    memory: req.memory ?? manifest.qemu?.memory ?? '128M',
    extraArgs: manifest.qemu?.args ?? [],
    readySerial: manifest.inspect.readySerial ?? manifest.inspect.phase2Serial ?? DEFAULT_READY_SERIAL,
    phase2Serial,
  };
}
