// All inspection and debugging panes as tabs with a debug toolbar, for the right-hand side of the
// layout: one call, `mountInspectionPanes(container, api, { openSource })`. Panes refresh on every
// stop (breakpoint, step, pause, fault, snapshot restore).
import './inspect.css';
import type { LongmodeApi, SourceLocation, VmStatus } from '../../main/common/contract';
import { h } from '../layout/dom';
import type {} from './test-hook';
import { createFaultBanner } from './fault-banner';
import { errorText } from './format';
import { mountHeapPane } from './heap-pane';
import { mountHexView } from './hex-view';
import { mountMemoryMapPane, type RefreshablePane } from './memory-map-pane';
import { mountPageTablesPane, syntheticWalk } from './page-tables-pane';
import { mountRegistersPane } from './registers-pane';
import { mountSnapshotsPane } from './snapshots-pane';

export interface InspectionPanes {
  element: HTMLElement;
  /** re-reads the visible pane (the others when they are shown) */
  refresh(): Promise<void>;
  /** sends one file's gutter breakpoints to the debugger */
  setBreakpoints(file: string, lines: number[]): Promise<void>;
  dispose(): void;
}

export interface InspectionOptions {
  /** the editor opens this file at this line (a breakpoint hit, a step, a fault) */
  openSource?(location: SourceLocation): void;
}

type TabName = 'Page tables' | 'Memory map' | 'Heap regions' | 'Registers' | 'Hex view' | 'Snapshots';


export function mountInspectionPanes(container: HTMLElement, api: LongmodeApi, options: InspectionOptions = {}): InspectionPanes {
  const message = h('span', { class: 'inspect-muted debug-message', role: 'status' });
  const banner = createFaultBanner(api, options.openSource);
  const tabs = h('div', { class: 'inspect-tabs', role: 'tablist', 'aria-label': 'Inspection' });
  const body = h('div', { class: 'inspect-body' });
  const toolbar = h('div', { class: 'inspect-toolbar', role: 'toolbar', 'aria-label': 'Debug' });
  const element = h('div', { class: 'inspection' }, toolbar, banner.element, tabs, body);
  container.append(element);

  let hexView: ReturnType<typeof mountHexView>;
  const pageTables = mountPageTablesPane(body, api, { openHex: (address) => (select('Hex view'), void hexView.show(address, 'virtual')) });
  const panes: Record<TabName, RefreshablePane> = {
    'Page tables': pageTables,
    'Memory map': mountMemoryMapPane(body, api),
    'Heap regions': mountHeapPane(body, api),
    Registers: mountRegistersPane(body, api),
    'Hex view': (hexView = mountHexView(body, api)),
    Snapshots: mountSnapshotsPane(body, api),
  };
  const stale = new Set<TabName>(Object.keys(panes) as TabName[]);
  let current: TabName = 'Page tables';
  const buttons = new Map<TabName, HTMLButtonElement>();
  function select(name: TabName): void {
    current = name;
    for (const [tab, pane] of Object.entries(panes) as [TabName, RefreshablePane][]) pane.element.hidden = tab !== name;
    for (const [tab, b] of buttons) b.setAttribute('aria-selected', String(tab === name));
    if (stale.has(name) && live) {
      stale.delete(name);
      void panes[name].refresh();
    }
  }
  for (const name of Object.keys(panes) as TabName[]) {
    const b = h('button', { role: 'tab', class: 'inspect-tab' }, name);
    b.addEventListener('click', () => select(name));
    buttons.set(name, b);
    tabs.append(b);
  }

  let live = false;
  const refreshAll = async () => {
    live = true;
    for (const name of Object.keys(panes) as TabName[]) stale.add(name);
    stale.delete(current);
    await panes[current].refresh();
  };

  const action = (label: string, run: () => Promise<unknown>, title: string) => {
    const b = h('button', { class: 'tool', title }, label);
    b.addEventListener('click', async () => {
      b.disabled = true;
      const working = `${label}…`;
      message.textContent = working;
      try {
        await run();
        if (message.textContent === working) message.textContent = ''; // a stop may have said where it is
      } catch (e) {
        message.textContent = errorText(e);
      } finally {
        b.disabled = false;
      }
    });
    return b;
  };
  const snapshots = panes.Snapshots as ReturnType<typeof mountSnapshotsPane>;
  toolbar.append(
    action('Break at phase 2', () => api.call('debug.breakAtPhase2', {}), 'Run from the kernel entry (captured) to the first instruction of phase 2 (captured)'),
    action('Run to breakpoint', () => api.call('debug.continue', {}), 'Resume the guest (stepping off a breakpoint under the current instruction)'),
    action('Step', () => api.call('debug.step', {}), 'Execute one instruction'),
    action('Step over', () => api.call('debug.stepOver', {}), 'Run to the next source line'),
    action('Snapshot', () => (select('Snapshots'), snapshots.save()), 'Save a VM snapshot'),
    message,
  );

  const offStopped = api.on('vm.stopped', (stop) => {
    message.textContent = `stopped (${stop.reason}) at ${stop.rip}${stop.source ? ` — ${stop.source.file}:${stop.source.line}` : ''}`;
    if (stop.source && stop.reason !== 'pause') options.openSource?.(stop.source);
    void refreshAll();
  });
  let lastState: VmStatus['state'] | undefined;
  const onState = (status: VmStatus) => {
    if (status.fault && status.state === 'faulted') void banner.show(status.fault);
    else if (status.state === 'running' || status.state === 'booting' || status.state === 'idle') banner.hide();
    if ((status.state === 'paused' || status.state === 'faulted') && status.state !== lastState) void refreshAll();
    if (status.state === 'exited' || status.state === 'idle') live = false;
    lastState = status.state;
  };
  const offState = api.on('vm.state', onState);
  void api.call('vm.status', {}).then(onState, () => undefined);

  const setBreakpoints = async (file: string, lines: number[]) => {
    const { breakpoints } = await api.call('debug.setBreakpoints', { file, lines });
    const missing = breakpoints.filter((b) => !b.verified);
    message.textContent = missing.length ? `${file}: ${missing.map((b) => `line ${b.line}: ${b.message ?? 'no code'}`).join('; ')}` : `${breakpoints.length} breakpoint(s) in ${file}`;
  };
  window.longmodeInspectTest = {
    showSyntheticPageTables: (count) => (select('Page tables'), pageTables.showWalk(syntheticWalk(count))),
    findInPageTables: (address) => pageTables.find(address),
    setBreakpoints,
    call: (method, args) => api.call(method as never, args as never),
  };
  select('Page tables');

  return {
    element,
    refresh: refreshAll,
    setBreakpoints,
    dispose() {
      offStopped();
      offState();
      for (const pane of Object.values(panes)) pane.dispose();
      element.remove();
      delete window.longmodeInspectTest;
    },
  };
}

export { mountPageTablesPane } from './page-tables-pane';
export { mountMemoryMapPane } from './memory-map-pane';
export { mountHeapPane } from './heap-pane';
export { mountRegistersPane } from './registers-pane';
export { mountHexView } from './hex-view';
export { mountSnapshotsPane } from './snapshots-pane';
export { createFaultBanner } from './fault-banner';
