// `npm run dev-token -- --user alice --role agent`: prints a bearer token for the local gateway
// (signed with JWT_SECRET, or the checkout's development secret that `npm start` uses).
const { devJwtSecret, devTokenMaxLifetime } = require('./dev-secret');

process.env.JWT_SECRET = devJwtSecret();
process.env.JWT_MAX_LIFETIME_S = devTokenMaxLifetime();
require('../gateway/dist/dev-token-cli.js');
