// Preload for child processes that run TypeScript sources: `node --require <this> file.ts`.
// Compiles .ts with the same swc settings and resolves @aftercare/* to sources the same way as
// jest.preset.js, so a child process runs exactly the code jest does, with no build step, but on
// Node's own module loader (where OpenTelemetry's require hooks work).
const Module = require('node:module');
const path = require('node:path');
const { transformSync } = require('@swc/core');
const preset = require('../../../../../jest.preset.js');

const [, swcOptions] = preset.transform['^.+\\.ts$'];
Module._extensions['.ts'] = (module, filename) => {
  const source = require('node:fs').readFileSync(filename, 'utf8');
  const { code } = transformSync(source, { ...swcOptions, filename, sourceMaps: 'inline' });
  module._compile(code, filename);
};

const aliases = Object.entries(preset.moduleNameMapper).map(([pattern, target]) => [
  new RegExp(pattern),
  target,
]);
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  for (const [pattern, target] of aliases) {
    if (pattern.test(request))
      return resolveFilename.call(this, path.resolve(request.replace(pattern, target)), ...rest);
  }
  return resolveFilename.call(this, request, ...rest);
};
