// `npm run keys -- --out <dir>`: a new Ed25519 key pair for every Aftercare process (ADR 0010).
// Writes <process>.private.jwk.json (a Secret each: INTERNAL_AUTH_PRIVATE_KEY of that process) and
// trusted-keys.json (INTERNAL_AUTH_TRUSTED_KEYS of every service; public, a ConfigMap is fine).
// To rotate, generate into a new folder and list old and new public keys side by side in
// trusted-keys.json until every process signs with its new key (docs/adr/0010).
const { existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const PROCESSES = ['gateway', 'customer', 'workorder', 'inventory', 'complaint', 'survey'];
const TRUSTED = 'trusted-keys.json';
const privateFile = (name) => `${name}.private.jwk.json`;

/** Writes a full key set into `dir` unless one is there already; returns the set. */
function ensureKeys(dir) {
  if (!PROCESSES.every((p) => existsSync(path.join(dir, privateFile(p))))) {
    const { generateKeyPairJwk } = require(path.join(root, 'packages/kit/dist'));
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const trusted = {};
    for (const name of PROCESSES) {
      const { privateJwk, publicJwk } = generateKeyPairJwk();
      writeFileSync(path.join(dir, privateFile(name)), JSON.stringify(privateJwk), { mode: 0o600 });
      trusted[name] = [publicJwk];
    }
    writeFileSync(path.join(dir, TRUSTED), JSON.stringify(trusted, null, 2));
  }
  return readKeys(dir);
}

/** `{ trusted, privateKeyOf(name) }` read from a folder made by `npm run keys`. */
function readKeys(dir) {
  const trusted = readFileSync(path.join(dir, TRUSTED), 'utf8');
  return {
    trusted,
    privateKeyOf: (name) => readFileSync(path.join(dir, privateFile(name)), 'utf8').trim(),
  };
}

/** The variables one process gets from a key folder. */
const keyEnv = (keys, name) => ({
  INTERNAL_AUTH_PRIVATE_KEY: keys.privateKeyOf(name),
  INTERNAL_AUTH_TRUSTED_KEYS: keys.trusted,
});

if (require.main === module) {
  const at = process.argv.indexOf('--out');
  const out = at > 0 ? process.argv[at + 1] : undefined;
  if (!out) {
    console.error('usage: npm run keys -- --out <folder>');
    process.exit(2);
  }
  if (existsSync(path.join(out, TRUSTED))) {
    console.error(`${out} already holds keys; choose an empty folder (rotation: ADR 0010)`);
    process.exit(1);
  }
  ensureKeys(out);
  console.log(`keys for ${PROCESSES.join(', ')} written to ${out}`);
}

module.exports = { ensureKeys, keyEnv };
