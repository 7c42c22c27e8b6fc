import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type GeneratedClientConstructor, type Identity, type Role } from '@aftercare/kit';
import * as generated from '@aftercare/proto';
import { testGrpcClient } from '@aftercare/testkit';
import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import type { Problem } from './findings';
import { againIfSlow, MAX_LATENCY_MS } from './latency';
import { HOSTILE_INTS, hostileString } from './hostile';
import type { FuzzTarget } from './runner';
import { inMood, type Leaf, type Mood, plausibleText, poolFor } from './values';
import type { IdPools } from './world';

const PROTO_DIR = join(__dirname, '..', '..', '..', 'proto');

export interface GrpcCase {
  request: Record<string, unknown>;
  caller: Identity | null;
}

type Unary = (
  request: unknown,
  options: { identity: Identity | null; timeoutMs: number },
) => Promise<unknown>;
type MessageFns = { fromPartial(object: unknown): unknown };

/** Every .proto of the repository, parsed: the field types the generated code no longer carries. */
function protoRoot(): protobuf.Root {
  const root = new protobuf.Root();
  // Well-known types come with protobufjs; everything else from the repository's proto folder.
  root.resolvePath = (origin, target) =>
    target.startsWith('google/protobuf/')
      ? protobuf.util.path.resolve(origin, target)
      : join(PROTO_DIR, target);
  const files = readdirSync(PROTO_DIR, { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.proto'),
  );
  root.loadSync(files, { keepCase: false });
  root.resolveAll();
  return root;
}

const isClientConstructor = (value: unknown): value is GeneratedClientConstructor =>
  typeof value === 'function' && 'service' in value && 'serviceName' in value;

/**
 * One target per unary method of every gRPC service the running servers offer, found in the
 * generated code (so a new method is fuzzed without a change here): each service of package
 * `aftercare.<name>.v1` on the server `<name>`, and the health service on every server.
 */
export function grpcTargets(
  addresses: Record<string, string>,
  pools: IdPools,
): { targets: FuzzTarget<GrpcCase>[]; close(): void } {
  const root = protoRoot();
  const targets: FuzzTarget<GrpcCase>[] = [];
  const clients: { close(): void }[] = [];
  for (const namespace of Object.values(generated) as Record<string, unknown>[]) {
    for (const Client of Object.values(namespace).filter(isClientConstructor)) {
      const servedBy = Client.serviceName.startsWith('grpc.health.')
        ? Object.keys(addresses)
        : Object.keys(addresses).filter((s) => Client.serviceName.startsWith(`aftercare.${s}.`));
      for (const server of servedBy) {
        const client = testGrpcClient(Client, addresses[server]!) as unknown as Record<
          string,
          Unary
        > & {
          close(): void;
        };
        clients.push(client);
        for (const [name, method] of Object.entries(Client.service)) {
          if (method.requestStream || method.responseStream) continue;
          const [, serviceName, methodName] = method.path.split('/');
          const requestType = root.lookupType(
            root.lookupService(serviceName!).methods[methodName!]!.requestType,
          );
          const fns = namespace[requestType.name] as MessageFns;
          targets.push({
            name: `${server}:${methodName}`,
            cases: grpcCases(requestType, methodName!, pools),
            run: (c) => callAndCheck(client[name]!, fns, c),
          });
        }
      }
    }
  }
  return { targets, close: () => clients.forEach((c) => c.close()) };
}

const FORBIDDEN_STATUSES = new Set<number>([GrpcStatus.INTERNAL, GrpcStatus.UNKNOWN]);

interface GrpcAnswer {
  /** The status, or undefined when the call failed in the client before any answer. */
  code: number | undefined;
  details: string;
  ms: number;
  answer: unknown;
}

async function callOnce(call: Unary, fns: MessageFns, c: GrpcCase): Promise<GrpcAnswer> {
  const started = performance.now();
  const ms = () => performance.now() - started;
  try {
    const answer = await call(fns.fromPartial(c.request), {
      identity: c.caller,
      timeoutMs: MAX_LATENCY_MS,
    });
    return { code: GrpcStatus.OK, details: '', ms: ms(), answer };
  } catch (error) {
    // The kit's client keeps the status it got from the server as the cause; no cause with a
    // status means the call never got an answer from the server.
    const cause = (error as Error).cause as Partial<ServiceError> | undefined;
    if (typeof cause?.code !== 'number' || !cause.metadata)
      return { code: undefined, details: String(error), ms: ms(), answer: String(error) };
    const { code, details = '', metadata } = cause;
    return {
      code,
      details,
      ms: ms(),
      answer: { status: GrpcStatus[code], details, metadata: metadata.getMap() },
    };
  }
}

const tooSlow = (a: GrpcAnswer) => (a.code === GrpcStatus.DEADLINE_EXCEEDED ? Infinity : a.ms);

async function callAndCheck(
  call: Unary,
  fns: MessageFns,
  c: GrpcCase,
): Promise<{ problems: Problem[]; answer: unknown }> {
  const { code, details, ms, answer } = await againIfSlow(() => callOnce(call, fns, c), tooSlow);
  const problems: Problem[] = [];
  if (code === undefined) problems.push({ kind: 'call failed in the client', detail: details });
  else if (FORBIDDEN_STATUSES.has(code))
    problems.push({ kind: `status ${GrpcStatus[code]}`, detail: details.slice(0, 300) });
  if (code === GrpcStatus.DEADLINE_EXCEEDED || ms > MAX_LATENCY_MS)
    problems.push({
      kind: `slower than ${MAX_LATENCY_MS} ms`,
      detail: `${Math.round(ms)} ms, ${code === undefined ? 'no status' : GrpcStatus[code]}`,
    });
  return { problems, answer };
}

const ROLES_OF_CALLERS: readonly Role[] = [
  'agent',
  'dispatcher',
  'technician',
  'warehouse',
  'manager',
  'auditor',
];

/** Other services (the usual callers), admins, staff with lower roles and nobody. */
const grpcCallers: fc.Arbitrary<Identity | null> = fc.oneof(
  { withCrossShrink: true },
  { weight: 8, arbitrary: fc.constant<Identity>({ userId: 'fz-service', roles: ['service'] }) },
  { weight: 4, arbitrary: fc.constant<Identity>({ userId: 'fz-admin', roles: ['admin'] }) },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(...ROLES_OF_CALLERS)
      .map((r): Identity => ({ userId: 'fz-staff', roles: [r] })),
  },
  { weight: 1, arbitrary: fc.constant(null) },
);

