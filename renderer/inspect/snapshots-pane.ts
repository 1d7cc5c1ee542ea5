// The snapshots list: named VM snapshots with Restore; restoring refreshes every pane (through the
// `vm.stopped` event the service sends).
import type { LongmodeApi, SnapshotEntry } from '../../main/common/contract';
import { h } from '../layout/dom';
import { errorText } from './format';
import type { RefreshablePane } from './memory-map-pane';

export interface SnapshotsPane extends RefreshablePane {
  save(): Promise<void>;
}

export function mountSnapshotsPane(container: HTMLElement, api: LongmodeApi): SnapshotsPane {
  const name = h('input', { class: 'inspect-input short', 'aria-label': 'Snapshot name', placeholder: 'name (optional)' });
  const status = h('div', { class: 'inspect-status', role: 'status' });
  const list = h('ul', { class: 'snapshot-list', 'aria-label': 'Snapshots' });
  const element = h('section', { class: 'inspect-pane snapshots', role: 'region', 'aria-label': 'Snapshots' }, h('div', { class: 'inspect-bar' }, name), status, list);
  container.append(element);
  const render = (snapshots: SnapshotEntry[]) => {
    list.replaceChildren(
      ...snapshots.map((s) => {
        const restore = h('button', { class: 'tool', 'aria-label': `Restore ${s.name}` }, 'Restore');
        restore.addEventListener('click', async () => {
          try {
            await api.call('snapshot.load', { name: s.name });
            status.textContent = `restored ${s.name}`;
          } catch (e) {
            status.textContent = errorText(e);
          }
        });
        return h('li', {}, h('span', { class: 'snapshot-name' }, s.name), h('span', { class: 'inspect-muted' }, ` ${s.date} · ${s.vmClock} · ${s.size}`), restore);
      }),
    );
    if (!snapshots.length) list.append(h('li', { class: 'inspect-muted' }, 'No snapshots in this boot yet.'));
  };
  const off = api.on('snapshot.changed', ({ snapshots }) => render(snapshots));
  let counter = 0;
  return {
    element,
    async refresh() {
      render(await api.call('snapshot.list', {}).catch(() => []));
    },
    async save() {
      const chosen = name.value.trim() || `snap-${new Date().toISOString().slice(11, 19).replace(/:/g, '')}-${++counter}`;
      try {
        render(await api.call('snapshot.save', { name: chosen }));
        status.textContent = `saved ${chosen}`;
        name.value = '';
      } catch (e) {
        status.textContent = errorText(e);
      }
    },
    dispose: off,
  };
}
