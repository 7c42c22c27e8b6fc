import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { z } from 'zod';
import { gatewayEnv } from '../../../gateway/src/config';
import { complaintEnv } from '../../../services/complaint/src/config';
import { customerEnv } from '../../../services/customer/src/config';
import { inventoryEnv } from '../../../services/inventory/src/config';
import { surveyEnv } from '../../../services/survey/src/config';
import { workOrderEnv } from '../../../services/workorder/src/config';
import { REPO_ROOT } from './manifests';

/**
 * The configuration reference of deploy/README.md, generated from the processes' own config
 * schemas (zod, as JSON Schema): names, defaults and accepted values can therefore not drift.
 * Meanings come from the comment above each variable in the schema's source; the few variables
 * without one are described in MEANINGS below.
 */
const SCHEMAS: { process: string; schema: z.ZodObject; sources: string[] }[] = [
  ...(
    [
      ['customer', customerEnv],
      ['workorder', workOrderEnv],
      ['inventory', inventoryEnv],
      ['complaint', complaintEnv],
      ['survey', surveyEnv],
    ] as const
  ).map(([process, schema]) => ({
    process,
    schema: schema as unknown as z.ZodObject,
    sources: ['packages/kit/src/config.ts', `services/${process}/src/config.ts`],
  })),
  {
    process: 'gateway',
    schema: gatewayEnv as unknown as z.ZodObject,
    sources: ['gateway/src/config.ts'],
  },
];

/** Not settings: derived from the code, listed nowhere. */
const NOT_SETTINGS = new Set(['SERVICE_NAME']);

