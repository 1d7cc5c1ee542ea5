// The IDE end to end, in browser mode: a real `longmode serve` on a temp copy of the sample OS,
// driven in headless Chromium through the UI (explorer, Monaco keyboard, toolbar, shortcuts).
// A screenshot of every step lands in e2e/artifacts/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { copySample, ensureRendererBundle, launchBrowser, screenshot, startServer, type Browser, type Server } from './harness';
import { openFile, selectInEditor, serialText, typeInEditor, vgaText, vmState, waitFor, waitForApp } from './ide-actions';

const BANNER_FILE = 'kernel/src/phase2.rs';
const BANNER = 'Longmode seed-os: phase 2';
const EDITED = 'Longmode seed-os: phase 2 (edited in Monaco)';
const NASM_FILE = 'boot/stage2.asm';

let sample: ReturnType<typeof copySample>;
let server: Server;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ensureRendererBundle();
  sample = copySample();
  expect(readFileSync(join(sample.dir, BANNER_FILE), 'utf8')).toContain(`"${BANNER}"`);
  server = await startServer(sample.dir);
  browser = await launchBrowser();
  page = browser.page;
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  sample?.dispose();
});

describe('the IDE in browser mode', () => {
  it('opens the sample with every pane and button named', async () => {
    await page.goto(server.url);
    await waitForApp(page);
    for (const region of ['Explorer', 'Editor', 'Build output', 'VGA display']) {
      await expect(page.getByRole('region', { name: region, exact: true }).isVisible(), region).resolves.toBe(true);
    }
    for (const name of ['Build', 'Boot', 'Pause', 'Continue', 'Stop']) {
      expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(1);
    }
    await page.getByRole('tab', { name: /Problems/ }).click();
    expect(await page.getByRole('region', { name: 'Problems', exact: true }).isVisible()).toBe(true);
    await page.getByRole('tab', { name: /Serial console/ }).click();
    expect(await page.getByRole('region', { name: 'Serial console', exact: true }).isVisible()).toBe(true);
    // a first start shows real code, highlighted
    expect(await page.locator('.editor-tab[aria-selected="true"]').getAttribute('data-path')).toMatch(/\.rs$/);
    expect(await page.locator('.monaco-editor .view-lines span[class*="mtk"]').count()).toBeGreaterThan(20);
    await screenshot(page, '01-opened');
  });

  it('edits the phase-2 banner in Monaco, saves, boots: VGA and serial show the new text', async () => {
    await openFile(page, BANNER_FILE);
    await selectInEditor(page, BANNER);
    await typeInEditor(page, EDITED);
    await page.locator(`.editor-tab.dirty[data-path="${BANNER_FILE}"]`).waitFor();
    await screenshot(page, '02-edited');

    await page.keyboard.press('Control+S');
    await page.locator(`.editor-tab.dirty[data-path="${BANNER_FILE}"]`).waitFor({ state: 'detached' });
    expect(readFileSync(join(sample.dir, BANNER_FILE), 'utf8')).toContain(`"${EDITED}"`);

    await page.getByRole('button', { name: 'Boot', exact: true }).click();
    await waitFor('the new banner in the VGA pane', async () => (await vgaText(page)).includes(EDITED), 180_000);
    await waitFor('the new banner on the serial console', async () => (await serialText(page)).includes(EDITED), 20_000);
    expect(await vmState(page)).toBe('running');
    expect(await canvasIsDrawn(page)).toBe(true);
    await screenshot(page, '03-booted');
  });

  it('pauses and continues the guest from the toolbar', async () => {
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await waitFor('paused', async () => (await vmState(page)) === 'paused', 10_000);
    expect(await page.getByRole('button', { name: 'Continue', exact: true }).isEnabled()).toBe(true);
    await screenshot(page, '04-paused');
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await waitFor('running again', async () => (await vmState(page)) === 'running', 10_000);
  });

  it('reattaches to the running VM after a page reload', async () => {
    await page.reload();
    await waitForApp(page);
    await waitFor('the running state after reload', async () => (await vmState(page)) === 'running', 10_000);
    await waitFor('the banner in the VGA pane after reload', async () => (await vgaText(page)).includes(EDITED), 15_000);
    await waitFor('the banner in the serial history after reload', async () => (await serialText(page)).includes(EDITED), 10_000);
    await new Promise((r) => setTimeout(r, 500)); // let any duplicate arrive before checking there is none
    // history is shown once, not twice
    expect((await serialText(page)).split(EDITED).length - 1).toBe(1);
    await page.getByRole('tab', { name: /Serial console/ }).click();
    await screenshot(page, '05-reloaded');
  });

  it('reloads a clean buffer changed on disk, and offers a conflict for a dirty one', async () => {
    const path = 'kernel/build.rs'; // short: every line stays on screen
    const file = join(sample.dir, path);
    const original = readFileSync(file, 'utf8');
    await openFile(page, path);
    writeFileSync(file, '// changed on disk (clean buffer)\n' + original);
    await waitFor('the clean buffer to reload', async () => (await editorText(page)).includes('changed on disk (clean buffer)'), 10_000);

    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await typeInEditor(page, '\n// my unsaved edit');
    writeFileSync(file, '// changed on disk again\n' + original);
    const bar = page.getByRole('alert').filter({ hasText: 'changed on disk while you have unsaved edits' });
    await bar.waitFor({ timeout: 10_000 });
    expect(await editorText(page)).toContain('my unsaved edit'); // not overwritten
    await screenshot(page, '06-conflict');
    await bar.getByRole('button', { name: 'Compare' }).click();
    await page.getByRole('dialog', { name: 'Compare with disk' }).waitFor();
    await screenshot(page, '06-conflict-compare');
    await page.getByRole('dialog', { name: 'Compare with disk' }).getByRole('button', { name: 'Close' }).click();
    await bar.getByRole('button', { name: 'Take theirs' }).click();
    await bar.waitFor({ state: 'hidden' });
    // Monaco renders on the next animation frame: wait for the view to show the disk text
    await waitFor('their text in the editor', async () => (await editorText(page)).includes('changed on disk again'), 10_000);
    expect(await editorText(page)).not.toContain('my unsaved edit');
    expect(await page.locator(`.editor-tab.dirty[data-path="${path}"]`).count()).toBe(0);
    writeFileSync(file, original);
    await waitFor('the restored file to reload', async () => !(await editorText(page)).includes('changed on disk'), 10_000);
  });

  it('creates, renames and deletes files from the Explorer', async () => {
    await page.locator('[role="treeitem"][data-path="README.md"] > .tree-row').click();
    await page.getByRole('button', { name: 'New file' }).click();
    await page.getByRole('textbox', { name: 'New file name' }).fill('notes.md');
    await page.keyboard.press('Enter');
    await page.locator('[role="treeitem"][data-path="notes.md"]').waitFor();
    await page.locator('.editor-tab[data-path="notes.md"][aria-selected="true"]').waitFor();
    expect(existsSync(join(sample.dir, 'notes.md'))).toBe(true);

    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByRole('textbox', { name: 'Rename notes.md to' }).fill('docs-notes.md');
    await page.keyboard.press('Enter');
    await page.locator('[role="treeitem"][data-path="docs-notes.md"]').waitFor();
    await page.locator('.editor-tab[data-path="docs-notes.md"]').waitFor();
    expect(existsSync(join(sample.dir, 'notes.md'))).toBe(false);
    expect(existsSync(join(sample.dir, 'docs-notes.md'))).toBe(true);
    await screenshot(page, '07-explorer-renamed');

    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
    await page.locator('[role="treeitem"][data-path="docs-notes.md"]').waitFor({ state: 'detached' });
    expect(existsSync(join(sample.dir, 'docs-notes.md'))).toBe(false);
    await page.locator('.editor-tab[data-path="docs-notes.md"]').waitFor({ state: 'detached' });
  });

  it('shows a Rust type error and a NASM typo as markers and problems, then builds clean once fixed', async () => {
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await waitFor('the guest to stop', async () => (await vmState(page)) === 'exited', 15_000);

    const rustBefore = readFileSync(join(sample.dir, BANNER_FILE), 'utf8');
    const nasmBefore = readFileSync(join(sample.dir, NASM_FILE), 'utf8');
    // a type error on a new line right after the banner line
    await openFile(page, BANNER_FILE);
    await selectInEditor(page, EDITED);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await typeInEditor(page, 'let _oops: u32 = "not a number";');
    const rustLine = lineOf(await editorBufferViaDisk(page, BANNER_FILE, 'let _oops'), 'let _oops');
    // a NASM typo as the first line of stage 2
    await openFile(page, NASM_FILE);
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Home');
    await typeInEditor(page, 'movv ax, bx');
    await page.keyboard.press('Enter');

    await page.keyboard.press('Control+B'); // saves both, then builds
    await page.locator(`.problem[data-file="${BANNER_FILE}"]`).first().waitFor({ timeout: 180_000 });
    await page.locator(`.problem[data-file="${NASM_FILE}"]`).first().waitFor({ timeout: 10_000 });
    expect(await page.getByRole('region', { name: 'Problems', exact: true }).isVisible()).toBe(true);
    const rustProblem = page.locator(`.problem.error[data-file="${BANNER_FILE}"]`).first();
    const nasmProblem = page.locator(`.problem.error[data-file="${NASM_FILE}"]`).first();
    expect(Number(await rustProblem.getAttribute('data-line'))).toBe(rustLine);
    expect(Number(await nasmProblem.getAttribute('data-line'))).toBe(1);
    expect(Number(await page.locator('.status-counts').getAttribute('data-errors'))).toBeGreaterThanOrEqual(2);

    // clicking a problem jumps to its line, where Monaco shows the marker
    await nasmProblem.locator('button').click();
    await waitFor('the cursor on the NASM error line', async () => (await page.locator('.status-position').textContent())?.startsWith('Ln 1,') ?? false, 5_000);
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 5_000 });
    await screenshot(page, '08-nasm-marker');
    await rustProblem.locator('button').click();
    await waitFor('the cursor on the Rust error line', async () => (await page.locator('.status-position').textContent())?.startsWith(`Ln ${rustLine},`) ?? false, 5_000);
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 5_000 });
    await screenshot(page, '09-rust-marker');

    // fix both with undo (it works across the save), save, build clean
    await page.locator('.monaco-editor .view-lines').first().click();
    await undoUntilFileMatches(page, BANNER_FILE, (text) => text === rustBefore);
    await openFile(page, NASM_FILE);
    await page.locator('.monaco-editor .view-lines').first().click();
    await undoUntilFileMatches(page, NASM_FILE, (text) => text === nasmBefore);
    const finished = Number(await page.locator('.status-build').getAttribute('data-finished'));
    await page.getByRole('button', { name: 'Build', exact: true }).click();
    await waitFor('the build to finish', async () => Number(await page.locator('.status-build').getAttribute('data-finished')) > finished, 180_000);
    expect(await page.locator('.status-build').textContent()).toMatch(/^Build succeeded/);
    expect(await page.locator('.problem').count()).toBe(0);
    expect(await page.locator('.status-counts').getAttribute('data-errors')).toBe('0');
    expect(await page.locator('.monaco-editor .squiggly-error').count()).toBe(0);
    await screenshot(page, '10-clean-build');
  });
});

