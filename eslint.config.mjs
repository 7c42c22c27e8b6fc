import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The layers of a service (docs/service-layout.md, ADR 0024): which imports cross a boundary.
const folder = (name) => `^\\.\\.?/(.*/)?${name}(/|$)`;
const banned = (names, message, extra = {}) => ({
  regex: names.map(folder).join('|'),
  message,
  ...extra,
});
const io = ['^@mikro-orm/', '^@nats-io/', '^@grpc/', '^@opentelemetry/'];
const layer = (files, patterns) => ({
  files: files.map((f) => `services/*/src/${f}`),
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
});
const layers = [
  layer(
    ['domain/**/*.ts'],
    [
      {
        regex: '^@aftercare/kit$',
        message: 'Domain code imports @aftercare/kit/domain: the main entry does I/O.',
      },
      { regex: io.join('|'), message: 'Domain code is pure: no ORM, NATS, gRPC or telemetry.' },
      banned(
        ['app', 'db', 'events', 'clients', 'graphql', 'grpc'],
        'Domain code imports only domain code.',
      ),
    ],
  ),
  layer(
    ['app/**/*.ts'],
    [banned(['graphql', 'grpc', 'events'], 'Use cases do not import adapters or subscriptions.')],
  ),
  layer(
    ['events/**/*.ts'],
    [
      banned(
        ['graphql', 'grpc', 'db'],
        'Subscriptions call use cases; they do not touch tables or adapters.',
      ),
    ],
  ),
  layer(
    ['graphql/**/*.ts', 'grpc/**/*.ts'],
    [
      banned(['db'], 'Adapters call use cases; only types come from db/.', {
        allowTypeImports: true,
      }),
      {
        regex: '^@mikro-orm/',
        message: 'Adapters call use cases; they do not query.',
        allowTypeImports: true,
      },
      banned(['events', 'clients'], 'Adapters call use cases.'),
    ],
  ),
  layer(
    ['clients/**/*.ts'],
    [
      // A client implements the port its use cases declare (app/deps.ts): types only.
      banned(['app'], 'A client implements a port of app/; it imports only its types.', {
        allowTypeImports: true,
      }),
      banned(['db', 'events', 'graphql', 'grpc'], 'A client only speaks to another service.'),
    ],
  ),
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/src/gen/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='only']", message: 'No focused tests.' },
        { selector: "CallExpression[callee.property.name='skip']", message: 'No skipped tests.' },
      ],
    },
  },
  ...layers,
);
