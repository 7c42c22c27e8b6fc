// `npm run migrate`: applies the pending migrations of every built service, one after the other,
// with the same variables as the services (PG_URL, DATABASE_POOL_MAX …). A deployment runs one
// service's migrations as a Job instead: `npm run migrate -w @aftercare/<service>-service`.
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const env = { ...process.env };
// One database per service: a single DATABASE_URL/DATABASE_NAME would point them all at one.
for (const name of ['DATABASE_URL', 'DATABASE_NAME', 'SERVICE_NAME']) delete env[name];
const { SUBGRAPHS } = require(path.join(root, 'gateway/dist/subgraphs.js'));
for (const { name } of SUBGRAPHS) {
  const script = path.join(root, 'services', name, 'dist/migrate.js');
  if (!existsSync(script)) continue;
  console.log(`[migrate] ${name}`);
  const { status } = spawnSync(process.execPath, [script], {
    env: { ...env, SERVICE_NAME: name },
    stdio: 'inherit',
  });
  if (status !== 0) {
    console.error(`[migrate] ${name} failed (exit ${status})`);
    process.exit(1);
  }
}
