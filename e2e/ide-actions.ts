// Driving the IDE like a person does: through the explorer, Monaco's keyboard and the toolbar.
import type { Page } from 'playwright-core';

export async function waitForApp(page: Page): Promise<void> {
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 60_000 });
}

/** Opens a file by clicking its row in the Explorer (expanding its folders first). */
export async function openFile(page: Page, path: string): Promise<void> {
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) {
    const folder = page.locator(`[role="treeitem"][data-path="${parts.slice(0, i).join('/')}"]`);
    if ((await folder.getAttribute('aria-expanded')) === 'false') await folder.locator('> .tree-row').click();
  }
  await page.locator(`[role="treeitem"][data-path="${path}"] > .tree-row`).click();
  await page.locator(`.editor-tab[data-path="${path}"][aria-selected="true"]`).waitFor();
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

/** Selects the first occurrence of `text` in the active editor with Monaco's find widget. */
export async function selectInEditor(page: Page, text: string): Promise<void> {
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Control+F');
  const findInput = page.locator('.find-widget textarea, .find-widget input').first();
  await findInput.waitFor();
  await findInput.fill(text);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
}

/** Types at the cursor, one key at a time, as a user would. */
export async function typeInEditor(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text, { delay: 5 });
}

export async function vgaText(page: Page): Promise<string> {
  return (await page.locator('.vga-text').textContent()) ?? '';
}

export async function serialText(page: Page): Promise<string> {
  return (await page.locator('#panel-serial .serial-text').textContent()) ?? '';
}

/** The VM state word shown in the status bar ("running", "paused", …). */
export async function vmState(page: Page): Promise<string> {
  return (await page.locator('.status-vm').getAttribute('data-state')) ?? '';
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** The active Monaco buffer's visible lines, read through the page (Monaco renders only what is on screen). */
export async function editorText(page: Page): Promise<string> {
  return page.evaluate(() =>
    [...document.querySelectorAll('.monaco-editor .view-lines .view-line')].map((l) => l.textContent ?? '').join('\n').replace(/\u00a0/g, ' '),
  );
}
