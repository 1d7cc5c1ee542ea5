import { describe, expect, it } from 'vitest';
import { BreakpointStore, type BreakpointChange } from './breakpoints';

describe('BreakpointStore', () => {
  it('toggles lines per file and reports line changes', () => {
    const store = new BreakpointStore();
    const changes: [string, BreakpointChange][] = [];
    store.onChange((file, change) => changes.push([file, change]));
    store.toggle('kernel/src/phase2.rs', 48);
    store.toggle('kernel/src/phase2.rs', 30);
    store.toggle('boot/stage2.asm', 37);
    store.toggle('kernel/src/phase2.rs', 48);
    expect(store.snapshot()).toEqual({ 'kernel/src/phase2.rs': [30], 'boot/stage2.asm': [37] });
    expect(changes.every(([, c]) => c === 'lines')).toBe(true);
    store.toggle('boot/stage2.asm', 37);
    expect(store.fileNames()).toEqual(['kernel/src/phase2.rs']);
    expect(store.hasAny()).toBe(true);
  });

  it('keeps what the debugger said, per line, and moves it with an edit', () => {
    const store = new BreakpointStore();
    store.setLines('a.rs', [10, 20, 30]);
    expect(store.views('a.rs').map((v) => v.status)).toEqual(['pending', 'pending', 'pending']);
    store.applyResolution('a.rs', [10, 20, 30], [
      { line: 10, addresses: ['0x100'], verified: true },
      { line: 22, addresses: ['0x200'], verified: true },
      { line: 30, addresses: [], verified: false, message: 'no code for this line' },
    ]);
    expect(store.views('a.rs').map((v) => [v.line, v.status, v.message])).toEqual([
      [10, 'verified', 'Breakpoint'],
      [20, 'verified', 'Breakpoint: stops at line 22, the first line with code'],
      [30, 'unresolved', 'Breakpoint not set: no code for this line'],
    ]);
    store.move('a.rs', new Map([[20, 21], [30, 31]]));
    expect(store.views('a.rs').map((v) => [v.line, v.status])).toEqual([[10, 'verified'], [21, 'verified'], [31, 'unresolved']]);
    store.move('a.rs', new Map([[21, 10]])); // two breakpoints collapsing onto one line stay one
    expect(store.lines('a.rs')).toEqual([10, 31]);
  });

  it('follows renames and deletions of files and folders, and restores a saved set', () => {
    const store = new BreakpointStore();
    store.load({ 'kernel/src/a.rs': [3], 'kernel/src/b.rs': [4], 'boot/s.asm': [5] });
    store.rename('kernel/src', 'kernel/lib');
    store.rename('boot/s.asm', undefined);
    expect(store.snapshot()).toEqual({ 'kernel/lib/a.rs': [3], 'kernel/lib/b.rs': [4] });
    store.clear();
    expect(store.hasAny()).toBe(false);
  });
});
