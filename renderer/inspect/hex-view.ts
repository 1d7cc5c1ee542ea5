// The "Hex view": 512 bytes at a virtual (through the live page walk) or physical address, with
// unmapped pages marked instead of shown as zeros.
import type { AddressSpace, LongmodeApi } from '../../main/common/contract';
import { h } from '../layout/dom';
import { addr, big, errorText, parseAddress, toHex } from './format';
import type { RefreshablePane } from './memory-map-pane';

const LENGTH = 512;

export interface HexView extends RefreshablePane {
  show(address: string, space?: AddressSpace): Promise<void>;
}

export function mountHexView(container: HTMLElement, api: LongmodeApi): HexView {
  const input = h('input', { class: 'inspect-input', 'aria-label': 'Hex view address', placeholder: 'address', value: 'b8000' });
  const space = h('select', { 'aria-label': 'Address space' }, h('option', { value: 'virtual' }, 'virtual'), h('option', { value: 'physical' }, 'physical'));
  const go = h('button', { class: 'tool' }, 'Show');
  const status = h('div', { class: 'inspect-status', role: 'status' });
  const dump = h('pre', { class: 'hex-dump mono', 'aria-label': 'Bytes' });
  const element = h('section', { class: 'inspect-pane hex-view', role: 'region', 'aria-label': 'Hex view' }, h('div', { class: 'inspect-bar' }, input, space, go), status, dump);
  container.append(element);

  const load = async () => {
    const address = parseAddress(input.value);
    if (address === undefined) return void (status.textContent = 'Type a hex address, e.g. ffff8000_00000000');
    try {
      const bytes = await api.call('inspect.readMemory', { address: toHex(address), length: LENGTH, space: space.value as AddressSpace });
      const data = Uint8Array.from(atob(bytes.base64), (c) => c.charCodeAt(0));
      const unmapped = new Set(bytes.unmapped.map((p) => big(p)));
      status.textContent = bytes.unmapped.length ? `${bytes.unmapped.length} page(s) not mapped: ${bytes.unmapped.map((p) => addr(p)).join(', ')}` : `${bytes.space} ${addr(bytes.address)}`;
      const lines: HTMLElement[] = [];
      for (let off = 0; off < data.length; off += 16) {
        const at = address + BigInt(off);
        const page = at & ~0xfffn;
        if (unmapped.has(page)) {
          lines.push(h('div', { class: 'hex-line unmapped' }, `${addr(at)}  -- unmapped --`));
          continue;
        }
        const row = [...data.subarray(off, off + 16)];
        const hexPart = row.map((b) => b.toString(16).padStart(2, '0')).join(' ');
        const ascii = row.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
        lines.push(h('div', { class: 'hex-line' }, `${addr(at)}  ${hexPart.padEnd(47)}  ${ascii}`));
      }
      dump.replaceChildren(...lines);
    } catch (e) {
      status.textContent = errorText(e);
    }
  };
  go.addEventListener('click', () => void load());
  input.addEventListener('keydown', (e) => e.key === 'Enter' && void load());
  return {
    element,
    refresh: load,
    async show(address, as = 'virtual') {
      input.value = address.replace(/^0x/, '');
      space.value = as;
      await load();
    },
    dispose() {},
  };
}
