// The "Page tables" pane: the walk of the current CR3 as merged ranges (filters, search), the
// lazily expanded raw tree, the recursive-entry badge, "translate address" with the entry at
// every level, and the diff between two captures.
import type { LongmodeApi, MappingRange, PageTableWalk, TranslationView, WalkDiffView } from '../../main/common/contract';
import { h } from '../layout/dom';
import { addr, errorText, parseAddress, size, toHex } from './format';
import { RangeTable, syntheticMappings } from './page-table-ranges';
import { PageTableTree } from './page-table-tree';

export interface PageTablesPane {
  element: HTMLElement;
  refresh(): Promise<void>;
  /** shows a walk without asking the guest (tests: a synthetic million-mapping walk) */
  showWalk(walk: PageTableWalk): void;
  find(address: string): number;
  dispose(): void;
}

type View = 'ranges' | 'tree' | 'translate' | 'diff';

export function mountPageTablesPane(container: HTMLElement, api: LongmodeApi, opts: { openHex?(address: string): void } = {}): PageTablesPane {
  const status = h('div', { class: 'inspect-status', role: 'status' });
  const badges = h('span', { class: 'inspect-badges' });
  const ranges = new RangeTable((m: MappingRange) => opts.openHex?.(m.virt));
  const tree = new PageTableTree(api);
  const translateBox = translatePanel(api);
  const diffBox = diffPanel(api);
  const views: Record<View, HTMLElement> = { ranges: ranges.element, tree: tree.element, translate: translateBox.element, diff: diffBox.element };
  const switcher = h('div', { class: 'inspect-segments', role: 'tablist', 'aria-label': 'Page-table views' });
  let view: View = 'ranges';
  const show = (next: View) => {
    view = next;
    for (const [name, el] of Object.entries(views)) el.hidden = name !== next;
    for (const b of switcher.querySelectorAll('button')) b.setAttribute('aria-selected', String(b.dataset.view === next));
    if (next === 'tree') void tree.load();
    if (next === 'diff') void diffBox.loadCaptures();
  };
  for (const [name, label] of [['ranges', 'Ranges'], ['tree', 'Tree'], ['translate', 'Translate'], ['diff', 'Diff']] as const) {
    const b = h('button', { role: 'tab', class: 'segment', 'data-view': name }, label);
    b.addEventListener('click', () => show(name));
    switcher.append(b);
  }
  const element = h(
    'section',
    { class: 'inspect-pane page-tables', role: 'region', 'aria-label': 'Page tables' },
    h('div', { class: 'inspect-bar' }, switcher, badges),
    status,
    ...Object.values(views),
  );
  container.append(element);
  show('ranges');

  const showWalk = (walk: PageTableWalk) => {
    status.textContent = `CR3 ${addr(walk.cr3)} · ${walk.mappings.length} ranges${walk.anomalies.length ? ` · ${walk.anomalies.length} anomalies` : ''}`;
    status.classList.remove('inspect-error');
    badges.replaceChildren(
      ...walk.recursive.map((r) =>
        h('span', { class: 'badge recursive', title: `PML4 entry ${r.index} points at the PML4 itself: the page tables appear at virtual ${addr(recursiveBase(r.index))}` }, `recursive entry ${r.index}`),
      ),
      ...walk.anomalies.slice(0, 3).map((a) => h('span', { class: 'badge bad', title: a.message }, a.kind)),
    );
    ranges.setMappings(walk.mappings);
  };

  return {
    element,
    async refresh() {
      try {
        showWalk(await api.call('inspect.pageTables', {}));
        if (view === 'tree') await tree.load();
      } catch (e) {
        status.textContent = errorText(e);
        status.classList.add('inspect-error');
      }
    },
    showWalk,
    find: (address) => ranges.find(address),
    dispose: () => ranges.dispose(),
  };
}

/** The synthetic walk the responsiveness test feeds the pane. */
export function syntheticWalk(count: number): PageTableWalk {
  return { cr3: '0x1000', recursive: [{ level: 4, index: 510 }], mappings: syntheticMappings(count), anomalies: [] };
}

function recursiveBase(index: number): bigint {
  const v = BigInt(index) << 39n;
  return index >= 256 ? v | 0xffff_0000_0000_0000n : v;
}

function translatePanel(api: LongmodeApi) {
  const input = h('input', { class: 'inspect-input', placeholder: 'virtual address, e.g. ffff8000_00000000', 'aria-label': 'Address to translate' });
  const go = h('button', { class: 'tool' }, 'Translate');
  const out = h('div', { class: 'translate-result', 'aria-live': 'polite' });
  const run = async () => {
    const address = parseAddress(input.value);
    if (address === undefined) return void (out.textContent = 'Type a hex address, e.g. ffff800000000000');
    try {
      out.replaceChildren(renderTranslation(await api.call('inspect.translate', { address: toHex(address) })));
    } catch (e) {
      out.textContent = errorText(e);
    }
  };
  go.addEventListener('click', () => void run());
  input.addEventListener('keydown', (e) => e.key === 'Enter' && void run());
  return { element: h('div', { class: 'inspect-translate' }, h('div', { class: 'inspect-bar' }, input, go), out) };
}