/** Half calm (valid but for a stray value, to reach the domain), half stormy. */
function grpcCases(type: protobuf.Type, method: string, pools: IdPools): fc.Arbitrary<GrpcCase> {
  return fc.oneof(
    { withCrossShrink: true },
    ...(['calm', 'stormy'] as const).map((mood) =>
      fc.record({ request: message(type, method, pools, mood, 0), caller: grpcCallers }),
    ),
  );
}

const MAX_MESSAGE_DEPTH = 4;
const dayMs = 86_400_000;
const INT32 = HOSTILE_INTS.filter((n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31);

/** A partial message (absent fields take their defaults in `fromPartial`) of the generated shape. */
function message(
  type: protobuf.Type,
  context: string,
  pools: IdPools,
  mood: Mood,
  depth: number,
): fc.Arbitrary<Record<string, unknown>> {
  if (type.oneofsArray.some((o) => !o.fieldsArray.every((f) => f.options?.proto3_optional)))
    throw new Error(`${type.fullName}: oneofs are not generated yet; add them to the fuzz suite`);
  const fields = type.fieldsArray.map((f) => {
    if (f.map)
      throw new Error(
        `${type.fullName}.${f.name}: maps are not generated yet; add them to the fuzz suite`,
      );
    const resolved = f.resolvedType;
    const single =
      resolved instanceof protobuf.Type && resolved.fullName !== '.google.protobuf.Timestamp'
        ? depth >= MAX_MESSAGE_DEPTH
          ? fc.constant({})
          : message(resolved, context, pools, mood, depth + 1)
        : inMood(fieldLeaf(f, context, pools), mood);
    const value = f.repeated
      ? inMood(
          {
            plausible: fc.array(single, { maxLength: 3 }),
            hostile: fc.array(single, { minLength: 100, maxLength: 400 }),
          },
          mood,
        )
      : single;
    return [f.name, value] as const;
  });
  return fc.record(Object.fromEntries(fields), { requiredKeys: [] });
}

/** Values of a scalar, enum or timestamp field, in the shape of the generated (ts-proto) code. */
function fieldLeaf(field: protobuf.Field, context: string, pools: IdPools): Leaf {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum)
    return {
      plausible: fc.constantFrom(...Object.values(resolved.values)),
      hostile: fc.constantFrom(-1, 99, 2 ** 31 - 1),
    };
  if (resolved instanceof protobuf.Type)
    return {
      plausible: fc.integer({ min: -400, max: 400 }).map((d) => new Date(Date.now() + d * dayMs)),
      hostile: fc.constantFrom(
        new Date(0),
        new Date('0001-01-01T00:00:00Z'),
        new Date('9999-12-31T23:59:59.999Z'),
        new Date(8.64e15),
        new Date(-8.64e15),
      ),
    };
  switch (field.type) {
    case 'bool':
      return { plausible: fc.boolean(), hostile: fc.boolean() };
    case 'double':
    case 'float':
      return {
        plausible: fc.double({ min: 0, max: 500, noNaN: true }),
        hostile: fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, -1, 1e308, 5e-324),
      };
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return {
        plausible: fc.integer({ min: 0, max: 120 }),
        hostile: fc.constantFrom(-3, ...INT32),
      };
    case 'uint32':
    case 'fixed32':
      return {
        plausible: fc.integer({ min: 0, max: 120 }),
        hostile: fc.constantFrom(2 ** 31, 2 ** 32 - 1),
      };
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return {
        plausible: fc.integer({ min: 0, max: 100_000 }).map(String),
        hostile: fc.constantFrom(
          '-1',
          '9223372036854775807',
          '-9223372036854775808',
          '9007199254740993',
        ),
      };
    case 'uint64':
    case 'fixed64':
      return {
        plausible: fc.integer({ min: 0, max: 100_000 }).map(String),
        hostile: fc.constant('18446744073709551615'),
      };
    case 'bytes':
      return {
        plausible: fc.uint8Array({ maxLength: 64 }),
        hostile: fc.uint8Array({ minLength: 10_000, maxLength: 10_000 }),
      };
    default: {
      const pool = poolFor(field.name, context);
      const text = plausibleText(field.name);
      return {
        plausible:
          pool && pools[pool].length ? fc.oneof(fc.constantFrom(...pools[pool]), text) : text,
        hostile: hostileString,
      };
    }
  }
}
