import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { withDatabase } from '@aftercare/kit';
import { dbQuery, TEST_NATS_URL, TEST_PG_URL } from '@aftercare/testkit';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { connect, nanos } from '@nats-io/transport-node';
import { type K8sObject, ofKind } from './manifests';

/**
 * What an operator provides before the first install (deploy/README.md), made here for a test:
 * one PostgreSQL role and database per service, the processes' internal identity keys, the
 * gateway's JWT secret, and the event streams and consumers NACK would create.
 */

const admin = (sql: string) => dbQuery(TEST_PG_URL, sql);

export interface ServiceDatabases {
  /** service → DATABASE_URL, as the operator's Secret carries it. */
  urls: Record<string, string>;
  drop(): Promise<void>;
}

/** A role that owns its database and nothing else, per service (what the CloudNativePG Cluster declares). */
export async function createServiceDatabases(
  services: string[],
  label: string,
): Promise<ServiceDatabases> {
  const suffix = randomBytes(3).toString('hex');
  const names = services.map((s) => ({ service: s, name: `t_${label}_${s}_${suffix}` }));
  for (const { name } of names) {
    // Identifiers cannot be parameters; these are made here from [a-z0-9_].
    await admin(`CREATE ROLE ${name} LOGIN PASSWORD '${name}' NOSUPERUSER NOCREATEDB NOCREATEROLE`);
    await admin(`CREATE DATABASE ${name} OWNER ${name}`);
  }
  const urls: Record<string, string> = {};
  for (const { service, name } of names) {
    const u = new URL(withDatabase(TEST_PG_URL, name));
    u.username = name;
    u.password = name;
    urls[service] = u.toString();
  }
  return {
    urls,
    async drop() {
      for (const { name } of names) {
        await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin(`DROP ROLE IF EXISTS ${name}`);
      }
    },
  };
}

/** An Ed25519 key per process (its INTERNAL_AUTH_PRIVATE_KEY) and the map every process trusts. */
export function internalAuthKeys(processes: string[]) {
  const privateKeys: Record<string, string> = {};
  const trusted: Record<string, object[]> = {};
  for (const p of processes) {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const kid = `${p}-${randomBytes(4).toString('hex')}`;
    privateKeys[p] = JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid, alg: 'EdDSA' });
    trusted[p] = [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'EdDSA' }];
  }
  return { privateKeys, trustedKeys: JSON.stringify(trusted) };
}

const DURATION = /^(\d+)(ms|s|m|h)$/;
const durationMs = (d: string): number => {
  const [, n, unit] = DURATION.exec(d) ?? [];
  if (!n) throw new Error(`Unsupported duration "${d}"`);
  return Number(n) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
};

/**
 * Creates the rendered NACK Streams and Consumers on the test's NATS, under the test's subject
 * prefix instead of `aftercare` (the server is shared) and with one replica (it is one server).
 * On nats-server < 2.10 a consumer with several filter subjects reads its whole stream instead,
 * as the services' own consumers do there.
 */
export async function provisionEventStreams(objects: K8sObject[], prefix: string) {
  const rename = (s: string) =>
    s.replace(/^aftercare\./, `${prefix}.`).replace(/^AFTERCARE_/, `${prefix.toUpperCase()}_`);
  const nc = await connect({ servers: TEST_NATS_URL });
  const streams: string[] = [];
  try {
    const jsm = await jetstreamManager(nc);
    const [major = 0, minor = 0] = (nc.info?.version ?? '0.0').split('.').map(Number);
    const multiFilter = major > 2 || (major === 2 && minor >= 10);
    for (const s of ofKind(objects, 'Stream')) {
      const spec = s.spec as Record<string, string | number | string[]>;
      const name = rename(spec.name as string);
      await jsm.streams.add({
        name,
        subjects: (spec.subjects as string[]).map(rename),
        storage: spec.storage === 'memory' ? StorageType.Memory : StorageType.File,
        retention: RetentionPolicy.Limits,
        discard: spec.discard === 'new' ? DiscardPolicy.New : DiscardPolicy.Old,
        num_replicas: 1,
        max_age: nanos(durationMs(spec.maxAge as string)),
        max_bytes: spec.maxBytes as number,
        duplicate_window: nanos(durationMs(spec.duplicateWindow as string)),
      });
      streams.push(name);
    }
    for (const c of ofKind(objects, 'Consumer')) {
      const spec = c.spec as Record<string, string | number | string[]>;
      const stream = rename(spec.streamName as string);
      const filters = ((spec.filterSubjects as string[]) ?? [spec.filterSubject as string]).map(
        rename,
      );
      await jsm.consumers.add(stream, {
        durable_name: spec.durableName as string,
        ack_policy: spec.ackPolicy === 'explicit' ? AckPolicy.Explicit : AckPolicy.None,
        deliver_policy: spec.deliverPolicy === 'all' ? DeliverPolicy.All : DeliverPolicy.New,
        ack_wait: nanos(durationMs(spec.ackWait as string)),
        max_deliver: spec.maxDeliver as number,
        ...(filters.length === 1
          ? { filter_subject: filters[0] }
          : multiFilter
            ? { filter_subjects: filters }
            : { filter_subject: `${filters[0]!.split('.').slice(0, 2).join('.')}.>` }),
      });
    }
  } finally {
    await nc.close();
  }
  return {
    streams,
    async remove() {
      const nc2 = await connect({ servers: TEST_NATS_URL });
      try {
        const jsm = await jetstreamManager(nc2);
        for (const name of streams) await jsm.streams.delete(name).catch(() => false);
      } finally {
        await nc2.close();
      }
    },
  };
}

/** An OTLP/HTTP collector that accepts and counts trace exports per service name. */
export async function otlpCollector(): Promise<{
  url: string;
  exports: () => number;
  server: Server;
}> {
  let exports = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/v1/traces') exports += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, exports: () => exports, server };
}

export const randomSecret = () => randomBytes(32).toString('base64url');