function renderTranslation(t: TranslationView): HTMLElement {
  const rows = t.steps.map((s) =>
    h('tr', {}, h('td', {}, s.levelName), h('td', { class: 'mono' }, String(s.index)), h('td', { class: 'mono' }, addr(s.entryAddr)), h('td', { class: 'mono' }, s.raw), h('td', {}, s.flags.join(' ')), h('td', { class: 'mono' }, addr(s.target))),
  );
  const verdict = t.phys
    ? `${addr(t.virt)} → physical ${addr(t.phys)} (${t.pageSize} page, ${t.permissions?.writable ? 'writable' : 'read-only'}, ${t.permissions?.user ? 'user' : 'supervisor'}, ${t.permissions?.nx ? 'no-execute' : 'executable'})`
    : `not mapped: ${t.stop?.message ?? ''}`;
  return h(
    'div',
    {},
    h('p', { class: t.phys ? '' : 'inspect-error' }, verdict),
    h('table', { class: 'inspect-table' }, h('thead', {}, h('tr', {}, ...['level', 'index', 'entry at', 'raw', 'flags', 'points to'].map((c) => h('th', {}, c)))), h('tbody', {}, ...rows)),
  );
}

function diffPanel(api: LongmodeApi) {
  const before = h('select', { 'aria-label': 'Compare from capture' });
  const after = h('select', { 'aria-label': 'Compare to capture' });
  const nameInput = h('input', { class: 'inspect-input short', placeholder: 'capture name', 'aria-label': 'Capture name' });
  const capture = h('button', { class: 'tool' }, 'Capture');
  const compare = h('button', { class: 'tool' }, 'Compare');
  const out = h('div', { class: 'diff-result', 'aria-live': 'polite' });
  const loadCaptures = async () => {
    const captures = await api.call('inspect.captures', {}).catch(() => []);
    const keep = [before.value, after.value];
    before.replaceChildren(...captures.map((c) => h('option', { value: c.name }, c.name)));
    after.replaceChildren(h('option', { value: '' }, 'live'), ...captures.map((c) => h('option', { value: c.name }, c.name)));
    if (keep[0] && captures.some((c) => c.name === keep[0])) before.value = keep[0];
    if (captures.some((c) => c.name === keep[1])) after.value = keep[1];
  };
  capture.addEventListener('click', async () => {
    try {
      await api.call('inspect.captureWalk', { name: nameInput.value || `capture ${new Date().toLocaleTimeString()}` });
      await loadCaptures();
    } catch (e) {
      out.textContent = errorText(e);
    }
  });
  compare.addEventListener('click', async () => {
    if (!before.value) return void (out.textContent = 'Capture the page tables first (Break at phase 2 captures "kernel entry" and "phase 2").');
    try {
      out.replaceChildren(renderDiff(await api.call('inspect.diffWalks', after.value ? { before: before.value, after: after.value } : { before: before.value })));
    } catch (e) {
      out.textContent = errorText(e);
    }
  });
  return {
    element: h('div', { class: 'inspect-diff' }, h('div', { class: 'inspect-bar' }, before, '→', after, compare, nameInput, capture), out),
    loadCaptures,
  };
}

function renderDiff(d: WalkDiffView): HTMLElement {
  const line = (kind: string, m: MappingRange, note = '') =>
    h('tr', { class: `diff-${kind}` }, h('td', {}, kind), h('td', { class: 'mono' }, addr(m.virt)), h('td', { class: 'mono' }, addr(m.phys)), h('td', {}, size(m.size)), h('td', {}, note));
  const rows = [
    ...d.added.map((m) => line('added', m)),
    ...d.removed.map((m) => line('removed', m)),
    ...d.changed.map((c) => line('changed', c.after, `${c.changes.join(', ')} (was ${addr(c.before.phys)})`)),
  ];
  return h(
    'div',
    {},
    h('p', {}, `${d.before} → ${d.after}: ${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed, ${size(d.unchangedBytes)} unchanged`),
    h('table', { class: 'inspect-table', 'aria-label': 'Page-table diff' }, h('thead', {}, h('tr', {}, ...['', 'virtual', 'physical', 'size', 'what changed'].map((c) => h('th', {}, c)))), h('tbody', {}, ...rows)),
  );
}
