import { defineConfig } from 'vitest/config';

// The oracle runs real Alembic against PostgreSQL; files share one server, so run them one at a time.
export default defineConfig({
  test: {
    include: ['test/oracle/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
