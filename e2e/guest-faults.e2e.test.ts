// The IDE stays usable when the guest goes wrong: the sample's page-fault switch (vector 14, CR2
// 0xdeadb000 shown with RIP and the source line), its triple-fault switch, and QEMU killed with
// SIGKILL by its PID. After each, Build and Boot still work in the same page, and the server
// logged no unhandled rejection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { VmStatus } from '../main/common/contract';
import { childProcesses, connectApi, type TestClient } from './api-client';
import { type Browser, type Ide, type Server, openIde, screenshot } from './harness';
import { vgaText, vmState, waitFor } from './ide-actions';

const PHASE2 = 'Longmode seed-os: phase 2';
let sample: Ide['sample'];
let server: Server;
let browser: Browser;
let page: Page;
let client: TestClient;
const states: VmStatus[] = [];

let ide: Ide | undefined;

beforeAll(async () => {
  ide = await openIde();
  ({ sample, server, browser, page } = ide);
  client = await connectApi(server.url);
  client.api.on('vm.state', (s) => states.push(s));
});

afterAll(async () => {
  client?.close();
  await ide?.close();
});

const statusText = async () => (await page.locator('.status-vm').textContent()) ?? '';
const banner = () => page.locator('.fault-banner');

/** Build and Boot from the toolbar, as after any mishap: the guest reaches phase 2 again. */
async function buildAndBootStillWork(step: string): Promise<void> {
  const status = page.locator('.status-build');
  const finished = Number((await status.getAttribute('data-finished')) ?? 0);
  await page.getByRole('button', { name: 'Build', exact: true }).click();
  await waitFor(`${step}: the build to finish`, async () => Number(await status.getAttribute('data-finished')) > finished, 180_000);
  expect(await status.textContent()).toMatch(/^Build succeeded/);
  states.length = 0;
  await page.getByRole('button', { name: 'Boot', exact: true }).click();
  await waitFor(`${step}: the new guest to run`, async () => states.some((s) => s.state === 'running') && (await vmState(page)) === 'running', 120_000);
  await waitFor(`${step}: phase 2 on the VGA pane`, async () => (await vgaText(page)).includes(PHASE2), 120_000);
  await new Promise((r) => setTimeout(r, 1000));
  expect(await vmState(page)).toBe('running'); // no fault switch this time: it keeps running
  expect(await banner().isVisible()).toBe(false); // the fault banner went with the faulted guest
}

/** The running guest's QEMU, as its status reports it: a child of the server (beside it may wait the spare for the next boot). */
async function qemuPid(): Promise<number> {
  const { qemuPid: pid } = await client.api.call('vm.status', {});
  expect(pid, 'the status names the guest\'s QEMU').toBeTypeOf('number');
  expect(childProcesses(server.process.pid!, 'qemu-system-x86_64')).toContain(pid);
  return pid!;
}

describe('guest faults and QEMU crashes', () => {
  it('reports the page fault: vector 14, CR2 0xdeadb000, RIP and the source line', async () => {
    await client.api.call('vm.boot', { fault: 'page' }); // builds first (cold), then boots
    await waitFor('the faulted state', async () => (await vmState(page)) === 'faulted' && states.some((s) => s.state === 'faulted'), 180_000);
    const fault = states.find((s) => s.state === 'faulted')?.fault;
    expect(fault).toMatchObject({ kind: 'exception', vector: 14, cr2: '0xdeadb000', rip: expect.stringMatching(/^0x[0-9a-f]+$/) });
    expect(await statusText()).toMatch(/faulted.*vector 14.*cr2 0xdeadb000/i);
    await banner().waitFor({ state: 'visible', timeout: 10_000 });
    const text = (await banner().textContent()) ?? '';
    expect(text).toContain('vector 14');
    expect(text).toContain('CR2 0xdeadb000');
    expect(text).toContain(`RIP ${fault!.rip}`);
    const source = page.locator('.fault-banner .fault-source');
    await source.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await source.textContent()).toMatch(/^kernel\/src\/[\w/]+\.rs:\d+$/);
    await screenshot(page, '13-page-fault');
    await buildAndBootStillWork('after the page fault');
  });

  it('reports the triple fault, then boots again', async () => {
    states.length = 0;
    await client.api.call('vm.boot', { fault: 'triple' });
    await waitFor('the triple fault', async () => ['faulted', 'exited'].includes(await vmState(page)) && states.some((s) => s.fault?.kind === 'triple-fault'), 120_000);
    expect(await statusText()).toMatch(/triple/i);
    await screenshot(page, '14-triple-fault');
    await buildAndBootStillWork('after the triple fault');
  });

  it('survives QEMU killed with SIGKILL: exited, with a message; then boots again', async () => {
    const pid = await qemuPid();
    process.kill(pid, 'SIGKILL');
    await waitFor('the exited state', async () => (await vmState(page)) === 'exited', 20_000);
    expect(await statusText()).toContain('QEMU was killed (SIGKILL)');
    await screenshot(page, '15-qemu-killed');
    await buildAndBootStillWork('after QEMU was killed');
    expect(await qemuPid()).not.toBe(pid);
  });

  it('kept the server up, with no unhandled rejection, and Stop leaves no QEMU behind (nor a spare)', async () => {
    expect(server.process.exitCode).toBeNull();
    expect(server.stderr()).not.toMatch(/unhandled rejection|uncaught/i);
    await client.api.call('vm.stop', {});
    await waitFor('QEMU to exit', async () => childProcesses(server.process.pid!, 'qemu-system-x86_64').length === 0, 20_000);
  });
});