const MEANINGS: Record<string, string> = {
  ADMIN_PORT: 'admin listener: /metrics (only here), /healthz, /readyz',
  ADMIN_HOST: 'address the admin listener binds',
  INTERNAL_AUTH_PRIVATE_KEY:
    "this process's Ed25519 private key (JWK, a Secret) signing its calls (ADR 0010; npm run keys)",
  INTERNAL_AUTH_TRUSTED_KEYS:
    'public keys of the processes allowed to call this one, per signer (ADR 0010)',
  GRPC_TLS: 'gRPC over TLS (ADR 0010)',
  GRPC_TLS_CERT_FILE: "PEM file of this process's certificate chain (gRPC TLS)",
  GRPC_TLS_KEY_FILE: "PEM file of this process's private key (gRPC TLS)",
  GRPC_TLS_CA_FILE: "PEM file of the CA that signs the peers' certificates (gRPC TLS)",
  GRPC_TLS_CLIENT_AUTH: 'servers demand a client certificate from that CA (mutual TLS)',
  JWT_MAX_LIFETIME_S: 'longest accepted bearer-token lifetime (exp − iat); exp is required',
  JWT_CLOCK_SKEW_S: 'clock skew allowed on iat, nbf and exp',
  MAX_QUERY_ALIASES: 'most aliases one operation may use',
  MAX_QUERY_DIRECTIVES: 'most directives one operation may use',
  MAX_QUERY_TOKENS: 'most tokens one document may have (refused before validation)',
  COST_DEFAULT_LIST_SIZE: 'list size assumed for cost when neither first/last nor a default says',
  RATE_LIMIT_ENABLED: 'rate limits per user and per client address (429 with Retry-After)',
  RATE_LIMIT_USER_PER_SECOND: 'token bucket per verified user: refill per second',
  RATE_LIMIT_USER_BURST: 'token bucket per verified user: size',
  RATE_LIMIT_ADDRESS_PER_SECOND: 'token bucket per client address: refill per second',
  RATE_LIMIT_ADDRESS_BURST: 'token bucket per client address: size',
  TRUSTED_PROXIES: 'whose X-Forwarded-For counts: a hop count or addresses/subnets',
  LOG_LEVEL: 'pino level; logs are JSON lines with trace ids',
  HTTP_HOST: 'address the HTTP server binds (0.0.0.0 in a container)',
  HTTP_PORT: 'GraphQL (subgraph or public endpoint), /healthz, /readyz',
  GRPC_HOST: 'address the gRPC server binds (0.0.0.0 in a container)',
  GRPC_PORT: 'gRPC API and grpc.health.v1',
  DATABASE_URL: "the service's own database (a Secret; overrides PG_URL + DATABASE_NAME)",
  PG_URL: 'PostgreSQL server; each service uses its own database on it',
  DATABASE_NAME: "the service's database on PG_URL, created when missing",
  DATABASE_POOL_MAX: 'connections per process',
  NATS_URL: 'NATS with JetStream; comma-separated for a cluster',
  EVENT_SUBJECT_PREFIX: 'first token of every event subject and stream name',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'OTLP/HTTP collector for traces; off when unset',
  ACCESS_LOG_SAMPLE_RATIO:
    'share (0–1) of successful GraphQL requests and gRPC calls given an access log line; failures always are',
  SHUTDOWN_TIMEOUT_MS: 'graceful shutdown: the longest any one step may take',
  BUSINESS_TZ: 'business time zone (Asia/Shanghai when unset)',
  BUSINESS_HOURS: 'working hours of the business calendar (08:30-17:30 when unset)',
  BUSINESS_DAYS: 'working weekdays, 1 = Monday (1-5 when unset)',
  BUSINESS_HOLIDAYS: 'comma-separated ISO dates that are holidays',
  BUSINESS_WORKDAYS: 'comma-separated ISO dates that are make-up working days',
  CUSTOMER_GRPC_ADDRESS: "the customer service's gRPC server (host:port)",
  WORKORDER_GRPC_ADDRESS: "the work-order service's gRPC server (host:port)",
  SLA_SCHEDULER: 'run the SLA breach scan (safe on every replica)',
  CERTIFICATE_SCHEDULER: 'run the certificate reminder scan (safe on every replica)',
  ARCHIVE_SCHEDULER: 'run the overdue-handover and customer-file scans (safe on every replica)',
  TOOL_SCHEDULER: 'run the overdue special-tool scan (safe on every replica)',
  COMPLAINT_SCHEDULER: 'run the escalation, overdue and re-count scans (safe on every replica)',
  REMINDER_SCHEDULER: 'run the reminder scan (safe on every replica)',
  COMPLAINT_SOLUTION_WORKING_DAYS: 'R-CO-2 solution deadline after assignment',
  COMPLAINT_CLOSURE_DAYS: 'R-CO-3 closure deadline after receipt',
  COMPLAINT_ESCALATION_HOURS: 'R-CO-3 major complaints go to management after this',
  PENALTY_POINT_VALUE_FEN: 'R-PN-2 value of one penalty point',
  PENALTY_ESCALATE_FROM_NTH: 'R-PN-2 escalated points from the nth violation in a month',
  PENALTY_ESCALATED_POINTS: 'R-PN-2 points of an escalated violation',
  PENALTY_CORRECTION_WORKING_DAYS: 'R-PN-2 uncorrected after this, a violation counts again',
  MAINTENANCE_REMINDER_DAYS: 'R-SV-3 lead time of maintenance reminders',
  CONTRACT_REMINDER_MONTHS: 'R-SV-3 lead time of contract reminders',
  WARRANTY_REMINDER_MONTHS: 'R-SV-3 lead time of warranty reminders',
  INVITATION_REMINDER_DAYS: 'R-SV-3 lead time of event invitations',
  REMINDER_SCAN_INTERVAL_MS: 'how often the reminder scan runs',
  WARRANTY_MONTHS:
    'R-CU-7 how long a warranty started by an installation or commissioning runs, in months',
  ARCHIVE_SCAN_INTERVAL_MS:
    "How often the archive scheduler looks for handovers (R-CU-3), new customers' files (R-CU-6) and lent paper files (R-CU-4) past their deadline.",
  SLA_SCAN_INTERVAL_MS: 'How often the SLA scheduler looks for breaches (R-WO-3).',
  CERTIFICATE_SCAN_INTERVAL_MS: 'How often the certificate reminder scan runs (R-WO-10).',
  TOOL_OVERDUE_SCAN_INTERVAL_MS:
    'R-IN-6: how often special tools still out after the working day are looked for.',
  COMPLAINT_SCAN_INTERVAL_MS:
    'How often the deadline scheduler looks for overdue and unescalated major complaints (R-CO-3).',
  FOLLOW_UP_FIRST_TO_DAYS: 'R-SV-2 end of the first follow-up call window',
  JWT_ISSUER: 'required `iss` of bearer tokens',
  JWT_AUDIENCE: 'required `aud` of bearer tokens',
  MAX_QUERY_DEPTH: 'deepest GraphQL operation accepted',
  MAX_QUERY_COST: 'costliest GraphQL operation accepted',
  SUPERGRAPH_PATH: 'the composed supergraph the gateway serves (in the image)',
  CUSTOMER_SUBGRAPH_URL: "the customer subgraph's GraphQL URL",
  WORKORDER_SUBGRAPH_URL: "the work-order subgraph's GraphQL URL",
  INVENTORY_SUBGRAPH_URL: "the inventory subgraph's GraphQL URL",
  COMPLAINT_SUBGRAPH_URL: "the complaint subgraph's GraphQL URL",
  SURVEY_SUBGRAPH_URL: "the survey subgraph's GraphQL URL",
};

