import jwt from 'jsonwebtoken';
import { GraphQLError } from 'graphql';
import { identityFromAuthorization, isIntrospectionOnly, isPublicOnly } from '../src/auth';
import { devTokenFromArgs, signDevToken } from '../src/dev-token';
import { SECRET } from './fixtures';

function reasonOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GraphQLError);
    return (e as GraphQLError).extensions.reason;
  }
  throw new Error('expected a throw');
}

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
    const noSub = jwt.sign({ roles: ['agent'] }, SECRET);
    expect(reasonOf(() => identityFromAuthorization(`Bearer ${noSub}`, { secret: SECRET }))).toBe(
      'TOKEN_INVALID',
    );
    const rolesString = jwt.sign({ roles: 'agent' }, SECRET, { subject: 'alice' });
    expect(
      reasonOf(() => identityFromAuthorization(`Bearer ${rolesString}`, { secret: SECRET })),
    ).toBe('TOKEN_INVALID');
    const hs512 = jwt.sign({ roles: [] }, SECRET, { subject: 'alice', algorithm: 'HS512' });
    expect(reasonOf(() => identityFromAuthorization(`Bearer ${hs512}`, { secret: SECRET }))).toBe(
      'TOKEN_INVALID',
    );
  });

  it('accepts a token without roles as a user with none', () => {
    const bare = jwt.sign({}, SECRET, { subject: 'dora' });
    expect(identityFromAuthorization(`Bearer ${bare}`, { secret: SECRET })).toEqual({
      userId: 'dora',
      roles: [],
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
    expect(payload.exp - payload.iat).toBe(8 * 3600);
    const short = jwt.decode(devTokenFromArgs(['--user', 'bob', '--ttl', '90'], env)) as {
      exp: number;
      iat: number;
    };
    expect(short.exp - short.iat).toBe(90);
  });

  it('refuses unknown roles, a missing user and a short secret with clear messages', () => {
    expect(() => devTokenFromArgs(['--user', 'a', '--role', 'wizard'], env)).toThrow(
      /unknown role\(s\) wizard; roles are: agent/,
    );
    expect(() => devTokenFromArgs(['--role', 'agent'], env)).toThrow(/--user is required/);
    expect(() => devTokenFromArgs(['--user', 'a', '--ttl', 'soon'], env)).toThrow(
      /--ttl must look like/,
    );
    expect(() => devTokenFromArgs(['--user', 'a'], { JWT_SECRET: 'short' })).toThrow(
      /JWT_SECRET: must be at least 32 characters/,
    );
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
      isPublicOnly('{ ... on Query { workOrders { total } } surveyByToken(token: "t") { kind } }'),
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
        '{ surveyByToken(token: "t") { kind } ... on Query { ... on Query { customers { total } } } }',
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
        'query Public { surveyByToken(token: "t") { kind } } mutation Private { issueSurveyLink(surveyId: "1") { token } }',
      ),
    ).toBe(false);
    expect(
      isPublicOnly(
        'query Form { surveyByToken(token: "t") { kind } } mutation Answer { answerSurveyByToken(input: {}) { recorded } }',
      ),
    ).toBe(true);
  });
});
