import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/oracle/**', 'node_modules/**'],
    testTimeout: 30_000,
    // Removing a 10,000-file repository takes longer than the 10 s default on a loaded machine.
    hookTimeout: 60_000,
  },
});
