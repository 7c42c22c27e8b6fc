import { createServer } from 'node:net';
import { Metadata } from '@grpc/grpc-js';
import { EchoServiceClient } from '@aftercare/proto/gen/aftercare/testing/v1/echo';
import { AppError, type ErrorCode } from '../../src/errors';
import {
  createGrpcClient,
  currentIdentity,
  MASKED_INTERNAL_MESSAGE,
  runWithIdentity,
} from '../../src/grpc';
import {
  createInternalAuth,
  generateKeyPairJwk,
  IDENTITY_HEADER,
  parseSigningKey,
} from '../../src/internal-auth';
import { eventually } from '@aftercare/testkit';
import { authAs, authAsKey } from '../internal-auth/support';
import { EchoRequest, type EchoFixture, echoHandlers, startEcho } from './echo-fixture';

const agent = { userId: 'u-agent', roles: ['agent' as const] };

const request = (fields: Partial<EchoRequest>) => EchoRequest.create(fields);

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('gRPC server and client', () => {
  let echo: EchoFixture;
  beforeAll(async () => {
    echo = await startEcho();
  });
  afterAll(() => echo.close());

  it('round-trips a request and hands the caller identity from metadata to the handler', async () => {
    const response = await echo.client({ identity: agent }).echo(request({ message: 'hello' }));
    expect(response).toEqual({ message: 'hello', userId: 'u-agent', roles: ['agent'] });
  });

  it('refuses a call without an identity token before its handler runs (ADR 0010)', async () => {
    const error = await rejection(
      echo.client().echo(request({ message: 'anon' }), { identity: null }),
    );
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'IDENTITY_MISSING' });
  });

  it('refuses forged, expired, garbled and misaddressed identity tokens', async () => {
    const admin = { userId: 'mallory', roles: ['admin' as const] };
    const stranger = createInternalAuth({
      name: 'caller',
      signingKey: parseSigningKey(JSON.stringify(generateKeyPairJwk().privateJwk)),
      trustedKeys: new Map(),
    });
    const past = createInternalAuth({
      name: 'caller',
      signingKey: authAsKey(),
      trustedKeys: new Map(),
      now: () => Date.now() - 10 * 60_000,
    });
    const withToken = (token: string) => {
      const metadata = new Metadata();
      metadata.set(IDENTITY_HEADER, token);
      return echo.client().echo(request({}), { identity: null, metadata });
    };
    const cases: [string, string][] = [
      [await stranger.sign(admin, 'testing'), 'IDENTITY_UNKNOWN_KEY'],
      [await past.sign(admin, 'testing'), 'IDENTITY_EXPIRED'],
      [await authAs('caller').sign(admin, 'customer'), 'IDENTITY_WRONG_AUDIENCE'],
      ['not-a-token', 'IDENTITY_MALFORMED'],
    ];
    for (const [token, reason] of cases) {
      await expect(withToken(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', reason });
    }
    // Metadata of older versions names a caller without proof; it is ignored.
    const old = new Metadata();
    old.set('x-aftercare-user-id', 'mallory');
    old.set('x-aftercare-user-roles', 'admin');
    await expect(
      echo.client().echo(request({}), { identity: null, metadata: old }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED', reason: 'IDENTITY_MISSING' });
  });

  it('forwards the identity of the surrounding runWithIdentity scope, ahead of the client default', async () => {
    const client = echo.client({ identity: { userId: 'svc-workorder', roles: ['service'] } });
    const manager = { userId: 'u-manager', roles: ['manager' as const] };
    const response = await runWithIdentity(manager, () => client.echo(request({})));
    expect(response).toMatchObject({ userId: 'u-manager', roles: ['manager'] });
    expect(currentIdentity()).toBeNull();
  });

  it('lets one call override the identity, or call anonymously', async () => {
    const client = echo.client({ identity: agent });
    const auditor = { userId: 'u-auditor', roles: ['auditor' as const] };
    expect((await client.echo(request({}), { identity: auditor })).userId).toBe('u-auditor');
    await expect(client.echo(request({}), { identity: null })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  const codes: ErrorCode[] = [
    'INVALID_ARGUMENT',
    'NOT_FOUND',
    'FAILED_PRECONDITION',
    'ALREADY_EXISTS',
    'ABORTED',
    'UNAUTHENTICATED',
    'PERMISSION_DENIED',
    'UNAVAILABLE',
    'DEADLINE_EXCEEDED',
    'INTERNAL',
  ];
  it.each(codes)(
    'carries an AppError %s to the client with its code, reason and field',
    async (code) => {
      const error = await rejection(
        echo.client().echo(
          request({
            failWithCode: code,
            failWithReason: `WHY_${code}`,
            failWithField: 'contacts.0.mobile',
          }),
        ),
      );
      expect(error).toMatchObject({ code, reason: `WHY_${code}`, field: 'contacts.0.mobile' });
      expect(error.message).toBe(
        code === 'INTERNAL' ? MASKED_INTERNAL_MESSAGE : `asked to fail with ${code}`,
      );
    },
  );

  it('defaults the reason to the code and leaves the field unset when the handler gives none', async () => {
    const error = await rejection(echo.client().echo(request({ failWithCode: 'NOT_FOUND' })));
    expect(error).toMatchObject({ code: 'NOT_FOUND', reason: 'NOT_FOUND', field: undefined });
  });

  it('masks an unexpected error as INTERNAL and logs the real one', async () => {
    const error = await rejection(echo.client().echo(request({ failWithCode: 'UNKNOWN' })));
    expect(error).toMatchObject({ code: 'INTERNAL', message: MASKED_INTERNAL_MESSAGE });
    expect(error.message).not.toContain('secret-host');
    const logged = echo.logger.lines.find(
      (l) =>
        l.level === 'error' &&
        String((l.obj as { err?: Error }).err?.message).includes('secret-host'),
    );
    expect(logged?.obj).toMatchObject({ method: '/aftercare.testing.v1.EchoService/Echo' });
  });

  it('answers a database outage UNAVAILABLE with a reason, not INTERNAL (issue 17)', async () => {
    const error = await rejection(echo.client().echo(request({ failWithCode: 'DATABASE_DOWN' })));
    expect(error).toMatchObject({
      code: 'UNAVAILABLE',
      reason: 'DATABASE_UNAVAILABLE',
      message: 'the database is unavailable; try again shortly',
    });
  });

  it('fails with UNAVAILABLE naming the service when the deadline passes', async () => {
    const started = Date.now();
    const error = await rejection(
      echo.client({ timeoutMs: 200 }).echo(request({ sleepMs: 2_000 })),
    );
    expect(error).toMatchObject({ code: 'UNAVAILABLE', reason: 'DEADLINE_EXCEEDED' });
    // Says which dependency failed without naming hosts (the message may reach a front end).
    expect(error.message).toBe('echo service did not answer in time');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('aborts the handler signal once the caller has given up, and logs nothing about it', async () => {
    let abortSeen!: () => void;
    const aborted = new Promise<void>((resolve) => (abortSeen = resolve));
    const patient = await startEcho({
      echo: (_req, ctx) =>
        new Promise((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => {
            abortSeen();
            reject(ctx.signal.reason);
          });
        }),
    });
    try {
      await rejection(patient.client({ timeoutMs: 100 }).echo(request({})));
      await aborted;
      expect(patient.logger.lines).toEqual([
        expect.objectContaining({ msg: 'gRPC server listening' }),
      ]);
    } finally {
      await patient.close();
    }
  });

  it('lets one call shorten the default deadline', async () => {
    const error = await rejection(
      echo.client().echo(request({ sleepMs: 1_000 }), { timeoutMs: 100 }),
    );
    expect(error.reason).toBe('DEADLINE_EXCEEDED');
  });

  it('fails fast with UNAVAILABLE when nothing listens at the address', async () => {
    const port = await freePort();
    const client = createGrpcClient(EchoServiceClient, `127.0.0.1:${port}`, {
      name: 'customer service',
      timeoutMs: 3_000,
      auth: authAs('caller'),
    });
    try {
      const started = Date.now();
      const error = await rejection(client.echo(request({})));
      expect(error).toMatchObject({ code: 'UNAVAILABLE', reason: 'UNAVAILABLE' });
      expect(error.message).toBe('customer service is unavailable');
      expect(String((error.cause as Error).message)).toContain('UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      client.close();
    }
  });
});

describe('calls made while serving a call', () => {
  let back: EchoFixture;
  let front: EchoFixture;
  beforeAll(async () => {
    back = await startEcho({
      // Reports the deadline it was given, so the test can see what the front server passed on.
      echo: async (req, ctx) => ({
        ...(await echoHandlers.echo(req, ctx)),
        message: ctx.deadline?.toISOString() ?? 'none',
      }),
    });
    const backClient = back.client({ timeoutMs: 60_000 });
    front = await startEcho({ echo: (req) => backClient.echo(req) });
  });
  afterAll(async () => {
    await front.close();
    await back.close();
  });

  it('forward the original caller identity without the handler passing it on', async () => {
    const response = await front.client({ identity: agent }).echo(request({}));
    expect(response).toMatchObject({ userId: 'u-agent', roles: ['agent'] });
  });

  it('never get a later deadline than the incoming call', async () => {
    const before = Date.now();
    const response = await front.client({ timeoutMs: 2_000 }).echo(request({}));
    const inherited = new Date(response.message).getTime();
    expect(inherited).toBeGreaterThan(before);
    expect(inherited).toBeLessThanOrEqual(before + 2_000 + 50);
  });

  it('pass a downstream error through unchanged', async () => {
    const error = await rejection(
      front
        .client()
        .echo(request({ failWithCode: 'NOT_FOUND', failWithReason: 'CUSTOMER_NOT_FOUND' })),
    );
    expect(error).toMatchObject({ code: 'NOT_FOUND', reason: 'CUSTOMER_NOT_FOUND' });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

describe("a call's abort signal", () => {
  const signals: AbortSignal[] = [];
  let echo: EchoFixture;
  beforeAll(async () => {
    echo = await startEcho({
      echo: (req, ctx) => {
        signals.push(ctx.signal);
        return echoHandlers.echo(req, ctx);
      },
    });
  });
  afterAll(() => echo.close());

  it('aborts the handler when the caller gives up, with UNAVAILABLE as the reason', async () => {
    await rejection(echo.client({ timeoutMs: 200 }).echo(request({ sleepMs: 10_000 })));
    const signal = signals.at(-1)!;
    await eventually(
      async () => signal.aborted,
      (aborted) => aborted,
    );
    expect(signal.reason).toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('stays quiet for a call that was answered, whatever the client does with the stream after', async () => {
    const client = echo.client();
    await client.echo(request({ message: 'done' }));
    const signal = signals.at(-1)!;
    echo.client().echo(request({ message: 'another call on another client' }));
    await new Promise((r) => setTimeout(r, 200));
    expect(signal.aborted).toBe(false);
  });
});
