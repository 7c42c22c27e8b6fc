import { SignJWT } from 'jose';
import {
  createInternalAuth,
  generateKeyPairJwk,
  parseSigningKey,
  parseTrustedKeys,
  type InternalAuth,
} from '../../src/internal-auth';

const pair = (name: string) => ({ name, ...generateKeyPairJwk() });
const gateway = pair('gateway');
const survey = pair('survey');
const stranger = pair('mallory');

const trusted = parseTrustedKeys(
  JSON.stringify({ gateway: [gateway.publicJwk], survey: [survey.publicJwk] }),
);
const authOf = (p: ReturnType<typeof pair>, now?: () => number): InternalAuth =>
  createInternalAuth({
    name: p.name,
    signingKey: parseSigningKey(JSON.stringify(p.privateJwk)),
    trustedKeys: trusted,
    now,
  });

const alice = { userId: '张三', roles: ['agent' as const] };

describe('internal identity tokens (ADR 0010)', () => {
  it('carries the user, roles and a Unicode user id from signer to the named audience', async () => {
    const token = await authOf(gateway).sign(alice, 'customer');
    const customer = authOf(pair('customer'));
    await expect(customer.verify(token, { audience: 'customer' })).resolves.toEqual(alice);
  });

  it('relays an anonymous caller as null', async () => {
    const token = await authOf(gateway).sign(null, 'survey');
    await expect(authOf(survey).verify(token, { audience: 'survey' })).resolves.toBeNull();
  });

  it('refuses a token meant for another service', async () => {
    const token = await authOf(gateway).sign(alice, 'workorder');
    await expect(authOf(survey).verify(token, { audience: 'customer' })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'IDENTITY_WRONG_AUDIENCE',
    });
  });

  it('refuses a signer that is not trusted, and one not accepted for this route', async () => {
    const forged = await authOf(stranger).sign(alice, 'customer');
    await expect(authOf(survey).verify(forged, { audience: 'customer' })).rejects.toMatchObject({
      reason: 'IDENTITY_UNKNOWN_KEY',
    });
    const fromSurvey = await authOf(survey).sign(alice, 'customer');
    await expect(
      authOf(gateway).verify(fromSurvey, { audience: 'customer', signers: ['gateway'] }),
    ).rejects.toMatchObject({ reason: 'IDENTITY_SIGNER_REFUSED' });
  });

  it('refuses a token signed with another key under a trusted name (forged signature)', async () => {
    const key = parseSigningKey(JSON.stringify(stranger.privateJwk)).key;
    const token = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({
        alg: 'EdDSA',
        kid: gateway.publicJwk.kid,
        typ: 'aftercare-identity+jwt',
      })
      .setIssuer('gateway')
      .setAudience('customer')
      .setSubject('mallory')
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(key);
    await expect(authOf(survey).verify(token, { audience: 'customer' })).rejects.toMatchObject({
      reason: 'IDENTITY_BAD_SIGNATURE',
    });
  });

  it('refuses an expired token, also after it was once verified', async () => {
    let clock = Date.now();
    const signer = authOf(gateway, () => clock);
    const verifier = authOf(survey, () => clock);
    const token = await signer.sign(alice, 'survey');
    await expect(verifier.verify(token, { audience: 'survey' })).resolves.toEqual(alice);
    clock += 10 * 60_000;
    await expect(verifier.verify(token, { audience: 'survey' })).rejects.toMatchObject({
      reason: 'IDENTITY_EXPIRED',
    });
  });

  it('refuses garbage', async () => {
    await expect(
      authOf(survey).verify('not.a.token', { audience: 'survey' }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED', reason: 'IDENTITY_MALFORMED' });
  });

  it('drops the service role from gateway tokens: only a service speaks for itself', async () => {
    const token = await authOf(gateway).sign(
      { userId: 'x', roles: ['service', 'agent'] },
      'survey',
    );
    await expect(authOf(survey).verify(token, { audience: 'survey' })).resolves.toEqual({
      userId: 'x',
      roles: ['agent'],
    });
    const own = await authOf(survey).sign(
      { userId: 'survey-service', roles: ['service'] },
      'customer',
    );
    await expect(authOf(gateway).verify(own, { audience: 'customer' })).resolves.toEqual({
      userId: 'survey-service',
      roles: ['service'],
    });
  });

  it('accepts both keys of a signer during a rotation', async () => {
    const next = generateKeyPairJwk();
    const rotating = parseTrustedKeys(
      JSON.stringify({ gateway: [gateway.publicJwk, next.publicJwk] }),
    );
    const verifier = createInternalAuth({ name: 'survey', trustedKeys: rotating });
    for (const jwk of [gateway.privateJwk, next.privateJwk]) {
      const signer = createInternalAuth({
        name: 'gateway',
        signingKey: parseSigningKey(JSON.stringify(jwk)),
        trustedKeys: rotating,
      });
      await expect(
        verifier.verify(await signer.sign(alice, 'survey'), { audience: 'survey' }),
      ).resolves.toEqual(alice);
    }
  });
});
