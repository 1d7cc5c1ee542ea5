// Hot exit, tested by killing the real process: type into Monaco, wait for the backup, SIGKILL the
// real `longmode serve` by its PID, start a new one on the same workspace, open the page, and see
// the unsaved edit back, marked dirty. Then the same with the file changed on disk meanwhile: the
// conflict bar asks which side to keep instead of silently overriding either.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { copySample, ensureRendererBundle, launchBrowser, screenshot, startServer, type Browser, type Server } from './harness';
import { editorText, openFile, typeInEditor, waitFor, waitForApp } from './ide-actions';

const FILE = 'kernel/build.rs'; // short: every line stays on screen
let sample: ReturnType<typeof copySample>;
let server: Server | undefined;
let browser: Browser;
let page: Page;
let original: string;

beforeAll(async () => {
  ensureRendererBundle();
  sample = copySample();
  original = readFileSync(join(sample.dir, FILE), 'utf8');
  browser = await launchBrowser();
  page = browser.page;
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  sample?.dispose();
});

const backupsDir = () => join(sample.dir, '.longmode', 'backups');
const backupTexts = (): string[] =>
  existsSync(backupsDir()) ? readdirSync(backupsDir()).filter((n) => n.endsWith('.json')).map((n) => JSON.parse(readFileSync(join(backupsDir(), n), 'utf8')).text) : [];

/** SIGKILL, as a crash or `kill -9` would: nothing gets a chance to save. */
async function killServer(): Promise<void> {
  const child = server!.process;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  process.kill(child.pid!, 'SIGKILL');
  await exited;
  expect(child.signalCode).toBe('SIGKILL');
  server = undefined;
}

async function openIde(): Promise<void> {
  server = await startServer(sample.dir);
  await page.goto(server.url);
  await waitForApp(page);
}

async function typeAtEnd(text: string): Promise<void> {
  await openFile(page, FILE);
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+End');
  await typeInEditor(page, text);
  await page.locator(`.editor-tab.dirty[data-path="${FILE}"]`).waitFor();
}

describe('hot exit', () => {
  it('brings an unsaved edit back, dirty, after the server is SIGKILLed', async () => {
    await openIde();
    await typeAtEnd('\n// unsaved before the crash');
    await waitFor('the backup of the unsaved edit', async () => backupTexts().some((t) => t.includes('unsaved before the crash')), 10_000);
    await killServer();
    expect(readFileSync(join(sample.dir, FILE), 'utf8')).toBe(original); // never saved

    await openIde();
    const tab = page.locator(`.editor-tab.dirty[data-path="${FILE}"]`);
    await tab.waitFor({ timeout: 10_000 });
    await tab.click();
    await waitFor('the restored edit in Monaco', async () => (await editorText(page)).includes('// unsaved before the crash'), 10_000);
    expect(await page.getByRole('alert').filter({ hasText: 'unsaved edits' }).count()).toBe(0); // disk unchanged: no conflict
    await screenshot(page, '11-hot-exit-restored');

    await page.keyboard.press('Control+S');
    await tab.waitFor({ state: 'detached' });
    expect(readFileSync(join(sample.dir, FILE), 'utf8')).toContain('// unsaved before the crash');
    await waitFor('the backup to be discarded after saving', async () => backupTexts().length === 0, 10_000);
    writeFileSync(join(sample.dir, FILE), original);
    await waitFor('the buffer to follow the disk', async () => !(await editorText(page)).includes('unsaved before the crash'), 10_000);
  });

  it('offers the conflict bar when the file changed on disk while the IDE was down', async () => {
    await typeAtEnd('\n// my edit, never saved');
    await waitFor('the backup', async () => backupTexts().some((t) => t.includes('my edit, never saved')), 10_000);
    await killServer();
    writeFileSync(join(sample.dir, FILE), '// changed on disk while the IDE was down\n' + original);

    await openIde();
    const tab = page.locator(`.editor-tab.dirty.conflict[data-path="${FILE}"]`);
    await tab.waitFor({ timeout: 10_000 });
    await tab.click();
    const bar = page.getByRole('alert').filter({ hasText: 'changed on disk while you have unsaved edits' });
    await bar.waitFor({ timeout: 10_000 });
    await waitFor('my edit in the buffer', async () => (await editorText(page)).includes('// my edit, never saved'), 10_000);
    expect(await editorText(page)).not.toContain('changed on disk while the IDE was down');
    await screenshot(page, '12-hot-exit-conflict');

    // reverting (take theirs) discards the backup; a third start restores nothing
    await bar.getByRole('button', { name: 'Take theirs' }).click();
    await bar.waitFor({ state: 'hidden' });
    await waitFor('the disk text in the buffer', async () => (await editorText(page)).includes('changed on disk while the IDE was down'), 10_000);
    expect(await editorText(page)).not.toContain('my edit, never saved');
    await waitFor('the backup to be discarded after reverting', async () => backupTexts().length === 0, 10_000);
    await killServer();
    await openIde();
    await openFile(page, FILE);
    expect(await page.locator(`.editor-tab.dirty[data-path="${FILE}"]`).count()).toBe(0);
  });

  it('keeps an edit typed just before the page went away (reload within the backup delay)', async () => {
    await typeAtEnd('\n// typed right before the reload');
    await page.reload(); // no wait: the page sends the pending backup as it goes
    await waitForApp(page);
    const tab = page.locator(`.editor-tab.dirty[data-path="${FILE}"]`);
    await tab.waitFor({ timeout: 10_000 });
    await tab.click();
    await waitFor('the restored edit', async () => (await editorText(page)).includes('// typed right before the reload'), 10_000);
    // reverting by undo discards the backup too
    await page.locator('.monaco-editor .view-lines').first().click();
    for (let i = 0; i < 5 && (await page.locator(`.editor-tab.dirty[data-path="${FILE}"]`).count()); i++) await page.keyboard.press('Control+Z');
    await tab.waitFor({ state: 'detached' });
    await waitFor('the backup to be discarded after undoing', async () => backupTexts().length === 0, 10_000);
  });
});