interface Row {
  name: string;
  processes: string[];
  defaults: Map<string, string>;
  accepted: string;
  meaning: string | undefined;
}

/** The comment right above `NAME:` in a config source: the variable's own documentation. */
function commentsOf(files: string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of files) {
    const text = readFileSync(join(REPO_ROOT, file), 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2023, true);
    const visit = (node: ts.Node) => {
      if (
        ts.isPropertyAssignment(node) &&
        ts.isIdentifier(node.name) &&
        /^[A-Z][A-Z0-9_]+$/.test(node.name.text)
      ) {
        const ranges = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
        const comment = ranges
          .map((r) => text.slice(r.pos, r.end))
          .join(' ')
          .replace(/^\s*\/\*\*?|\*\/\s*$/g, '')
          .replace(/^\s*(\*|\/\/)\s?/gm, '')
          .replace(/\s+/g, ' ')
          .trim();
        if (comment) found.set(node.name.text, comment);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

function accepted(s: Record<string, unknown>): string {
  if (Array.isArray(s.enum)) {
    const values = s.enum as string[];
    return values.includes('true') ? 'true / false' : values.join(' / ');
  }
  if (s.type === 'integer' || s.type === 'number') {
    const range = s.minimum !== undefined ? ` ${String(s.minimum)}–${String(s.maximum)}` : '';
    return `${s.type === 'integer' ? 'integer' : 'number'}${range}`;
  }
  if (s.format === 'uri') return 'URL';
  if (typeof s.pattern === 'string') return `\`${s.pattern}\``;
  return 'text';
}

/** What the variable is when unset, as the process sees it (paths relative to the image's /app). */
function defaultOf(field: z.ZodType): string | undefined {
  const parsed = field.safeParse(undefined);
  if (!parsed.success || parsed.data === undefined) return undefined;
  return String(parsed.data).replace(`${REPO_ROOT}/`, '');
}

export function configRows(): Row[] {
  const rows = new Map<string, Row>();
  for (const { process, schema, sources } of SCHEMAS) {
    const comments = commentsOf(sources);
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
      properties: Record<string, Record<string, unknown>>;
    };
    for (const [name, s] of Object.entries(json.properties)) {
      if (NOT_SETTINGS.has(name)) continue;
      const row: Row = rows.get(name) ?? {
        name,
        processes: [],
        defaults: new Map<string, string>(),
        accepted: accepted(s),
        meaning: comments.get(name) ?? MEANINGS[name],
      };
      row.processes.push(process);
      const fallback = defaultOf(schema.shape[name] as z.ZodType);
      if (fallback !== undefined) row.defaults.set(process, fallback);
      rows.set(name, row);
    }
  }
  return [...rows.values()];
}

const SERVICES = ['customer', 'workorder', 'inventory', 'complaint', 'survey'];
const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The Markdown table, one row per variable, in the order the schemas declare them. */
export function configReference(): string {
  const lines = [
    '| variable | read by | default | accepted | meaning |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const row of configRows()) {
    const everyService = SERVICES.every((s) => row.processes.includes(s));
    const readBy = !everyService
      ? row.processes.join(', ')
      : row.processes.length === SERVICES.length
        ? 'every service'
        : 'every process';
    const values = [...new Set(row.defaults.values())];
    const defaults =
      values.length === 0
        ? '—'
        : values.length === 1 && row.defaults.size === row.processes.length
          ? `\`${values[0]}\``
          : [...row.defaults].map(([p, v]) => `${p} \`${v}\``).join(', ');
    lines.push(
      `| \`${row.name}\` | ${readBy} | ${cell(defaults)} | ${cell(row.accepted)} | ${cell(row.meaning ?? '')} |`,
    );
  }
  return lines.join('\n');
}

export const README = join(REPO_ROOT, 'deploy', 'README.md');
export const BEGIN = '<!-- config-reference:begin (generated: see "Configuration reference") -->';
export const END = '<!-- config-reference:end -->';
