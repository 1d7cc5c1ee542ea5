// Drag handles between panes; sizes are CSS variables on the app root and saved with the UI state.
export type PaneSizes = { explorer: number; side: number; bottom: number };

export const defaultPaneSizes: PaneSizes = { explorer: 220, side: 660, bottom: 230 };

export function applyPaneSizes(root: HTMLElement, sizes: PaneSizes): void {
  root.style.setProperty('--explorer-width', `${sizes.explorer}px`);
  root.style.setProperty('--side-width', `${sizes.side}px`);
  root.style.setProperty('--bottom-height', `${sizes.bottom}px`);
}

export function enableSplitters(root: HTMLElement, sizes: PaneSizes, onChange: (sizes: PaneSizes) => void): void {
  applyPaneSizes(root, sizes);
  for (const handle of root.querySelectorAll<HTMLElement>('[data-resize]')) {
    const pane = handle.dataset.resize as keyof PaneSizes;
    handle.addEventListener('pointerdown', (down) => {
      down.preventDefault();
      handle.setPointerCapture(down.pointerId);
      const start = sizes[pane];
      const move = (e: PointerEvent) => {
        const delta = pane === 'bottom' ? down.clientY - e.clientY : pane === 'side' ? down.clientX - e.clientX : e.clientX - down.clientX;
        sizes[pane] = Math.max(pane === 'bottom' ? 80 : 120, Math.min(start + delta, pane === 'bottom' ? innerHeight - 200 : innerWidth - 300));
        applyPaneSizes(root, sizes);
      };
      const up = () => {
        handle.removeEventListener('pointermove', move);
        handle.removeEventListener('pointerup', up);
        onChange(sizes);
      };
      handle.addEventListener('pointermove', move);
      handle.addEventListener('pointerup', up);
    });
  }
}
