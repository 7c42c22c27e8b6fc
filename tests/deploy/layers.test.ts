// The layer rules of a service (docs/service-layout.md, ADR 0024) are lint rules; these tests
// prove they refuse each crossing and let the allowed imports through, so deleting or loosening
// a rule fails here and not only in review.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** A file at `path` inside a service, importing `imports` (each used, so only the rules speak). */
interface Probe {
  path: string;
  imports: string[];
}

// One ESLint for all probes, in a child process: jest's module runtime cannot load the
// ES-module config in-process.
const LINT_PROBES = `
import { ESLint } from 'eslint';
const probes = JSON.parse(process.argv[1]);
const eslint = new ESLint({ cwd: process.cwd() });
const out = [];
for (const p of probes) {
  const code = p.imports.join('\\n') + '\\nexport const used = [' + p.imports.map((_, i) => 'n' + i).join(', ') + '];\\n';
  const [r] = await eslint.lintText(code, { filePath: 'services/workorder/src/' + p.path });
  out.push(r.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.line));
}
console.log(JSON.stringify(out));
`;

/** For each probe, the lines (1-based, one import a line) the layer rules refuse. */
function refusedLines(probes: Probe[]): number[][] {
  const numbered = probes.map((p) => ({
    ...p,
    imports: p.imports.map((spec, i) => spec.replace('{ X }', `{ X as n${i} }`)),
  }));
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', LINT_PROBES, JSON.stringify(numbered)],
    { cwd: root, encoding: 'utf8' },
  );
  return JSON.parse(out) as number[][];
}

const from = (module: string, typeOnly = false) =>
  `import ${typeOnly ? 'type ' : ''}{ X } from '${module}';`;

it('refuses each layer crossing and lets the allowed imports through', () => {
  const probes: (Probe & { refused: number[] })[] = [
    {
      path: 'domain/rules.ts',
      imports: [
        from('@aftercare/kit'),
        from('@mikro-orm/core'),
        from('@nats-io/transport-node'),
        from('@grpc/grpc-js'),
        from('../app/intake'),
        from('../db/entities'),
        from('../clients/customer-directory'),
        from('../events/subscriptions'),
        from('../../src/graphql/resolvers'),
        from('../grpc/handlers'),
      ],
      refused: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    },
    {
      path: 'domain/penalties/ledger.ts',
      imports: [
        from('@aftercare/kit/domain'),
        from('@aftercare/kernel'),
        from('@aftercare/calendar'),
        from('zod'),
        from('../month'),
        from('./rules'),
        from('../../app/penalties'),
      ],
      refused: [7],
    },
    {
      path: 'app/intake.ts',
      imports: [
        from('../graphql/resolvers'),
        from('../grpc/handlers'),
        from('../events/subscriptions'),
        from('../db/entities'),
        from('../domain'),
        from('@aftercare/kit'),
        from('@mikro-orm/core'),
      ],
      refused: [1, 2, 3],
    },
    {
      path: 'graphql/resolvers.ts',
      imports: [
        from('../db/entities', true),
        from('../db/entities'),
        from('@mikro-orm/core'),
        from('../clients/customer-directory'),
        from('../events/subscriptions'),
        from('../app/intake'),
        from('../domain'),
      ],
      refused: [2, 3, 4, 5],
    },
    {
      path: 'grpc/handlers.ts',
      imports: [from('../db/entities'), from('../app/intake')],
      refused: [1],
    },
    {
      path: 'events/subscriptions.ts',
      imports: [from('../db/entities'), from('../grpc/handlers'), from('../app/intake')],
      refused: [1, 2],
    },
    {
      path: 'clients/customer-directory.ts',
      imports: [
        from('../app/intake'),
        from('../db/entities'),
        from('@aftercare/proto'),
        from('../app/deps', true),
      ],
      refused: [1, 2],
    },
  ];
  expect(refusedLines(probes)).toEqual(probes.map((p) => p.refused));
});
