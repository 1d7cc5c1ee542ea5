// UI benchmarks in browser mode (run by bench/, or `npx tsx e2e/bench-ui.ts [--runs N]`); prints one
// JSON document on stdout:
//   coldStartMs     page navigation in a fresh Chromium profile → Monaco interactive with the sample open
//   serverStartMs   spawning `longmode serve` → its URL printed
//   saveToBannerMs  F5 (save + build + boot) after editing the phase-2 banner in Monaco → the new text in the VGA pane
//                   (the part to compare with the same rebuild + boot done by plain CLI commands)
//   editToBannerMs  the same, including the edit itself (find + typing in Monaco)
import { performance } from 'node:perf_hooks';
import { copySample, ensureRendererBundle, launchBrowser, startServer } from './harness';
import { openFile, selectInEditor, typeInEditor, vgaText, waitFor, waitForApp } from './ide-actions';

const BANNER_FILE = 'kernel/src/phase2.rs';
const BANNER = 'Longmode seed-os: phase 2';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Math.max(1, Number(process.argv[runsArg + 1]) || 3) : 3;

async function main(): Promise<void> {
  ensureRendererBundle();
  const sample = copySample();
  const result = { runs, serverStartMs: 0, coldStartMs: [] as number[], saveToBannerMs: [] as number[], editToBannerMs: [] as number[] };
  const t0 = performance.now();
  const server = await startServer(sample.dir);
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
        // one key, as a user would: F5 saves the dirty buffer, rebuilds and boots
        await page.keyboard.press('F5');
        // watched in the page at every animation frame, as promptly as the plain run reads serial
        await page.waitForFunction((text) => document.querySelector('.vga-text')?.textContent?.includes(text) ?? false, marker, { polling: 'raf', timeout: 120_000 });
        const end = performance.now();
        result.saveToBannerMs.push(Math.round(end - saveStart));
        result.editToBannerMs.push(Math.round(end - editStart));
      }
      await page.getByRole('button', { name: 'Stop', exact: true }).click();
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop();
    sample.dispose();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  process.stdout.write(
    JSON.stringify({ ...result, median: { coldStartMs: median(result.coldStartMs), saveToBannerMs: median(result.saveToBannerMs), editToBannerMs: median(result.editToBannerMs) } }, null, 2) + '\n',
  );
}

main().catch((error) => {
  console.error(`bench-ui: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
