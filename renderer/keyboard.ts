// Global shortcuts, taken in the capture phase so Monaco and xterm never see them:
// Ctrl/Cmd+S save, Ctrl/Cmd+Shift+S save all, Ctrl/Cmd+B build, F5 boot, Shift+F5 stop.
export interface Shortcuts {
  save(): void;
  saveAll(): void;
  build(): void;
  boot(): void;
  stop(): void;
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
      if (!action) return;
      e.preventDefault();
      e.stopPropagation();
      if (!e.repeat) action();
    },
    { capture: true },
  );
}
