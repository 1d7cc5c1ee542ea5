// The "Registers" pane: general, segment and control registers, with CR0/CR4/EFER decoded.
import type { ControlBitsView, LongmodeApi } from '../../main/common/contract';
import { h } from '../layout/dom';
import { errorText } from './format';
import type { RefreshablePane } from './memory-map-pane';

const GENERAL = ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rip', 'rflags'];
const SEGMENT = ['cs', 'ss', 'ds', 'es', 'fs', 'gs', 'fs_base', 'gs_base', 'k_gs_base'];
const CONTROL = ['cr0', 'cr2', 'cr3', 'cr4', 'cr8', 'efer'];

export function mountRegistersPane(container: HTMLElement, api: LongmodeApi): RefreshablePane {
  const status = h('div', { class: 'inspect-status', role: 'status' });
  const body = h('div', { class: 'registers-body' });
  const element = h('section', { class: 'inspect-pane registers', role: 'region', 'aria-label': 'Registers' }, status, body);
  container.append(element);
  const table = (title: string, names: string[], values: Record<string, string>) =>
    h('table', { class: 'inspect-table regs', 'aria-label': title }, h('caption', {}, title), h('tbody', {}, ...names.filter((n) => values[n] !== undefined).map((n) => h('tr', {}, h('th', {}, n), h('td', { class: 'mono' }, values[n].replace(/^0x/, '').padStart(16, '0'))))));
  const bits = (name: string, b?: ControlBitsView) =>
    b && h('div', { class: 'reg-bits' }, h('strong', {}, name.toUpperCase()), ' ', ...b.set.map((s) => h('span', { class: 'badge' }, s)), b.unknown !== '0x0' ? h('span', { class: 'badge bad' }, `unknown ${b.unknown}`) : undefined);
  return {
    element,
    async refresh() {
      try {
        const r = await api.call('inspect.registers', {});
        status.textContent = r.mode ? `CPU mode: ${r.mode}` : '';
        body.replaceChildren(
          h('div', { class: 'reg-decoded' }, bits('cr0', r.cr0), bits('cr4', r.cr4), bits('efer', r.efer)),
          h('div', { class: 'reg-tables' }, table('General', GENERAL, r.registers), table('Segment', SEGMENT, r.registers), table('Control', CONTROL, r.registers)),
        );
      } catch (e) {
        status.textContent = errorText(e);
      }
    },
    dispose() {},
  };
}
