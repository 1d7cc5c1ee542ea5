import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{base,toolchain,emulator,main,renderer,samples,scripts}/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/target/**', 'dist/**'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
