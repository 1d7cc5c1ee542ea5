// An xterm.js terminal that fits its pane (build output and serial console share this).
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';

export interface TerminalView {
  terminal: Terminal;
  fit(): void;
}

export function createTerminal(host: HTMLElement, options: { input: boolean; label: string }): TerminalView {
  const terminal = new Terminal({
    convertEol: true,
    disableStdin: !options.input,
    cursorBlink: options.input,
    cursorStyle: options.input ? 'block' : 'bar',
    cursorInactiveStyle: options.input ? 'outline' : 'none',
    fontFamily: '"DejaVu Sans Mono", Menlo, Consolas, monospace',
    fontSize: 13,
    scrollback: 10_000,
    theme: { background: '#15171c', foreground: '#d4d4d4' },
  });
  const fitAddon = new FitAddon();
  terminal.loadAddon(fitAddon);
  const box = document.createElement('div');
  box.className = 'terminal-box';
  host.append(box);
  terminal.open(box);
  terminal.textarea?.setAttribute('aria-label', options.label);
  const fit = () => {
    if (box.offsetParent !== null && box.clientWidth > 0) {
      try {
        fitAddon.fit();
      } catch {
        // not laid out yet
      }
    }
  };
  new ResizeObserver(fit).observe(box);
  return { terminal, fit };
}
