import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { GraphQLError } from 'graphql';
import { identityFromAuthorization, isIntrospectionOnly, isPublicOnly } from '../src/auth';
import { devTokenFromArgs, signDevToken } from '../src/dev-token';
import { SECRET } from './fixtures';

function refusalOf(fn: () => unknown): GraphQLError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GraphQLError);
    return e as GraphQLError;
  }
  throw new Error('expected a throw');
}
const reasonOf = (fn: () => unknown) => refusalOf(fn).extensions.reason;

/**
 * An HS256 token with exactly these claims, signed by hand: jsonwebtoken's `sign` refuses the
 * malformed claims (a string `iat`) that an attacker holding a leaked key could still send.
 */
function handSigned(claims: Record<string, unknown>, secret = SECRET): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}
const now = () => Math.floor(Date.now() / 1000);

describe('identityFromAuthorization', () => {
  const settings = { secret: SECRET, issuer: 'aftercare', audience: 'aftercare-api' };

  it('treats a missing header as anonymous', () => {
    expect(identityFromAuthorization(undefined, settings)).toBeNull();
    expect(identityFromAuthorization('  ', settings)).toBeNull();
  });

  it('checks issuer and audience when configured', () => {
    const good = signDevToken({
      sub: 'alice',
      roles: ['agent'],
      secret: SECRET,
      issuer: 'aftercare',
      audience: 'aftercare-api',
    });
    expect(identityFromAuthorization(`Bearer ${good}`, settings)).toEqual({
      userId: 'alice',
      roles: ['agent'],
    });
    expect(identityFromAuthorization(`bearer ${good}`, settings)).toEqual({
      userId: 'alice',
      roles: ['agent'],
    });

    const otherIssuer = signDevToken({
      sub: 'alice',
      roles: ['agent'],
      secret: SECRET,
      issuer: 'elsewhere',
      audience: 'aftercare-api',
    });
    expect(reasonOf(() => identityFromAuthorization(`Bearer ${otherIssuer}`, settings))).toBe(
      'TOKEN_INVALID',
    );
    const noAudience = signDevToken({
      sub: 'alice',
      roles: ['agent'],
      secret: SECRET,
      issuer: 'aftercare',
    });
    expect(reasonOf(() => identityFromAuthorization(`Bearer ${noAudience}`, settings))).toBe(
      'TOKEN_INVALID',
    );
  });

  it('refuses tokens without a subject or with roles that are not a list, and other algorithms', () => {
    const noSub = jwt.sign({ roles: ['agent'] }, SECRET, { expiresIn: 60 });
    expect(reasonOf(() => identityFromAuthorization(`Bearer ${noSub}`, { secret: SECRET }))).toBe(
      'TOKEN_INVALID',
    );
    const rolesString = jwt.sign({ roles: 'agent' }, SECRET, { subject: 'alice', expiresIn: 60 });
    expect(
      reasonOf(() => identityFromAuthorization(`Bearer ${rolesString}`, { secret: SECRET })),
    ).toBe('TOKEN_INVALID');
    const hs512 = jwt.sign({ roles: ['agent'] }, SECRET, {
      subject: 'alice',
      algorithm: 'HS512',
      expiresIn: 60,
    });
    expect(reasonOf(() => identityFromAuthorization(`Bearer ${hs512}`, { secret: SECRET }))).toBe(
      'TOKEN_INVALID',
    );
  });

  it('issue 11: refuses a token without a known role with FORBIDDEN (HTTP 403), whether it names no role or only unknown ones', () => {
    for (const roles of [undefined, [], ['wizard'], ['service'], ['Admin']]) {
      const token = jwt.sign(roles === undefined ? {} : { roles }, SECRET, {
        subject: 'dora',
        expiresIn: 60,
      });
      const refusal = refusalOf(() =>
        identityFromAuthorization(`Bearer ${token}`, { secret: SECRET }),
      );
      expect(refusal.message).toMatch(
        /^The access token names no Aftercare role \(roles are: agent, /,
      );
      expect(refusal.extensions).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'NO_KNOWN_ROLE',
        http: { status: 403 },
      });
    }
    // One known role is enough; the unknown ones beside it are dropped.
    const mixed = jwt.sign({ roles: ['wizard', 'auditor'] }, SECRET, {
      subject: 'dora',
      expiresIn: 60,
    });
    expect(identityFromAuthorization(`Bearer ${mixed}`, { secret: SECRET })).toEqual({
      userId: 'dora',
      roles: ['auditor'],
    });
  });

  it('issue 11: refuses a token that never expires (no "exp")', () => {
    const forever = handSigned({ sub: 'eve', roles: ['admin'], iat: now() });
    const refusal = refusalOf(() =>
      identityFromAuthorization(`Bearer ${forever}`, { secret: SECRET }),
    );
    expect(refusal.message).toBe('The access token has no expiry ("exp")');
    expect(refusal.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'TOKEN_WITHOUT_EXPIRY',
    });
  });

  it('issue 11: refuses a token living longer than the maximum lifetime, counted from "iat" or, without it, from now', () => {
    const settings = { secret: SECRET, maxLifetimeSeconds: 3600 };
    const issued = now();
    const year = handSigned({
      sub: 'eve',
      roles: ['admin'],
      iat: issued,
      exp: issued + 365 * 86_400,
    });
    const refusal = refusalOf(() => identityFromAuthorization(`Bearer ${year}`, settings));
    expect(refusal.message).toBe(
      'The access token lives 31536000 s, longer than the 3600 s allowed',
    );
    expect(refusal.extensions.reason).toBe('TOKEN_LIFETIME_TOO_LONG');
    // Issued long ago with a long life, so only a little is left: still refused.
    const oldLong = handSigned({
      sub: 'eve',
      roles: ['admin'],
      iat: now() - 86_400,
      exp: now() + 60,
    });
    expect(reasonOf(() => identityFromAuthorization(`Bearer ${oldLong}`, settings))).toBe(
      'TOKEN_LIFETIME_TOO_LONG',
    );
    const noIat = handSigned({ sub: 'eve', roles: ['admin'], exp: now() + 7200 });
    expect(reasonOf(() => identityFromAuthorization(`Bearer ${noIat}`, settings))).toBe(
      'TOKEN_LIFETIME_TOO_LONG',
    );
    // Exactly the maximum is fine, with or without "iat".
    const hour = handSigned({ sub: 'eve', roles: ['admin'], iat: now(), exp: now() + 3600 });
    expect(identityFromAuthorization(`Bearer ${hour}`, settings)?.userId).toBe('eve');
    const hourNoIat = handSigned({ sub: 'eve', roles: ['admin'], exp: now() + 3600 });
    expect(identityFromAuthorization(`Bearer ${hourNoIat}`, settings)?.userId).toBe('eve');
    // The default maximum is an hour.
    expect(reasonOf(() => identityFromAuthorization(`Bearer ${noIat}`, { secret: SECRET }))).toBe(
      'TOKEN_LIFETIME_TOO_LONG',
    );
  });

  it('issue 11: refuses a token issued in the future beyond the clock skew, and one whose "iat" is not a number', () => {
    const settings = { secret: SECRET, clockSkewSeconds: 30 };
    const yearAhead = handSigned({
      sub: 'eve',
      roles: ['admin'],
      iat: now() + 365 * 86_400,
      exp: now() + 365 * 86_400 + 600,
    });
    const refusal = refusalOf(() => identityFromAuthorization(`Bearer ${yearAhead}`, settings));
    expect(refusal.message).toMatch(/^The access token claims to be issued in the future \(\d{4}-/);
    expect(refusal.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'TOKEN_ISSUED_IN_FUTURE',
    });
    const minuteAhead = handSigned({
      sub: 'eve',
      roles: ['admin'],
      iat: now() + 60,
      exp: now() + 600,
    });
    expect(reasonOf(() => identityFromAuthorization(`Bearer ${minuteAhead}`, settings))).toBe(
      'TOKEN_ISSUED_IN_FUTURE',
    );
    // Within the skew: a clock a few seconds fast is no attack.
    const slightlyAhead = handSigned({
      sub: 'eve',
      roles: ['admin'],
      iat: now() + 10,
      exp: now() + 600,
    });
    expect(identityFromAuthorization(`Bearer ${slightlyAhead}`, settings)?.userId).toBe('eve');

    for (const iat of ['yesterday', String(now()), null, { t: 1 }]) {
      const odd = handSigned({ sub: 'eve', roles: ['admin'], iat, exp: now() + 600 });
      const oddRefusal = refusalOf(() => identityFromAuthorization(`Bearer ${odd}`, settings));
      expect(oddRefusal.message).toBe(
        'The access token\'s "iat" must be a number of seconds since 1970',
      );
      expect(oddRefusal.extensions.reason).toBe('TOKEN_INVALID');
    }
  });

  it('issue 11: refuses a token not valid yet ("nbf" beyond the clock skew) or with a "nbf" that is not a number', () => {
    const settings = { secret: SECRET, clockSkewSeconds: 30 };
    const later = handSigned({
      sub: 'eve',
      roles: ['admin'],
      iat: now(),
      nbf: now() + 120,
      exp: now() + 600,
    });
    const refusal = refusalOf(() => identityFromAuthorization(`Bearer ${later}`, settings));
    expect(refusal.message).toMatch(/^The access token is not valid before \d{4}-/);
    expect(refusal.extensions.reason).toBe('TOKEN_NOT_YET_VALID');
    const withinSkew = handSigned({
      sub: 'eve',
      roles: ['admin'],
      iat: now(),
      nbf: now() + 10,
      exp: now() + 600,
    });
    expect(identityFromAuthorization(`Bearer ${withinSkew}`, settings)?.userId).toBe('eve');
    const oddNbf = handSigned({ sub: 'eve', roles: ['admin'], nbf: 'soon', exp: now() + 600 });
    expect(reasonOf(() => identityFromAuthorization(`Bearer ${oddNbf}`, settings))).toBe(
      'TOKEN_INVALID',
    );
    // Expiry is checked with the same skew: a token 10 s past its "exp" still passes, 60 s past does not.
    const justExpired = handSigned({
      sub: 'eve',
      roles: ['admin'],
      iat: now() - 600,
      exp: now() - 10,
    });
    expect(identityFromAuthorization(`Bearer ${justExpired}`, settings)?.userId).toBe('eve');
    const expired = handSigned({ sub: 'eve', roles: ['admin'], iat: now() - 600, exp: now() - 60 });
    expect(reasonOf(() => identityFromAuthorization(`Bearer ${expired}`, settings))).toBe(
      'TOKEN_EXPIRED',
    );
  });

  it('a token accepted before is refused once it expires, and only under the settings that accepted it', () => {
    const settings = { secret: SECRET, clockSkewSeconds: 30 };
    const token = handSigned({ sub: 'eve', roles: ['agent'], iat: now(), exp: now() + 5 });
    expect(identityFromAuthorization(`Bearer ${token}`, settings)?.userId).toBe('eve');
    expect(identityFromAuthorization(`Bearer ${token}`, settings)?.userId).toBe('eve');
    expect(
      reasonOf(() => identityFromAuthorization(`Bearer ${token}`, { secret: 'another secret' })),
    ).toBe('TOKEN_INVALID');
    const at = Date.now();
    const clock = jest.spyOn(Date, 'now');
    try {
      // Past "exp" but within the skew: still accepted; past the skew: refused as verified anew.
      clock.mockReturnValue(at + 30_000);
      expect(identityFromAuthorization(`Bearer ${token}`, settings)?.userId).toBe('eve');
      clock.mockReturnValue(at + 40_000);
      expect(reasonOf(() => identityFromAuthorization(`Bearer ${token}`, settings))).toBe(
        'TOKEN_EXPIRED',
      );
    } finally {
      clock.mockRestore();
    }
  });

  it('a hand-signed token with sound claims passes, so the refusals above are the claims and not the signing', () => {
    const sound = handSigned({ sub: 'eve', roles: ['agent'], iat: now(), exp: now() + 600 });
    expect(identityFromAuthorization(`Bearer ${sound}`, { secret: SECRET })).toEqual({
      userId: 'eve',
      roles: ['agent'],
    });
  });
});

