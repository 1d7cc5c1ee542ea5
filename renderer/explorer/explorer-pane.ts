// The workspace file tree: open on click, create/rename/delete through inline prompts, reveal the
// active file. The tree reloads when files appear or vanish on disk.
import type { FileEntry, LongmodeApi } from '../../main/common/contract';
import { errorText, h, setChildren } from '../layout/dom';
import { askText, askYesNo } from './inline-prompt';

export interface ExplorerEvents {
  open(path: string): void;
  renamed(from: string, to: string): void;
  deleted(path: string): void;
  error(message: string): void;
}

const hiddenNames = new Set(['target', '.git', '.longmode', 'node_modules']);

export class ExplorerPane {
  private readonly tree = h('ul', { class: 'tree', role: 'tree', 'aria-label': 'Workspace files' });
  private readonly prompt = h('div', { class: 'explorer-prompt' });
  private readonly title = h('span', { class: 'explorer-title' }, 'Explorer');
  private readonly expanded = new Set<string>(['', 'boot', 'kernel', 'kernel/src']);
  private selected: string | undefined;
  private root: FileEntry | undefined;
  private reloading: ReturnType<typeof setTimeout> | undefined;

  constructor(host: HTMLElement, private readonly api: LongmodeApi, private readonly events: ExplorerEvents) {
    const action = (label: string, icon: string, run: () => void) =>
      h('button', { class: 'icon-button', title: label, 'aria-label': label, onclick: run }, icon);
    host.append(
      h('div', { class: 'pane-header' },
        this.title,
        action('New file', '+', () => void this.create('file')),
        action('New folder', '▸+', () => void this.create('dir')),
        action('Rename', '✎', () => void this.rename()),
        action('Delete', '✕', () => void this.remove()),
        action('Refresh', '⟳', () => void this.reload()),
      ),
      this.prompt,
      this.tree,
    );
  }

  setWorkspaceName(name: string): void {
    this.title.textContent = name;
  }

  async reload(): Promise<void> {
    try {
      this.root = await this.api.call('fs.tree', {});
      this.render();
    } catch (error) {
      this.events.error(`could not list the workspace: ${errorText(error)}`);
    }
  }

  /** Coalesces bursts of created/deleted events into one reload. */
  scheduleReload(): void {
    clearTimeout(this.reloading);
    this.reloading = setTimeout(() => void this.reload(), 150);
  }

  /** Expands the folders above a file, selects it and scrolls it into view. */
  reveal(path: string): void {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) this.expanded.add(parts.slice(0, i).join('/'));
    this.selected = path;
    this.render();
    this.tree.querySelector(`[data-path="${CSS.escape(path)}"]`)?.scrollIntoView({ block: 'nearest' });
  }

  private render(): void {
    if (!this.root) return;
    setChildren(this.tree, ...this.items(this.root.children ?? [], 0));
  }

  private items(entries: FileEntry[], depth: number): HTMLElement[] {
    const sorted = entries
      .filter((e) => !hiddenNames.has(e.path.split('/').pop() ?? ''))
      .sort((a, b) => (a.kind === b.kind ? a.path.localeCompare(b.path) : a.kind === 'dir' ? -1 : 1));
    return sorted.map((entry) => {
      const name = entry.path.split('/').pop() ?? entry.path;
      const open = entry.kind === 'dir' && this.expanded.has(entry.path);
      const row = h(
        'div',
        { class: 'tree-row', style: `padding-left: ${8 + depth * 14}px` },
        h('span', { class: 'twisty', 'aria-hidden': 'true' }, entry.kind === 'dir' ? (open ? '▾' : '▸') : ''),
        h('span', { class: `file-icon ${entry.kind === 'dir' ? 'dir' : fileKind(name)}`, 'aria-hidden': 'true' }),
        h('span', { class: 'tree-name' }, name),
      );
      const item = h(
        'li',
        {
          role: 'treeitem',
          'data-path': entry.path,
          'aria-selected': String(entry.path === this.selected),
          'aria-expanded': entry.kind === 'dir' ? String(open) : undefined,
          tabindex: entry.path === this.selected ? 0 : -1,
        },
        row,
      );
      row.addEventListener('click', () => {
        this.selected = entry.path;
        if (entry.kind === 'dir') {
          if (open) this.expanded.delete(entry.path);
          else this.expanded.add(entry.path);
        } else this.events.open(entry.path);
        this.render();
      });
      if (open) item.append(h('ul', { role: 'group' }, ...this.items(entry.children ?? [], depth + 1)));
      return item;
    });
  }

  /** The folder new files go into: the selected folder, or the selected file's folder. */
  private targetFolder(): string {
    if (!this.selected) return '';
    const entry = this.find(this.selected);
    if (entry?.kind === 'dir') return entry.path;
    return this.selected.includes('/') ? this.selected.slice(0, this.selected.lastIndexOf('/')) : '';
  }

  private find(path: string, entry = this.root): FileEntry | undefined {
    if (!entry) return undefined;
    if (entry.path === path) return entry;
    for (const child of entry.children ?? []) {
      const found = this.find(path, child);
      if (found) return found;
    }
    return undefined;
  }

  /** New file or folder in the selected folder, named through an inline prompt. */
  async create(kind: 'file' | 'dir'): Promise<void> {
    const folder = this.targetFolder();
    const name = await askText(this.prompt, kind === 'file' ? 'New file name' : 'New folder name', folder ? folder + '/' : '');
    if (!name) return;
    try {
      await this.api.call('fs.create', { path: name, kind });
      await this.reload();
      this.reveal(name);
      if (kind === 'file') this.events.open(name);
    } catch (error) {
      this.events.error(`could not create ${name}: ${errorText(error)}`);
    }
  }

  private async rename(): Promise<void> {
    const from = this.selected;
    if (!from) return this.events.error('select a file or folder in the Explorer to rename it');
    const to = await askText(this.prompt, `Rename ${from} to`, from);
    if (!to || to === from) return;
    try {
      await this.api.call('fs.rename', { from, to });
      this.events.renamed(from, to);
      await this.reload();
      this.reveal(to);
    } catch (error) {
      this.events.error(`could not rename ${from}: ${errorText(error)}`);
    }
  }

  private async remove(): Promise<void> {
    const path = this.selected;
    if (!path) return this.events.error('select a file or folder in the Explorer to delete it');
    if (!(await askYesNo(this.prompt, `Delete ${path}?`, 'Delete'))) return;
    try {
      await this.api.call('fs.delete', { path });
      this.events.deleted(path);
      this.selected = undefined;
      await this.reload();
    } catch (error) {
      this.events.error(`could not delete ${path}: ${errorText(error)}`);
    }
  }
}

function fileKind(name: string): string {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  return ['rs', 'asm', 'inc', 'toml', 'json', 'md', 'ld'].includes(ext) ? ext : 'other';
}
