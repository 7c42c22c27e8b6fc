import {
  EchoRequest,
  type EchoServiceService,
} from '@aftercare/proto/gen/aftercare/testing/v1/echo';
import type { Identity } from '../../src/auth';
import { type CallContext, type ServiceHandlers, withRoles } from '../../src/grpc';

const context = (identity: Identity | null) =>
  ({ identity, signal: new AbortController().signal }) as CallContext;
const request = EchoRequest.create({ message: 'hi' });

describe('withRoles', () => {
  const seen: string[] = [];
  const handlers: ServiceHandlers<typeof EchoServiceService> = {
    echo: async (req) => {
      seen.push(req.message);
      return { message: req.message, userId: '', roles: [] };
    },
  };
  const checked = withRoles<typeof EchoServiceService>({ echo: ['dispatcher'] }, handlers);
  beforeEach(() => (seen.length = 0));

  it('refuses a caller without a declared role before the handler sees the request', async () => {
    await expect(
      checked.echo(request, context({ userId: 'w', roles: ['warehouse'] })),
    ).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(checked.echo(request, context(null))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(seen).toEqual([]);
  });

  it('lets a declared role and admin through', async () => {
    await checked.echo(request, context({ userId: 'd', roles: ['dispatcher'] }));
    await checked.echo(request, context({ userId: 'a', roles: ['admin'] }));
    expect(seen).toEqual(['hi', 'hi']);
  });

  it('a method without roles stops the start', () => {
    expect(() => withRoles<typeof EchoServiceService>({ echo: [] }, handlers)).toThrow(
      'gRPC method echo names no roles',
    );
  });
});
