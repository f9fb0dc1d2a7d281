import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration and browser tests start real stand-ins (DynamoDB Local on Java, Chromium): give them room.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // The handlers log and publish metrics as on Lambda: quiet by default, so test output stays
    // readable. A test that reads the metrics turns them back on for its own file.
    env: {
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    },
  },
});
