// Shared jest setup: swc transpiles TypeScript (no type-check; `npm run typecheck` does that),
// and workspace packages resolve to their sources so tests never need a prior build.
const path = require('node:path');

const root = __dirname;

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
        module: { type: 'commonjs' },
      },
    ],
    // jose ships only ES modules: jest's CommonJS runtime needs them transpiled (Node 24 itself
    // loads them through require() natively).
    '/node_modules/jose/.+\\.js$': [
      '@swc/jest',
      { jsc: { target: 'es2023' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleNameMapper: {
    '^@aftercare/kit$': path.join(root, 'packages/kit/src'),
    '^@aftercare/kit/(.*)$': path.join(root, 'packages/kit/src/$1'),
    '^@aftercare/calendar$': path.join(root, 'packages/calendar/src'),
    '^@aftercare/kernel$': path.join(root, 'packages/kernel/src'),
    '^@aftercare/events$': path.join(root, 'packages/events/src'),
    '^@aftercare/proto$': path.join(root, 'packages/proto/src'),
    '^@aftercare/proto/(.*)$': path.join(root, 'packages/proto/src/$1'),
    '^@aftercare/testkit$': path.join(root, 'packages/testkit/src'),
    '^@aftercare/(customer|workorder|inventory|complaint|survey)-service$': path.join(
      root,
      'services/$1/src',
    ),
    '^@aftercare/gateway$': path.join(root, 'gateway/src'),
  },
  testMatch: ['**/test/**/*.test.ts', '**/e2e/**/*.test.ts', '**/deploy/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 30000,
  // PostgreSQL and NATS for the whole run: the ones given or already running, else containers or
  // embedded servers started here and stopped at the end (ADR 0023).
  globalSetup: path.join(root, 'packages/testkit/src/servers/jest-global-setup.ts'),
  globalTeardown: path.join(root, 'packages/testkit/src/servers/jest-global-teardown.ts'),
};
