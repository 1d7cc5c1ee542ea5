// Fits emulator/ (QemuSession and emulator/inspect) to the VmBackend the services use. Keep this
// the only file that knows the emulator's own shapes.
import type { RegisterSet, VgaFrame } from '../../common/contract';
import { PreparedSession } from '../../../emulator/prepared-session';
import { QemuSession } from '../../../emulator/session';
import { loadManifest, SECTOR_SIZE } from '../../../toolchain/manifest';
import { hex } from '../../../emulator/inspect/hex';
import { walkPageTables } from '../../../emulator/inspect/paging-walk';
import { pageWalkToJson } from '../../../emulator/inspect/paging-json';
import { decodeVgaText, vgaScreenToFrame } from '../../../emulator/inspect/vga';
import { sessionVgaSource, VgaScreenReader } from '../../../emulator/vga-screen-reader';
import type { BootRequest, PreparedBoot, PrepareRequest, VmBackend, VmSession } from './backends';
import { ServiceError } from './service-error';

export const emulatorBackend: VmBackend = {
  async start(request: BootRequest): Promise<VmSession> {
    const session = await QemuSession.start({
      image: request.image,
      memory: request.memory,
      extraArgs: request.extraArgs,
      paused: request.paused,
      fault: request.fault,
    });
    return wrap(session);
  },

  async prepare(request: PrepareRequest): Promise<PreparedBoot | undefined> {
    const manifest = await loadManifest(request.workspace).catch(() => undefined);
    if (!manifest) return undefined; // the build reports the manifest's problems
    const prepared = await PreparedSession.start({
      diskBytes: manifest.image.sectors * SECTOR_SIZE,
      memory: request.memory,
      extraArgs: request.extraArgs,
      fault: request.fault,
    }).catch(() => undefined); // the normal start reports why QEMU does not start
    if (!prepared) return undefined;
    return {
      boot: async (image) => {
        const session = await prepared.boot(image, request.paused);
        return session && wrap(session);
      },
      discard: () => prepared.discard(),
    };
  },
};

function wrap(session: QemuSession): VmSession {
  const needsPause = (what: string) => {
    if (session.state === 'running' || session.state === 'booting') {
      throw new ServiceError('guest-running', `the guest is running: pause it to ${what}`);
    }
  };
  const screenReader = new VgaScreenReader(sessionVgaSource(session));
  // a pause, reset or snapshot restore can change the screen's mode at once: read everything afresh
  session.on('state', () => screenReader.invalidate());
  return {
    qemu: session,
    status: () => session.status(),
    onStatus: (listener) => session.on('state', listener),
    onSerial: (listener) => session.on('serial', listener),
    pause: () => session.pause(),
    resume: () => session.resume(),
    reset: () => session.reset(),
    stop: () => session.stop(),
    async writeSerial(data) {
      session.writeSerial(data);
    },
    async readVga(): Promise<VgaFrame> {
      const screen = await screenReader.read();
      if (screen.mode === 'graphics') return graphicsFrame(await session.screendumpPng());
      return vgaScreenToFrame(decodeVgaText(screen.bytes, screen.cursor));
    },
    async registers(): Promise<RegisterSet> {
      needsPause('read its registers');
      const values = await session.registers();
      return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, hex(value)]));
    },
    async pageTables() {
      needsPause('walk the page tables');
      const { cr3 } = await session.registers();
      if (cr3 === undefined) throw new ServiceError('failed', 'QEMU did not report CR3; the page tables cannot be found');
      return pageWalkToJson(walkPageTables(session.ram, cr3));
    },
  };
}

/** A guest in a graphics mode: the screen as QEMU's screendump, no text cells. */
function graphicsFrame(png: Uint8Array): VgaFrame {
  return { cols: 80, rows: 25, text: '', attrs: [], cursor: { row: 0, col: 0, visible: false }, graphics: { pngBase64: Buffer.from(png).toString('base64') } };
}
