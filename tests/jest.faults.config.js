// The fault-injection suite (`npm run test:faults`): each file starts its own PostgreSQL,
// nats-server and service processes and breaks them under load, so files run one at a time.
module.exports = {
  ...require('../jest.preset.js'),
  rootDir: __dirname,
  testMatch: ['<rootDir>/faults/**/*.test.ts'],
  maxWorkers: 1,
  // Every server these tests use is their own: the run's shared PostgreSQL and NATS are not needed.
  globalSetup: undefined,
  globalTeardown: undefined,
  testTimeout: 180_000,
};
