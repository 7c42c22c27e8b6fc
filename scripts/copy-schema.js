// Build step of a service: tsc does not copy the subgraph SDL, which the service loads at run time.
const { cpSync, existsSync } = require('node:fs');

const from = 'src/graphql/schema.graphql';
if (existsSync(from)) cpSync(from, 'dist/graphql/schema.graphql');
