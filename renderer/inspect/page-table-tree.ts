// The page tables as a lazily expanded tree PML4 → PDPT → PD → PT of raw entries: each table is
// fetched (inspect.pageTableNode) only when its parent entry is opened.
import type { LongmodeApi, PageTableEntryView } from '../../main/common/contract';
import { h } from '../layout/dom';
import { addr, errorText } from './format';

const CHILD_LEVEL: Record<number, string> = { 4: 'PDPT', 3: 'PD', 2: 'PT' };

export class PageTableTree {
  readonly element = h('ul', { class: 'pt-tree', role: 'tree', 'aria-label': 'Page-table tree' });

  constructor(private readonly api: LongmodeApi) {}

  async load(): Promise<void> {
    this.element.replaceChildren(h('li', { class: 'inspect-muted' }, 'loading…'));
    try {
      const root = await this.api.call('inspect.pageTableNode', {});
      const item = h('li', { role: 'treeitem', 'aria-expanded': 'true' }, h('div', { class: 'pt-node' }, `PML4 @ ${addr(root.table)}`), this.entries(root.entries, 4));
      this.element.replaceChildren(item);
    } catch (e) {
      this.element.replaceChildren(h('li', { class: 'inspect-error' }, errorText(e)));
    }
  }

  private entries(entries: PageTableEntryView[], level: number): HTMLElement {
    return h('ul', { role: 'group' }, ...entries.map((e) => this.entry(e, level)));
  }

  private entry(e: PageTableEntryView, level: number): HTMLElement {
    const expandable = !e.leaf && !e.recursive && level > 1;
    const twisty = h('button', { class: 'twisty-button', 'aria-label': `Expand entry ${e.index}`, disabled: !expandable }, expandable ? '▸' : '·');
    const label = h(
      'div',
      { class: 'pt-node mono' },
      twisty,
      h('span', { class: 'pt-index' }, `[${e.index}]`),
      ` ${addr(e.virt)} → ${addr(e.target)} `,
      h('span', { class: 'pt-raw' }, e.raw),
      ` ${e.flags.join(' ')}`,
      e.recursive ? h('span', { class: 'badge recursive', title: 'This entry points back at its own table: the whole hierarchy is visible through this slot' }, 'recursive') : undefined,
      e.leaf ? h('span', { class: 'badge' }, level === 3 ? '1G page' : level === 2 ? '2M page' : '4K page') : undefined,
      e.reservedBits ? h('span', { class: 'badge bad' }, `reserved bits ${e.reservedBits}`) : undefined,
    );
    const item = h('li', { role: 'treeitem', 'aria-expanded': expandable ? 'false' : undefined }, label);
    let loaded = false;
    twisty.addEventListener('click', async () => {
      const open = item.getAttribute('aria-expanded') === 'true';
      item.setAttribute('aria-expanded', String(!open));
      twisty.textContent = open ? '▸' : '▾';
      const child = item.querySelector(':scope > ul') as HTMLElement | null;
      if (open) {
        if (child) child.hidden = true;
        return;
      }
      if (loaded && child) {
        child.hidden = false;
        return;
      }
      loaded = true;
      try {
        const node = await this.api.call('inspect.pageTableNode', { table: e.target, level: level - 1, virtBase: e.virt });
        item.append(node.entries.length ? this.entries(node.entries, level - 1) : h('ul', {}, h('li', { class: 'inspect-muted' }, `${CHILD_LEVEL[level]} has no present entries`)));
      } catch (err) {
        item.append(h('ul', {}, h('li', { class: 'inspect-error' }, errorText(err))));
      }
    });
    return item;
  }
}
