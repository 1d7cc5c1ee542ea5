// The inspection and debugging panes end to end (issue 6), in browser mode against the real
// `longmode serve` and a temp copy of the sample OS, in headless Chromium: break at phase 2, the
// page tables (recursive entry, high-half heap, identity VGA page), the diff against the
// kernel-entry capture, the memory map's free-frame count, the heap regions, a source-line
// breakpoint, snapshots, the page-fault banner, and a synthetic million-mapping page table.
// Screenshots go to e2e/artifacts/inspect-*.png.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Ide, type Server, artifactsDir, openIde, screenshot } from './harness';
import { serialText, vmState, waitFor } from './ide-actions';
import type {} from '../renderer/inspect/test-hook'; // window.longmodeInspectTest

const PHASE2 = 'kernel/src/phase2.rs';


let sample: Ide['sample'];
let server: Server;
let browser: Browser;
let page: Page;

function lineOf(file: string, text: string): number {
  const index = readFileSync(join(sample.dir, file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  if (index < 0) throw new Error(`${file} has no line containing ${text}`);
  return index + 1;
}

const region = (name: string) => page.getByRole('region', { name, exact: true });
const tab = (name: string) => page.locator('.inspect-tab', { hasText: name });
const debugMessage = () => page.locator('.inspect-toolbar .debug-message').textContent().then((t) => t ?? '');
const debugButton = (name: string) => page.getByRole('toolbar', { name: 'Debug' }).getByRole('button', { name, exact: true });

async function clickAndWaitStopped(button: string, expected: RegExp, timeoutMs = 60_000): Promise<string> {
  await debugButton(button).click();
  let text = '';
  await waitFor(`"${button}" to stop the guest`, async () => expected.test((text = await debugMessage())), timeoutMs).catch((err: Error) => {
    throw new Error(`${err.message}; the debug toolbar says: ${text || '(nothing)'}`);
  });
  return text;
}

let ide: Ide | undefined;

beforeAll(async () => {
  ide = await openIde();
  ({ sample, server, browser, page } = ide);
});

afterAll(async () => {
  await ide?.close();
});

describe('the inspection panes', () => {
  it('are all there, with their accessible names', async () => {
    await page.locator('.inspection').waitFor({ timeout: 10_000 }).catch(() => {
      throw new Error('the inspection panes are not in the page: renderer/app.ts must call mountInspectionPanes(layout.side, api, …)');
    });
    for (const name of ['Page tables', 'Memory map', 'Heap regions', 'Registers', 'Hex view']) {
      await tab(name).click();
      expect(await region(name).isVisible(), name).toBe(true);
    }
    for (const name of ['Step', 'Snapshot']) expect(await debugButton(name).count(), name).toBe(1);
    await tab('Page tables').click();
  });

  it('boots, breaks at phase 2 and lists the recursive entry, the high-half heap and the VGA page', async () => {
    await page.getByRole('button', { name: 'Boot', exact: true }).click();
    await waitFor('the guest to run', async () => ['running', 'paused'].includes(await vmState(page)), 180_000);
    const stopped = await clickAndWaitStopped('Break at phase 2', /stopped \(breakpoint\)/);
    expect(stopped).toContain('kernel/src/handoff.rs');
    const pane = region('Page tables');
    await pane.locator('.badge.recursive', { hasText: 'recursive entry 510' }).waitFor({ timeout: 10_000 });
    const search = pane.getByRole('searchbox', { name: 'Find address' });
    await search.fill('ffff8000_00000000');
    await search.press('Enter');
    expect(await pane.locator('.pt-row[aria-selected="true"]').textContent()).toContain('ffff8000_00000000');
    await search.fill('b8000');
    await search.press('Enter');
    const vgaRow = (await pane.locator('.pt-row[aria-selected="true"]').textContent()) ?? '';
    // identity-mapped: the row's virtual and physical columns are equal
    const [virt, phys] = [...vgaRow.matchAll(/[0-9a-f]{8}(?:_[0-9a-f]{8})?/g)].map((m) => m[0]);
    expect(virt).toBe(phys);
    expect(BigInt('0x' + virt.replace('_', ''))).toBeLessThanOrEqual(0xb8000n);
    await screenshot(page, 'inspect-01-page-tables-phase2');
  });

  it('shows the new high mappings in the diff against the kernel-entry capture', async () => {
    const pane = region('Page tables');
    await pane.getByRole('tab', { name: 'Diff' }).click();
    await pane.getByRole('combobox', { name: 'Compare from capture' }).selectOption('kernel entry');
    await pane.getByRole('combobox', { name: 'Compare to capture' }).selectOption('phase 2');
    await pane.getByRole('button', { name: 'Compare', exact: true }).click();
    const table = pane.getByRole('table', { name: 'Page-table diff' });
    await table.waitFor();
    const added = await table.locator('tr.diff-added').allTextContents();
    expect(added.some((r) => r.includes('ffff8000_00000000'))).toBe(true);
    expect(added.some((r) => r.includes('ffffffff_80000000'))).toBe(true);
    await screenshot(page, 'inspect-02-diff');
    await pane.getByRole('tab', { name: 'Ranges' }).click();
  });

  it('hits a breakpoint on a kernel line', async () => {
    const line = lineOf(PHASE2, 'unmap_low_kernel(&start.kernel_phys);');
    await page.evaluate(([file, l]) => window.longmodeInspectTest!.setBreakpoints(file as string, [l as number]), [PHASE2, line]);
    expect(await debugMessage()).toContain('1 breakpoint(s)');
    const stopped = await clickAndWaitStopped('Run to breakpoint', /stopped \(breakpoint\)/);
    expect(stopped).toContain(`${PHASE2}:${line}`);
    await page.locator(`.editor-tab[data-path="${PHASE2}"][aria-selected="true"]`).waitFor({ timeout: 10_000 });
    await screenshot(page, 'inspect-03-breakpoint');
    await page.evaluate((file) => window.longmodeInspectTest!.setBreakpoints(file, []), PHASE2);
  });

  it('shows the free-frame count the kernel printed and the heap regions of the record', async () => {
    await debugButton('Run to breakpoint').click();
    await waitFor('phase 2 to finish', async () => (await serialText(page)).includes('phase 2: ready'), 30_000);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await waitFor('paused', async () => (await vmState(page)) === 'paused', 10_000);
    const serial = await serialText(page);
    const printed = /vtable check: (\d+) free frames/.exec(serial)![1];
    await tab('Memory map').click();
    const map = region('Memory map');
    await waitFor('the free-frame count', async () => ((await map.locator('.free-frames').textContent()) ?? '').includes(`Free frames: ${printed}`), 10_000);
    expect(await map.locator('.memmap-seg').count()).toBeGreaterThan(3);
    await screenshot(page, 'inspect-04-memory-map');

    await tab('Heap regions').click();
    const heap = region('Heap regions');
    const printedRegions = [...serial.matchAll(/heap region (\d+): virt 0x([0-9a-f]+) len 0x[0-9a-f]+ phys 0x([0-9a-f]+)/g)];
    expect(printedRegions.length).toBeGreaterThan(0);
    await waitFor('the heap blocks', async () => (await heap.locator('.heap-block').count()) === printedRegions.length, 10_000).catch(async (err: Error) => {
      throw new Error(`${err.message}; the pane says: ${await heap.locator('.inspect-status, .pane-status, header').allTextContents()} / ${(await heap.textContent())?.slice(0, 300)}`);
    });
    const blocks = await heap.locator('.heap-block').allTextContents();
    printedRegions.forEach((m, i) => {
      const grouped = (hex: string) => { const d = hex.padStart(16, '0'); return `${d.slice(0, 8)}_${d.slice(8)}`; };
      expect(blocks[i]).toContain(grouped(m[2]));
      expect(blocks[i]).toContain('mapped');
    });
    await screenshot(page, 'inspect-05-heap');

    await tab('Registers').click();
    await region('Registers').getByText('CPU mode: long').waitFor({ timeout: 10_000 });
    await tab('Hex view').click();
    const hex = region('Hex view');
    await hex.getByRole('textbox', { name: 'Hex view address' }).fill('deadb000');
    await hex.getByRole('button', { name: 'Show' }).click();
    await hex.locator('.hex-line.unmapped').first().waitFor({ timeout: 10_000 });
    await screenshot(page, 'inspect-06-registers-hex');
  });

  it('saves and restores a snapshot', async () => {
    await debugButton('Snapshot').click();
    const snapshots = region('Snapshots');
    await snapshots.locator('.snapshot-name').first().waitFor({ timeout: 20_000 });
    await snapshots.getByRole('button', { name: /^Restore / }).first().click();
    await waitFor('the restore', async () => ((await snapshots.getByRole('status').textContent()) ?? '').startsWith('restored'), 20_000);
    await screenshot(page, 'inspect-07-snapshots');
  });

  it('shows the fault banner with CR2 and the source line after the page-fault switch', async () => {
    await page.evaluate(() => window.longmodeInspectTest!.call('vm.boot', { fault: 'page' }));
    const banner = page.getByRole('alert', { name: 'Guest fault' });
    await banner.waitFor({ timeout: 60_000 });
    await waitFor('the fault source', async () => ((await banner.textContent()) ?? '').includes(PHASE2), 10_000);
    const text = (await banner.textContent()) ?? '';
    expect(text).toContain('CR2 0xdeadb000');
    expect(text).toContain(`${PHASE2}:${lineOf(PHASE2, '(FAULT_ADDRESS as *mut u64).write_volatile(1)')}`);
    await screenshot(page, 'inspect-08-fault');
  });

  it('stays responsive with a synthetic page table of one million mappings', async () => {
    await tab('Page tables').click();
    const timings = await page.evaluate(async () => {
      const hook = window.longmodeInspectTest!;
      const frame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));
      let t = performance.now();
      hook.showSyntheticPageTables(1_000_000);
      await frame();
      const show = performance.now() - t;
      t = performance.now();
      const index = hook.findInPageTables('ffff8000_7a11f000'); // mapping 500,000 - 1
      await frame();
      const find = performance.now() - t;
      const list = document.querySelector('.page-tables .vlist') as HTMLElement;
      t = performance.now();
      list.scrollTop = list.scrollHeight;
      await frame();
      await frame();
      const scroll = performance.now() - t;
      const rows = list.querySelectorAll('.pt-row').length;
      const last = list.querySelector('.pt-row:last-child')?.textContent ?? '';
      return { show, find, scroll, index, rows, last, scrollTop: list.scrollTop, clientHeight: list.clientHeight, scrollHeight: list.scrollHeight };
    });
    expect(timings.index).toBe(499_999);
    expect(timings.rows).toBeLessThan(200); // virtualized: only the rows in view exist
    expect(timings.last, JSON.stringify(timings)).toContain('ffff8000_f423f000'); // the millionth mapping
    expect(await region('Page tables').getByRole('status').first().textContent()).toContain('1000000 ranges');
    mkdirSync(artifactsDir, { recursive: true });
    writeFileSync(join(artifactsDir, 'inspect-million-mappings.json'), JSON.stringify(timings, null, 2));
    await screenshot(page, 'inspect-09-million-mappings');
  });
});