/** The active Monaco buffer, read through the page (Monaco renders only visible lines). */
async function editorText(page: Page): Promise<string> {
  return page.evaluate(() =>
    [...document.querySelectorAll('.monaco-editor .view-lines .view-line')].map((l) => l.textContent ?? '').join('\n').replace(/\u00a0/g, ' '),
  );
}

/** Non-black pixels on the VGA canvas: the frame was really drawn, not only mirrored as text. */
async function canvasIsDrawn(page: Page): Promise<boolean> {
  return page.locator('.vga-canvas').evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let lit = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] > 0) lit++;
    return lit > 500;
  });
}

/** Saves the active buffer and reads it back from disk (the test's view of "what the user typed"). */
async function editorBufferViaDisk(page: Page, path: string, expected: string): Promise<string> {
  await page.keyboard.press('Control+S');
  await waitFor(`${path} saved`, async () => readFileSync(join(sample.dir, path), 'utf8').includes(expected), 10_000);
  return readFileSync(join(sample.dir, path), 'utf8');
}

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

async function undoUntilFileMatches(page: Page, path: string, fixed: (text: string) => boolean): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if (!(await page.evaluate(() => !!document.activeElement?.closest('.monaco-editor')))) await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Z');
    await page.keyboard.press('Control+S');
    await new Promise((r) => setTimeout(r, 150));
    if (fixed(readFileSync(join(sample.dir, path), 'utf8'))) return;
  }
  throw new Error(`undo did not restore ${path}; it now reads:\n${readFileSync(join(sample.dir, path), 'utf8').slice(0, 2000)}`);
}
