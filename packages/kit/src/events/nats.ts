import { connect, type NatsConnection } from '@nats-io/transport-node';
import { unavailable } from '../errors';
import type { Logger } from '../logger';
import { errorMessage, sleep } from './retry';

export type { NatsConnection } from '@nats-io/transport-node';

export interface ConnectNatsOptions {
  /** `nats://host:port`, comma-separated for a cluster (config `NATS_URL`). */
  url: string;
  /** Connection name shown by the server's monitoring, e.g. the service name. */
  name: string;
  logger: Logger;
  /** How long start-up waits for the first connection before failing. Default 10 s. */
  connectTimeoutMs?: number;
}

const FIRST_CONNECT_RETRY_MS = 250;

/**
 * Connects to NATS, retrying until `connectTimeoutMs` (then a clear UNAVAILABLE error, so a
 * service fails fast on a wrong address). Once connected it reconnects forever: an outage after
 * start-up is survived by the outbox relay and the consumers, not by restarting the process.
 */
export async function connectNats(options: ConnectNatsOptions): Promise<NatsConnection> {
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  const servers = options.url.split(',').map((s) => s.trim());
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const nc = await connect({
        servers,
        name: options.name,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
        timeout: Math.max(100, Math.min(deadline - Date.now(), 5_000)),
      });
      options.logger.info({ server: nc.getServer() }, 'connected to NATS');
      void logStatus(nc, options.logger);
      return nc;
    } catch (e) {
      if (Date.now() + FIRST_CONNECT_RETRY_MS >= deadline) {
        throw unavailable(
          `Could not connect to NATS at ${options.url} within ${timeoutMs} ms: ${errorMessage(e)}`,
          e,
        );
      }
      await sleep(FIRST_CONNECT_RETRY_MS);
    }
  }
}

async function logStatus(nc: NatsConnection, logger: Logger): Promise<void> {
  for await (const s of nc.status()) {
    switch (s.type) {
      case 'disconnect':
        logger.warn({ server: s.server }, 'disconnected from NATS; reconnecting');
        break;
      case 'reconnect':
        logger.info({ server: s.server }, 'reconnected to NATS');
        break;
      case 'error':
        logger.error({ err: s.error }, 'NATS connection error');
        break;
      default:
        break;
    }
  }
}

/**
 * Readiness of the NATS connection (issue 17): connected, or lost for less than `graceMs` — a
 * blip the client reconnects through is not an outage, a longer loss is, and the service leaves
 * the load balancer until the connection is back (the outbox keeps every write meanwhile).
 */
export function natsReadiness(nc: NatsConnection, graceMs: number): () => boolean {
  let lostAt: number | null = null;
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') lostAt ??= Date.now();
      else if (s.type === 'reconnect') lostAt = null;
    }
  })();
  return () => !nc.isClosed() && (lostAt === null || Date.now() - lostAt < graceMs);
}
