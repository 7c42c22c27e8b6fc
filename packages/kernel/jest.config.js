// Pure tests: no PostgreSQL or NATS, so the run does not look for servers (a laptop with neither
// can still run them).
const {
  globalSetup: _setup,
  globalTeardown: _teardown,
  ...preset
} = require('../../jest.preset.js');

module.exports = { ...preset, rootDir: __dirname };
