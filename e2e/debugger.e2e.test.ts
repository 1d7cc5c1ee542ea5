// The debugger in the editor end to end (issue 6), in browser mode against the real `longmode
// serve`, QEMU and a temp copy of the sample OS, in headless Chromium: a breakpoint clicked into
// Monaco's gutter on a phase-2 line is hit after Boot (current line, paused panes), F10 steps over
// to a later line, Continue runs to "phase 2: ready"; a bootloader breakpoint (stage 2, through the
// NASM listing) is hit after Restart; an unresolvable line shows a hollow dot with the reason; the
// breakpoints survive a reload. Screenshots go to e2e/artifacts/debugger-*.png.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Ide, type Server, openIde, screenshot } from './harness';
import { openFile, serialText, vmState, waitFor, waitForApp } from './ide-actions';

const PHASE2 = 'kernel/src/phase2.rs';
const STAGE2 = 'boot/stage2.asm';

let sample: Ide['sample'];
let server: Server;
let browser: Browser;
let page: Page;

function lineOf(file: string, text: string): number {
  const index = readFileSync(join(sample.dir, file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  if (index < 0) throw new Error(`${file} has no line containing ${text}`);
  return index + 1;
}

const debugMessage = async () => (await page.locator('.inspect-toolbar .debug-message').textContent()) ?? '';

/** Monaco's go-to-line (Ctrl+G): the line is revealed in the middle of the editor. */
async function goToLine(line: number): Promise<void> {
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  await page.keyboard.type(String(line));
  await page.keyboard.press('Enter');
  await page.locator(`.monaco-editor .line-numbers:text-is("${line}")`).waitFor();
}

/** Clicks the glyph margin (left of the line numbers) on a visible line (Monaco may redraw the numbers meanwhile: look again). */
async function clickGutter(line: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const number = await page.locator(`.monaco-editor .line-numbers:text-is("${line}")`).boundingBox({ timeout: 2_000 }).catch(() => null);
    const margin = await page.locator('.monaco-editor .margin .glyph-margin').first().boundingBox({ timeout: 2_000 }).catch(() => null);
    if (number && margin) return page.mouse.click(margin.x + margin.width / 2, number.y + number.height / 2);
    if (attempt === 5) throw new Error(`line ${line} is not on screen`);
    await page.waitForTimeout(200);
  }
}

/** The visible lines that carry a decoration class (glyphs and line highlights line up with the line numbers). */
async function decoratedLines(className: string): Promise<number[]> {
  return page.evaluate((cls) => {
    const numbers = [...document.querySelectorAll('.monaco-editor .line-numbers')];
    return [...document.querySelectorAll(`.monaco-editor .${cls}`)]
      .map((el) => {
        const top = el.getBoundingClientRect().top;
        const match = numbers.find((n) => Math.abs(n.getBoundingClientRect().top - top) < 3);
        return match ? Number(match.textContent) : -1;
      })
      .sort((a, b) => a - b);
  }, className);
}

async function waitForCurrentLine(check: (line: number) => boolean, what: string, timeoutMs = 60_000): Promise<number> {
  let lines: number[] = [];
  await waitFor(what, async () => (lines = await decoratedLines('lm-current-line')).length === 1 && check(lines[0]), timeoutMs).catch(async (err: Error) => {
    throw new Error(`${err.message}; current-line decorations on ${JSON.stringify(lines)}; the debug toolbar says: ${await debugMessage()}`);
  });
  return lines[0];
}

let ide: Ide | undefined;

beforeAll(async () => {
  ide = await openIde();
  ({ sample, server, browser, page } = ide);
});

afterAll(async () => {
  await ide?.close();
});

describe('the debugger in the editor', () => {
  it('has one Step and one Step over button', async () => {
    for (const name of ['Step', 'Step over', 'Continue']) expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(1);
  });

  it('sets a breakpoint from the gutter of a phase-2 line', async () => {
    const line = lineOf(PHASE2, 'unmap_low_kernel(&start.kernel_phys);');
    await openFile(page, PHASE2);
    await goToLine(line);
    await clickGutter(line);
    await waitFor('the breakpoint dot', async () => (await decoratedLines('lm-breakpoint')).includes(line), 5_000);
    // no guest yet: it waits for the boot (a full red dot, not a hollow one)
    expect(await decoratedLines('lm-breakpoint-unresolved')).toEqual([]);
  });

  it('hits it after Boot: the editor shows the line, the panes the paused guest', async () => {
    const line = lineOf(PHASE2, 'unmap_low_kernel(&start.kernel_phys);');
    await page.getByRole('button', { name: 'Boot', exact: true }).click();
    await waitForCurrentLine((l) => l === line, `the current line ${line}`, 180_000);
    expect(await debugMessage()).toContain(`stopped (breakpoint)`);
    expect(await debugMessage()).toContain(`${PHASE2}:${line}`);
    await waitFor('paused', async () => (await vmState(page)) === 'paused', 10_000);
    expect(await decoratedLines('lm-breakpoint-verified')).toContain(line);
    expect(await page.locator(`.editor-tab[data-path="${PHASE2}"][aria-selected="true"]`).count()).toBe(1);
    expect(await serialText(page)).not.toContain('low kernel mapping removed');
    await screenshot(page, 'debugger-01-breakpoint-hit');
  });

  it('steps over the line with F10', async () => {
    const line = lineOf(PHASE2, 'unmap_low_kernel(&start.kernel_phys);');
    await page.keyboard.press('F10');
    const next = await waitForCurrentLine((l) => l > line, 'a later current line');
    expect(await debugMessage()).toContain(`${PHASE2}:${next}`);
    await waitFor('the line to run', async () => (await serialText(page)).includes('low kernel mapping removed'), 10_000);
    await screenshot(page, 'debugger-02-step-over');
  });

  it('continues to "phase 2: ready" from the toolbar', async () => {
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await waitFor('phase 2: ready', async () => (await serialText(page)).includes('phase 2: ready'), 30_000);
    await waitFor('the current line to go', async () => (await decoratedLines('lm-current-line')).length === 0, 5_000);
  });

  it('shows a line without code as a hollow dot with the reason', async () => {
    await openFile(page, STAGE2);
    await goToLine(1);
    await clickGutter(1);
    await waitFor('the hollow dot', async () => (await decoratedLines('lm-breakpoint-unresolved')).includes(1), 10_000);
    await page.locator('.monaco-editor .lm-breakpoint-unresolved').hover();
    await page.getByText(/Breakpoint not set: no code for this line in the NASM listing/).waitFor({ timeout: 5_000 });
    await screenshot(page, 'debugger-03-unresolved');
    await clickGutter(1);
    await waitFor('the dot to go', async () => (await decoratedLines('lm-breakpoint')).length === 0, 5_000);
  });

  it('hits a stage-2 breakpoint after Restart', async () => {
    const line = lineOf(STAGE2, 'call read_kernel');
    await goToLine(line);
    await clickGutter(line);
    await waitFor('a set breakpoint', async () => (await decoratedLines('lm-breakpoint-verified')).includes(line), 10_000);
    await page.getByRole('button', { name: 'Restart', exact: true }).click();
    await waitForCurrentLine((l) => l === line, `the stage-2 line ${line}`);
    expect(await debugMessage()).toContain(`${STAGE2}:${line}`);
    await waitFor('paused', async () => (await vmState(page)) === 'paused', 10_000);
    await screenshot(page, 'debugger-04-stage2');
  });

  it('keeps the breakpoints over a reload', async () => {
    const line = lineOf(STAGE2, 'call read_kernel');
    await page.waitForTimeout(700); // the UI state is saved half a second after the last change
    await page.reload();
    await waitForApp(page);
    await openFile(page, STAGE2);
    await goToLine(line);
    await waitFor('the restored dot', async () => (await decoratedLines('lm-breakpoint')).includes(line), 10_000);
    await openFile(page, PHASE2);
    await goToLine(lineOf(PHASE2, 'unmap_low_kernel(&start.kernel_phys);'));
    expect(await decoratedLines('lm-breakpoint')).toContain(lineOf(PHASE2, 'unmap_low_kernel(&start.kernel_phys);'));
  });
});
