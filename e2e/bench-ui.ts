// UI benchmarks in browser mode (run by bench/, or `npx tsx e2e/bench-ui.ts [--runs N]`); prints one
// JSON document on stdout:
//   coldStartMs     page navigation in a fresh Chromium profile → Monaco interactive with the sample open
//   serverStartMs   spawning `longmode serve` → its URL printed
//   saveToBannerMs  F5 (save + build + boot) after editing the phase-2 banner in Monaco → the new text in the VGA pane
//   plainMs         the same rebuild + boot with the plain commands (bench/plain-commands.ts), one
//                   after each UI run (the IDE's guest paused meanwhile), so both see the same machine
//   editToBannerMs  the UI run including the edit itself (find + typing in Monaco)
import { performance } from 'node:perf_hooks';
import { plainSample } from '../bench/plain-commands';
import { copySample, ensureRendererBundle, launchBrowser, repoRoot, startServer } from './harness';
import { openFile, selectInEditor, typeInEditor, vgaText, vmState, waitFor, waitForApp } from './ide-actions';

const BANNER_FILE = 'kernel/src/phase2.rs';
const BANNER = 'Longmode seed-os: phase 2';

/** the IDE's work after a boot (stopping the replaced guest, starting the spare QEMU) is over by then: the plain run gets a quiet machine */
const IDE_SETTLE_MS = 2500;

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Math.max(1, Number(process.argv[runsArg + 1]) || 3) : 3;

/** Runs in the page: resolves when the VGA pane's text includes `text` (no named inner functions: tsx would wrap them in a helper the page lacks). */
function bannerShown({ text, timeoutMs }: { text: string; timeoutMs: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const mirror = document.querySelector('.vga-text');
    if (!mirror) return reject(new Error('the VGA pane is not on the page'));
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`"${text}" did not appear in the VGA pane within ${timeoutMs} ms`));
    }, timeoutMs);
    const observer = new MutationObserver(() => {
      if (!mirror.textContent?.includes(text)) return;
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    });
    observer.observe(mirror, { childList: true, characterData: true, subtree: true });
  });
}

async function main(): Promise<void> {
  ensureRendererBundle();
  const sample = copySample();
  const plain = plainSample(`${repoRoot}/samples/seed-os`);
  const result = { runs, serverStartMs: 0, coldStartMs: [] as number[], saveToBannerMs: [] as number[], plainMs: [] as number[], editToBannerMs: [] as number[] };
  const t0 = performance.now();
  const server = await startServer(sample.dir).catch((error: Error) => {
    sample.dispose();
    plain.dispose();
    throw error;
  });
  result.serverStartMs = Math.round(performance.now() - t0);
  try {
    for (let i = 0; i < runs; i++) {
      const browser = await launchBrowser();
      try {
        const start = performance.now();
        await browser.page.goto(server.url);
        await waitForApp(browser.page);
        await browser.page.locator('.monaco-editor .view-lines span[class*="mtk"]').first().waitFor();
        result.coldStartMs.push(Math.round(performance.now() - start));
      } finally {
        await browser.close();
      }
    }

    const browser = await launchBrowser();
    const page = browser.page;
    try {
      await page.goto(server.url);
      await waitForApp(page);
      await openFile(page, BANNER_FILE);
      // a first build and boot so every measured run is a rebuild after a one-line edit
      await page.getByRole('button', { name: 'Boot', exact: true }).click();
      await waitFor('the first boot', async () => (await vgaText(page)).includes(BANNER), 300_000);
      for (let i = 1; i <= runs; i++) {
        const marker = `${BANNER} r${i}`;
        const editStart = performance.now();
        await selectInEditor(page, BANNER);
        await typeInEditor(page, marker);
        const saveStart = performance.now();
        // watched in the page by a MutationObserver on the VGA pane's text (set in the same task that
        // draws the canvas): as prompt as the plain run reading serial, and without forcing frames
        const shown = page.evaluate(bannerShown, { text: marker, timeoutMs: 120_000 });
        // one key, as a user would: F5 saves the dirty buffer, rebuilds and boots
        await page.keyboard.press('F5');
        await shown;
        const end = performance.now();
        result.saveToBannerMs.push(Math.round(end - saveStart));
        result.editToBannerMs.push(Math.round(end - editStart));
        await page.getByRole('button', { name: 'Pause', exact: true }).click();
        await waitFor('the guest to pause', async () => (await vmState(page)) === 'paused', 30_000);
        await new Promise((r) => setTimeout(r, IDE_SETTLE_MS));
        result.plainMs.push(await plain.editAndBoot(BANNER_FILE, BANNER, `${BANNER} c${i}`));
      }
      await page.getByRole('button', { name: 'Stop', exact: true }).click();
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop();
    sample.dispose();
    plain.dispose();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  process.stdout.write(
    JSON.stringify({ ...result, median: { coldStartMs: median(result.coldStartMs), saveToBannerMs: median(result.saveToBannerMs), plainMs: median(result.plainMs), editToBannerMs: median(result.editToBannerMs) } }, null, 2) + '\n',
  );
}

main().catch((error) => {
  console.error(`bench-ui: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
