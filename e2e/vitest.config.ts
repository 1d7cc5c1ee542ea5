import { defineConfig } from 'vitest/config';

// End-to-end tests: the real `longmode serve`, the real toolchain and QEMU, headless Chromium.
// One file at a time (they boot guests and browsers on a 2-core machine).
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
  },
});
