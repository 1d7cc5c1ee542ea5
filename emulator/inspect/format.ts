// Readable plain-text tables of inspection results, for the CLI (without --json).
import type { PageWalk, Permissions } from './paging-types';
import { LEVEL_NAMES } from './paging-entry';
import type { MemoryMap } from './memmap';
import type { FreeListReport } from './freelist';
import type { HeapRegionReport } from './heap';
import { decodeControlRegisters, REGISTER_ORDER, type DecodedBits } from './registers';
import { describeSize, hex } from './hex';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function virtHex(v: bigint): string {
  return '0x' + v.toString(16).padStart(16, '0');
}

/** e.g. "rw- user global": read, write, execute, then who may access. */
export function permissionText(p: Permissions): string {
  return `r${p.writable ? 'w' : '-'}${p.nx ? '-' : 'x'} ${p.user ? 'user' : 'kernel'}${p.global ? ' global' : ''}`;
}

export function formatPageWalk(walk: PageWalk): string {
  const out = [`CR3 ${hex(walk.cr3)}: PML4 at ${hex(walk.pml4)}, ${walk.stats.distinctTables} tables, ${walk.mappings.length} mappings`];
  out.push(table(
    ['VIRT', 'END', 'PHYS', 'SIZE', 'PAGES', 'ACCESS'],
    walk.mappings.map((m) => [virtHex(m.virt), virtHex(m.virt + m.size), hex(m.phys), describeSize(m.size), m.pageSize, permissionText(m)]),
  ));
  for (const r of walk.recursive) {
    out.push(`recursive: ${LEVEL_NAMES[r.level]}[${r.index}] in ${hex(r.table)} points back to the ${LEVEL_NAMES[r.targetLevel]} at ${hex(r.target)}; covers ${virtHex(r.virt)} (${describeSize(r.size)}), not walked`);
  }
  out.push(...anomalyLines(walk.anomalies));
  if (!walk.complete) out.push('the walk stopped early: the list above is incomplete');
  return out.join('\n');
}

export function formatMemoryMap(map: MemoryMap): string {
  const out = [
    `usable ${describeSize(map.totals.usableBytes)}, free ${describeSize(map.totals.freeBytes)} (${map.totals.freeFrames} frames)`,
    table(
      ['BASE', 'END', 'SIZE', 'E820', 'USE'],
      map.segments.map((s) => [hex(s.base), hex(s.base + s.length), describeSize(s.length), s.kind, s.labels.join(', ')]),
    ),
  ];
  out.push(...anomalyLines(map.anomalies));
  return out.join('\n');
}

export function formatFreeList(report: FreeListReport): string {
  const expected = report.expectedCount === undefined ? '' : ` (the kernel counts ${report.expectedCount})`;
  const out = [
    `free list from ${hex(report.head)}: ${report.count} frames${expected}, ${report.terminated ? 'ends with 0xdeadbeef' : 'NOT terminated'}`,
    ...report.ranges.map((r) => `  ${hex(r.base)}..${hex(r.base + r.length)}  ${describeSize(r.length)}`),
  ];
  out.push(...anomalyLines(report.anomalies));
  return out.join('\n');
}

export function formatHeapRegions(regions: HeapRegionReport[]): string {
  if (regions.length === 0) return 'no heap regions yet';
  const rows = regions.map((r) => [
    String(r.index), virtHex(r.virt), describeSize(r.length), hex(r.phys),
    r.verified ? 'ok' : `${r.pagesMatching}/${r.pages} pages`,
    r.writable === undefined ? '' : permissionText({ writable: r.writable, nx: r.nx ?? false, user: false, global: false }).split(' ')[0],
  ]);
  const problems = regions.filter((r) => r.problem).map((r) => `problem: ${r.problem}`);
  return [table(['#', 'VIRT', 'SIZE', 'PHYS', 'MAPPED', 'ACCESS'], rows), ...problems].join('\n');
}

export function formatControlRegisters(decoded: DecodedBits): string {
  const out: string[] = [];
  for (const name of ['cr0', 'cr4', 'efer'] as const) {
    const bits = decoded[name];
    if (!bits) continue;
    const unknown = bits.unknown ? ` (+ unnamed ${hex(bits.unknown)})` : '';
    out.push(`${name.toUpperCase().padEnd(4)} ${hex(bits.value).padEnd(12)} ${bits.set.join(' ')}${unknown}`);
  }
  if (decoded.mode) out.push(`mode: ${decoded.mode}`);
  return out.join('\n');
}

/** The registers three to a row (16 hex digits each), then the decoded control registers. */
export function formatRegisters(regs: Record<string, bigint>): string {
  const cells = REGISTER_ORDER.filter((n) => regs[n] !== undefined).map((n) => `${n.padStart(9)} ${regs[n].toString(16).padStart(16, '0')}`);
  const rows: string[] = [];
  for (let i = 0; i < cells.length; i += 3) rows.push(cells.slice(i, i + 3).join('   '));
  const decoded = formatControlRegisters(decodeControlRegisters(regs));
  return rows.join('\n') + (decoded ? `\n\n${decoded}` : '');
}

function anomalyLines(anomalies: { kind: string; message: string }[]): string[] {
  return anomalies.map((a) => `anomaly (${a.kind}): ${a.message}`);
}
