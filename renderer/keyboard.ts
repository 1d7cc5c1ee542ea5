// Global shortcuts, taken in the capture phase so Monaco and xterm never see them:
// Ctrl/Cmd+S save, Ctrl/Cmd+Shift+S save all, Ctrl/Cmd+B build, F5 boot, Shift+F5 stop;
// debugging: F9 toggle a breakpoint, F10 step over, F11 step one instruction, Ctrl/Cmd+F10 run to cursor.
export interface Shortcuts {
  save(): void;
  saveAll(): void;
  build(): void;
  boot(): void;
  stop(): void;
  toggleBreakpoint?(): void;
  stepOver?(): void;
  step?(): void;
  runToCursor?(): void;
}

export function installShortcuts(target: Window, actions: Shortcuts): void {
  target.addEventListener(
    'keydown',
    (e) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      let action: (() => void) | undefined;
      if (mod && !e.altKey && key === 's') action = e.shiftKey ? actions.saveAll : actions.save;
      else if (mod && !e.altKey && !e.shiftKey && key === 'b') action = actions.build;
      else if (e.key === 'F5' && !mod) action = e.shiftKey ? actions.stop : actions.boot;
      else if (e.key === 'F9' && !mod && !e.shiftKey) action = actions.toggleBreakpoint;
      else if (e.key === 'F10' && !e.shiftKey) action = mod ? actions.runToCursor : actions.stepOver;
      else if (e.key === 'F11' && !mod && !e.shiftKey) action = actions.step;
      if (!action) return;
      e.preventDefault();
      e.stopPropagation();
      if (!e.repeat) action();
    },
    { capture: true },
  );
}
