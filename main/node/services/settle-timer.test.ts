// The settle timer on a fake clock: the earliest start, postponing on activity, the deadline, cancel.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SettleTimer } from './settle-timer';

const timing = { quietMs: 100, minMs: 200, maxMs: 2000 };
let runs: number[];
let timer: SettleTimer;

beforeEach(() => {
  vi.useFakeTimers();
  runs = [];
  timer = new SettleTimer(timing);
});
afterEach(() => vi.useRealTimers());

const arm = () => {
  const start = Date.now();
  timer.arm(() => runs.push(Date.now() - start));
};

describe('SettleTimer', () => {
  it('runs at the earliest time when nothing happens', () => {
    arm();
    vi.advanceTimersByTime(199);
    expect(runs).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(runs).toEqual([200]);
    vi.advanceTimersByTime(5000);
    expect(runs).toEqual([200]); // once
  });

  it('waits for a quiet spell after activity, but not before the earliest time', () => {
    arm();
    vi.advanceTimersByTime(50);
    timer.activity(); // quiet until 150, yet not before 200
    vi.advanceTimersByTime(200);
    expect(runs).toEqual([200]);
    arm();
    vi.advanceTimersByTime(250);
    timer.activity(); // too late: it ran at 200
    expect(runs).toEqual([200, 200]);
  });

  it('postpones on activity past the earliest time, until the deadline', () => {
    arm();
    vi.advanceTimersByTime(190);
    timer.activity();
    vi.advanceTimersByTime(90);
    timer.activity(); // at 280: quiet until 380
    vi.advanceTimersByTime(99);
    expect(runs).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(runs).toEqual([380]);
    arm();
    for (let t = 0; t < 3000 && runs.length < 2; t += 50) {
      timer.activity(); // a guest that never stops printing
      vi.advanceTimersByTime(50);
    }
    expect(runs).toEqual([380, 2000]);
  });

  it('never runs a cancelled or replaced task', () => {
    arm();
    timer.cancel();
    vi.advanceTimersByTime(5000);
    expect(runs).toEqual([]);
    timer.arm(() => runs.push(-1));
    arm();
    vi.advanceTimersByTime(5000);
    expect(runs).toEqual([200]);
  });
});