describe('isIntrospectionOnly', () => {
  it('accepts only operations selecting introspection fields', () => {
    expect(isIntrospectionOnly('{ __schema { types { name } } }')).toBe(true);
    expect(
      isIntrospectionOnly('query { ...Q } fragment Q on Query { __type(name: "X") { name } }'),
    ).toBe(true);
    expect(isIntrospectionOnly('{ __typename thing(id: 1) { id } }')).toBe(false);
    expect(isIntrospectionOnly('{ ... on Query { thing { id } } }')).toBe(false);
    expect(isIntrospectionOnly('query A { __typename } query B { thing { id } }')).toBe(false);
    expect(isIntrospectionOnly('fragment F on Query { __typename }')).toBe(false);
    expect(isIntrospectionOnly('{ __schema ')).toBe(false);
    expect(isIntrospectionOnly(undefined)).toBe(false);
  });
});

describe('dev-token CLI', () => {
  const env = { JWT_SECRET: SECRET };

  it('prints a token the gateway accepts, for the given user and roles', () => {
    const token = devTokenFromArgs(
      ['--role', 'agent', '--role', 'manager', '--user', 'alice'],
      env,
    );
    expect(identityFromAuthorization(`Bearer ${token}`, { secret: SECRET })).toEqual({
      userId: 'alice',
      roles: ['agent', 'manager'],
    });
    const payload = jwt.decode(token) as { exp: number; iat: number };
    expect(payload.exp - payload.iat).toBe(3600);
    const short = jwt.decode(
      devTokenFromArgs(['--user', 'bob', '--role', 'agent', '--ttl', '90'], env),
    ) as { exp: number; iat: number };
    expect(short.exp - short.iat).toBe(90);
  });

  it('issue 11: lives as long as the gateway allows (JWT_MAX_LIFETIME_S) and refuses a longer --ttl', () => {
    const workday = { ...env, JWT_MAX_LIFETIME_S: String(8 * 3600) };
    const token = devTokenFromArgs(['--user', 'alice', '--role', 'agent'], workday);
    const payload = jwt.decode(token) as { exp: number; iat: number };
    expect(payload.exp - payload.iat).toBe(8 * 3600);
    expect(
      identityFromAuthorization(`Bearer ${token}`, { secret: SECRET, maxLifetimeSeconds: 8 * 3600 })
        ?.userId,
    ).toBe('alice');
    expect(
      devTokenFromArgs(['--user', 'a', '--role', 'agent', '--ttl', '8h'], workday),
    ).toBeTruthy();
    expect(() => devTokenFromArgs(['--user', 'a', '--role', 'agent', '--ttl', '2h'], env)).toThrow(
      '--ttl 2h is longer than the gateway accepts (JWT_MAX_LIFETIME_S=3600)',
    );
  });

  it('refuses unknown roles, a missing user and a short secret with clear messages', () => {
    expect(() => devTokenFromArgs(['--user', 'a', '--role', 'wizard'], env)).toThrow(
      /unknown role\(s\) wizard; roles are: agent/,
    );
    expect(() => devTokenFromArgs(['--role', 'agent'], env)).toThrow(/--user is required/);
    expect(() => devTokenFromArgs(['--user', 'a'], env)).toThrow(
      /--role is required: the gateway refuses a token without one/,
    );
    expect(() =>
      devTokenFromArgs(['--user', 'a', '--role', 'agent', '--ttl', 'soon'], env),
    ).toThrow(/--ttl must look like/);
    expect(() =>
      devTokenFromArgs(['--user', 'a', '--role', 'agent'], { JWT_SECRET: 'short' }),
    ).toThrow(/JWT_SECRET: must be at least 32 characters/);
  });
});

