import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration and browser tests start real stand-ins (DynamoDB Local on Java, Chromium): give them room.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
