// Runs a task once something has settled: after `quietMs` without activity, at the earliest
// `minMs` and at the latest `maxMs` after it was armed (a guest that never stops printing still gets it).
export interface SettleTiming {
  quietMs: number;
  minMs: number;
  maxMs: number;
}

export class SettleTimer {
  private pending: { timer: NodeJS.Timeout; earliest: number; deadline: number; task: () => void } | undefined;

  constructor(private readonly timing: SettleTiming) {}

  /** Arms the timer for `task`, replacing a task still waiting. */
  arm(task: () => void): void {
    this.cancel();
    const now = Date.now();
    const run = () => {
      this.pending = undefined;
      task();
    };
    this.pending = { timer: setTimeout(run, this.timing.minMs), earliest: now + this.timing.minMs, deadline: now + this.timing.maxMs, task: run };
  }

  /** Something happened: wait for another quiet spell (never past the deadline). */
  activity(): void {
    const pending = this.pending;
    if (!pending) return;
    clearTimeout(pending.timer);
    const now = Date.now();
    const quietUntil = Math.max(now + this.timing.quietMs, pending.earliest);
    pending.timer = setTimeout(pending.task, Math.max(0, Math.min(quietUntil, pending.deadline) - now));
  }

  cancel(): void {
    if (this.pending) clearTimeout(this.pending.timer);
    this.pending = undefined;
  }
}
