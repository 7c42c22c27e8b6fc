// Run by every package's build before tsc: tsc never deletes, so a module that was moved or
// renamed would leave its old output behind in dist/, where Node may still find it first
// (dist/app/penalties.js shadowing dist/app/penalties/index.js).
const { rmSync } = require('node:fs');

rmSync('dist', { recursive: true, force: true });
