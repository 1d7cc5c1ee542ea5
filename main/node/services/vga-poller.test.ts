// The poller's scheduling with a screen read the test finishes by hand: one read in flight at a
// time, a nudge during a read reads again right after it, unchanged frames are not pushed.
import { afterEach, describe, expect, it } from 'vitest';
import type { VgaFrame } from '../../common/contract';
import { VgaPoller } from './vga-poller';

const frame = (text: string): VgaFrame => ({ cols: 80, rows: 25, text, attrs: [], cursor: { row: 0, col: 0, visible: true } });

/** Reads that stay pending until the test finishes them. */
function manualReads() {
  const pending: ((f: VgaFrame) => void)[] = [];
  return {
    read: () => new Promise<VgaFrame>((resolve) => pending.push(resolve)),
    get inFlight() {
      return pending.length;
    },
    async finish(f: VgaFrame) {
      pending.shift()!(f);
      await new Promise((r) => setImmediate(r));
    },
  };
}

let poller: VgaPoller | undefined;
afterEach(() => poller?.set(false));

describe('VgaPoller', () => {
  it('reads again right after the read in flight when the guest printed meanwhile', async () => {
    const reads = manualReads();
    const pushed: string[] = [];
    poller = new VgaPoller(reads.read, (f) => pushed.push(f.text));
    poller.set(true);
    expect(reads.inFlight).toBe(1);
    poller.nudge();
    poller.nudge();
    expect(reads.inFlight).toBe(1); // never two at once
    await reads.finish(frame('before'));
    expect(reads.inFlight).toBe(1); // the nudges asked for one more, at once
    await reads.finish(frame('after'));
    expect(pushed).toEqual(['before', 'after']);
    expect(reads.inFlight).toBe(0);
  });

  it('pushes a frame only when the screen changed, and again after invalidate()', async () => {
    const reads = manualReads();
    const pushed: string[] = [];
    poller = new VgaPoller(reads.read, (f) => pushed.push(f.text));
    poller.set(true);
    await reads.finish(frame('same'));
    poller.nudge();
    await reads.finish(frame('same'));
    expect(pushed).toEqual(['same']);
    poller.invalidate();
    poller.nudge();
    await reads.finish(frame('same'));
    expect(pushed).toEqual(['same', 'same']);
  });

  it('ignores nudges while stopped', () => {
    const reads = manualReads();
    poller = new VgaPoller(reads.read, () => undefined);
    poller.nudge();
    expect(reads.inFlight).toBe(0);
  });
});
