// The local JWT settings shared by `npm start` and `npm run dev-token`. The secret, when
// JWT_SECRET is not set: random per checkout, kept in .data/ (git-ignored), so no secret ever
// lives in the repository.
const { randomBytes } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', '.data', 'dev-jwt-secret');

function devJwtSecret() {
  if (process.env.JWT_SECRET) return process.env.JWT_SECRET;
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * How long a token may live on this machine when JWT_MAX_LIFETIME_S is not set: a working day, so
 * a developer's `npm run dev-token` lasts until evening. Deployments keep the gateway's one hour.
 */
function devTokenMaxLifetime() {
  return process.env.JWT_MAX_LIFETIME_S || String(8 * 3600);
}

module.exports = { devJwtSecret, devTokenMaxLifetime };
