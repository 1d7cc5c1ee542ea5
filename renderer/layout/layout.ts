// The window's skeleton: toolbar on top, explorer left, editor centre, VGA right, a bottom panel
// with tabs, status bar at the bottom. Panes fill the regions they are given.
import { h } from './dom';

export interface Layout {
  toolbar: HTMLElement;
  explorer: HTMLElement;
  editor: HTMLElement;
  side: HTMLElement;
  bottom: HTMLElement;
  statusBar: HTMLElement;
  /** the banner for connection and workspace problems */
  notice: HTMLElement;
}

export function createLayout(root: HTMLElement): Layout {
  const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Build and run' });
  const notice = h('div', { class: 'notice', role: 'status', hidden: true });
  const explorer = h('section', { class: 'explorer', role: 'region', 'aria-label': 'Explorer' });
  const editor = h('section', { class: 'editor-area', role: 'region', 'aria-label': 'Editor' });
  const side = h('aside', { class: 'side' });
  const bottom = h('div', { class: 'bottom' });
  const statusBar = h('footer', { class: 'status-bar', role: 'status', 'aria-label': 'Status' });
  const centre = h('div', { class: 'centre' }, editor, h('div', { class: 'splitter horizontal', 'data-resize': 'bottom' }), bottom);
  const main = h(
    'div',
    { class: 'main' },
    explorer,
    h('div', { class: 'splitter vertical', 'data-resize': 'explorer' }),
    centre,
    h('div', { class: 'splitter vertical', 'data-resize': 'side' }),
    side,
  );
  root.replaceChildren(toolbar, notice, main, statusBar);
  return { toolbar, explorer, editor, side, bottom, statusBar, notice };
}
