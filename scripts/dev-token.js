// `npm run dev-token -- --user alice --role agent`: prints a bearer token for the local gateway
// (signed with JWT_SECRET, or the checkout's development secret that `npm start` uses).
process.env.JWT_SECRET = require('./dev-secret').devJwtSecret();
require('../gateway/dist/dev-token-cli.js');