describe('isPublicOnly (anonymous survey links, R-SV-1)', () => {
  it('accepts operations made only of the public root fields', () => {
    expect(isPublicOnly('{ surveyByToken(token: "t") { items { key } } }')).toBe(true);
    expect(
      isPublicOnly('query Q($t: String!) { form: surveyByToken(token: $t) { kind } __typename }'),
    ).toBe(true);
    expect(
      isPublicOnly(
        'mutation($i: AnswerSurveyByTokenInput!) { answerSurveyByToken(input: $i) { recorded } }',
      ),
    ).toBe(true);
    expect(
      isPublicOnly('{ ...F } fragment F on Query { surveyByToken(token: "t") { kind } }'),
    ).toBe(true);
  });

  it('refuses everything else: other fields beside or instead, wrong operation type, introspection, subscriptions', () => {
    expect(isPublicOnly('{ survey(id: "1") { id } }')).toBe(false);
    expect(isPublicOnly('{ surveyByToken(token: "t") { kind } customer(id: "1") { id } }')).toBe(
      false,
    );
    expect(
      isPublicOnly(
        '{ ... on Query { workOrders { totalCount } } surveyByToken(token: "t") { kind } }',
      ),
    ).toBe(false);
    expect(
      isPublicOnly(
        'query A { surveyByToken(token: "t") { kind } } query B { survey(id: "1") { id } }',
      ),
    ).toBe(false);
    // A public mutation name used as a query field (or the other way round) is not public.
    expect(isPublicOnly('{ answerSurveyByToken(input: {}) { recorded } }')).toBe(false);
    expect(isPublicOnly('mutation { surveyByToken(token: "t") { kind } }')).toBe(false);
    expect(
      isPublicOnly(
        'mutation { answerSurveyByToken(input: {}) { recorded } answerSurvey(input: {}) { survey { id } } }',
      ),
    ).toBe(false);
    expect(isPublicOnly('{ __schema { types { name } } }')).toBe(false);
    expect(isPublicOnly('subscription { surveyByToken(token: "t") { kind } }')).toBe(false);
    expect(isPublicOnly('{ ...Missing }')).toBe(false);
    expect(isPublicOnly('fragment F on Query { surveyByToken(token: "t") { kind } }')).toBe(false);
    expect(isPublicOnly('{ surveyByToken(')).toBe(false);
    expect(isPublicOnly(undefined)).toBe(false);
    expect(isPublicOnly('{ thing(id: "1") { id } }', { query: ['thing'], mutation: [] })).toBe(
      true,
    );
    expect(isPublicOnly('mutation { thing { id } }', { query: ['thing'], mutation: [] })).toBe(
      false,
    );
  });

  it('R-SV-1 refuses an operation of __typename alone: it names no public field', () => {
    expect(isPublicOnly('{ __typename }')).toBe(false);
    expect(isPublicOnly('mutation { __typename }')).toBe(false);
    expect(isPublicOnly('{ ... on Query { __typename } }')).toBe(false);
    expect(isPublicOnly('{ a: __typename b: __typename }')).toBe(false);
    expect(
      isPublicOnly('query A { surveyByToken(token: "t") { kind } } query B { __typename }'),
    ).toBe(false);
  });

  it('R-SV-1 aliases cannot disguise a private field as a public one', () => {
    expect(isPublicOnly('{ surveyByToken: survey(id: "1") { id } }')).toBe(false);
    expect(
      isPublicOnly(
        '{ f: surveyByToken(token: "t") { kind } answerSurveyByToken: survey(id: "1") { id } }',
      ),
    ).toBe(false);
    expect(isPublicOnly('{ survey: surveyByToken(token: "t") { kind } }')).toBe(true);
  });

  it('R-SV-1 private fields are found inside fragments, nested fragments and inline fragments, whatever the directives', () => {
    expect(
      isPublicOnly(
        '{ ...A } fragment A on Query { surveyByToken(token: "t") { kind } ...B } fragment B on Query { survey(id: "1") { id } }',
      ),
    ).toBe(false);
    expect(
      isPublicOnly(
        '{ surveyByToken(token: "t") { kind } ... on Query { ... on Query { customers { totalCount } } } }',
      ),
    ).toBe(false);
    expect(
      isPublicOnly('{ surveyByToken(token: "t") { kind } survey(id: "1") @skip(if: true) { id } }'),
    ).toBe(false);
    expect(
      isPublicOnly(
        '{ surveyByToken(token: "t") { kind } ... @include(if: false) { survey(id: "1") { id } } }',
      ),
    ).toBe(false);
    // Self-referencing fragments are refused, not looped over.
    expect(
      isPublicOnly('{ ...A } fragment A on Query { surveyByToken(token: "t") { kind } ...A }'),
    ).toBe(false);
  });

  it('R-SV-1 introspection is refused beside a public field, also hidden in a fragment', () => {
    expect(isPublicOnly('{ surveyByToken(token: "t") { kind } __schema { types { name } } }')).toBe(
      false,
    );
    expect(
      isPublicOnly(
        '{ surveyByToken(token: "t") { kind } __type(name: "Customer") { fields { name } } }',
      ),
    ).toBe(false);
    expect(
      isPublicOnly(
        '{ surveyByToken(token: "t") { kind } ...I } fragment I on Query { __schema { queryType { name } } }',
      ),
    ).toBe(false);
  });

  it('R-SV-1 operation names decide nothing: every operation of the document must be public', () => {
    // Named like the public field, selecting a private one.
    expect(isPublicOnly('query surveyByToken { survey(id: "1") { id } }')).toBe(false);
    expect(
      isPublicOnly('mutation answerSurveyByToken { answerSurvey(input: {}) { survey { id } } }'),
    ).toBe(false);
    // A public operation picked by operationName does not admit a private one beside it.
    expect(
      isPublicOnly(
        'query Public { surveyByToken(token: "t") { kind } } mutation Private { issueSurveyLink(input: { surveyId: "1" }) { token } }',
      ),
    ).toBe(false);
    expect(
      isPublicOnly(
        'query Form { surveyByToken(token: "t") { kind } } mutation Answer { answerSurveyByToken(input: {}) { recorded } }',
      ),
    ).toBe(true);
  });
});
