import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // Installing Node 24 or Debian packages on a fresh machine happens in beforeAll hooks.
    hookTimeout: 600_000,
    // Two cores: integration and e2e files start real servers and processes.
    maxWorkers: 2,
    reporters: ['default', './test/helpers/closing-line.ts'],
  },
});
