import { Client } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  EchoServiceClient,
  EchoServiceService,
  EchoRequest,
} from '@aftercare/proto/gen/aftercare/testing/v1/echo';
import { AppError, type ErrorCode } from '../../src/errors';
import {
  createGrpcClient,
  createGrpcServer,
  type GrpcClientOptions,
  type GrpcLogger,
  type GrpcServer,
  type PromiseClient,
  type ServiceHandlers,
} from '../../src/grpc';
import { authAs } from '../internal-auth/support';

export { EchoRequest };

/** A logger that remembers what it was told, so tests can check what operators would see. */
export function recordingLogger(): GrpcLogger & {
  lines: { level: string; obj: object; msg?: string }[];
} {
  const lines: { level: string; obj: object; msg?: string }[] = [];
  const record = (level: string) => (obj: object, msg?: string) => lines.push({ level, obj, msg });
  return { lines, info: record('info'), warn: record('warn'), error: record('error') };
}

/**
 * The test service's behaviour: sleeps `sleepMs` (cut short if the caller gives up), then fails as `failWithCode` asks
 * (`UNKNOWN` = a plain Error carrying a secret, `DATABASE_DOWN` = a real refused database
 * connection), else echoes the message and the caller's identity.
 */
export const echoHandlers: ServiceHandlers<typeof EchoServiceService> = {
  echo: async (request, ctx) => {
    if (request.sleepMs > 0) await sleep(request.sleepMs, undefined, { signal: ctx.signal });
    if (request.failWithCode === 'UNKNOWN')
      throw new Error('connection to db://secret-host failed');
    if (request.failWithCode === 'DATABASE_DOWN')
      await new Client({ host: '127.0.0.1', port: 1, user: 'nobody' }).connect();
    if (request.failWithCode !== '') {
      throw new AppError(
        request.failWithCode as ErrorCode,
        `asked to fail with ${request.failWithCode}`,
        {
          reason: request.failWithReason || undefined,
          field: request.failWithField || undefined,
        },
      );
    }
    return {
      message: request.message,
      userId: ctx.identity?.userId ?? '',
      roles: ctx.identity?.roles ?? [],
    };
  },
};

export interface EchoFixture {
  server: GrpcServer;
  address: string;
  logger: ReturnType<typeof recordingLogger>;
  client: (opts?: Partial<GrpcClientOptions>) => PromiseClient<typeof EchoServiceService>;
  /** Shuts the server down and closes every client made with `client()`. */
  close: () => Promise<void>;
}

export async function startEcho(
  handlers: ServiceHandlers<typeof EchoServiceService> = echoHandlers,
): Promise<EchoFixture> {
  const logger = recordingLogger();
  const server = createGrpcServer({ logger, auth: authAs('testing'), audience: 'testing' });
  server.addService(EchoServiceService, handlers);
  const port = await server.listen('127.0.0.1', 0);
  const address = `127.0.0.1:${port}`;
  const clients: { close(): void }[] = [];
  return {
    server,
    address,
    logger,
    client: (opts) => {
      const client = createGrpcClient(EchoServiceClient, address, {
        name: 'echo service',
        auth: authAs('caller'),
        // Calls need an identity (the server refuses anonymous ones); tests override it.
        identity: { userId: 'u-default', roles: ['agent'] },
        ...opts,
      });
      clients.push(client);
      return client;
    },
    close: async () => {
      clients.forEach((c) => c.close());
      await server.shutdown(1_000);
    },
  };
}
