// Fails fast when npm scripts would run on an older Node than the one we ship (see docs/adr/0001).
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  console.error(
    `Aftercare needs Node >= 24 but this script ran on ${process.version}. ` +
      'Run it through `npm run …` / `npx …` after `npm install`, so the `node@24` devDependency is used.',
  );
  process.exit(1);
}
