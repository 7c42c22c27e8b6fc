import { parse } from 'graphql';
import pino from 'pino';
import type { Identity } from '../../src/auth';
import {
  ACCESS_DIRECTIVE_SDL,
  AccessDeclarationError,
  createSubgraph,
  type SubgraphContext,
  subgraphAccess,
} from '../../src/graphql';

const HEAD = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  ${ACCESS_DIRECTIVE_SDL}
`;
const SDL = `${HEAD}
  type Query {
    order(id: ID!): Order @access(roles: ["dispatcher", "technician"])
    link(token: String!): String @access(public: true)
  }
  type Mutation {
    closeOrder(id: ID!): Order @access(roles: ["dispatcher"])
  }
  type Order @key(fields: "id") {
    id: ID!
    status: String!
    sitePhone: String @access(roles: ["dispatcher"])
  }
`;

const logger = pino({ level: 'silent' });
const problemsOf = (sdl: string): string[] => {
  try {
    subgraphAccess(parse(sdl));
  } catch (e) {
    if (e instanceof AccessDeclarationError) return e.problems;
    throw e;
  }
  return [];
};

describe('@access declarations', () => {
  it('reads every declaration, root fields first, with their roles or public', () => {
    expect(subgraphAccess(parse(SDL))).toEqual([
      {
        type: 'Query',
        field: 'order',
        access: { public: false, roles: ['dispatcher', 'technician'] },
      },
      { type: 'Query', field: 'link', access: { public: true } },
      { type: 'Mutation', field: 'closeOrder', access: { public: false, roles: ['dispatcher'] } },
      { type: 'Order', field: 'sitePhone', access: { public: false, roles: ['dispatcher'] } },
    ]);
  });

  it('a root field without @access stops the start, naming it: no operation without its roles', () => {
    const sdl = `${HEAD} type Query { a: String @access(public: true) b: String }
      type Mutation { c: String }`;
    expect(() => createSubgraph({ typeDefs: parse(sdl), resolvers: {}, logger })).toThrow(
      AccessDeclarationError,
    );
    expect(problemsOf(sdl)).toEqual([
      'Query.b declares no @access: say who may call it',
      'Mutation.c declares no @access: say who may call it',
    ]);
  });

  it('refuses unknown roles, admin next to others, empty or contradictory declarations and a gated non-null field', () => {
    expect(
      problemsOf(`${HEAD} type Query {
        a: String @access(roles: ["wizard"])
        b: String @access(roles: ["agent", "admin"])
        c: String @access(roles: [])
        d: String @access(public: true, roles: ["agent"])
        e: String @access(roles: ["agent", "agent"])
      }
      type T { x: String! @access(roles: ["agent"]) }`),
    ).toEqual([
      expect.stringMatching(
        /^Query\.a names "wizard": roles are agent, dispatcher, .*auditor \(admin/,
      ),
      expect.stringMatching(/^Query\.b names "admin"/),
      'Query.c names no role (public: true if anyone may call it)',
      'Query.d is public and names roles: pick one',
      'Query.e names a role twice',
      'T.x is gated, so it must be nullable (a refusal nulls only the field)',
    ]);
  });

  it('the directive must be declared exactly as the kit enforces it', () => {
    const sdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      directive @access(roles: [String!]) on FIELD_DEFINITION
      type Query { a: String @access(roles: ["agent"]) }`;
    expect(problemsOf(sdl)).toEqual([
      `@access must be declared exactly as ${ACCESS_DIRECTIVE_SDL}`,
    ]);
  });
});

describe('createSubgraph enforces @access', () => {
  const looked: string[] = [];
  const subgraph = createSubgraph<SubgraphContext>({
    typeDefs: parse(SDL),
    logger,
    resolvers: {
      Query: {
        order: (_: unknown, { id }: { id: string }) => {
          looked.push(id);
          return { id, status: 'CLOSED', sitePhone: '13800000000' };
        },
        link: (_: unknown, { token }: { token: string }) => `form for ${token}`,
      },
      Mutation: {
        closeOrder: (_: unknown, { id }: { id: string }) => {
          looked.push(id);
          throw new Error('the state check must never be reached by a refused caller');
        },
      },
    },
  });
  const run = async (query: string, identity: Identity | null) => {
    const res = await subgraph.apollo.executeOperation({ query }, { contextValue: { identity } });
    if (res.body.kind !== 'single') throw new Error('expected a single result');
    return res.body.singleResult;
  };
  const codes = (r: Awaited<ReturnType<typeof run>>) => r.errors?.map((e) => e.extensions?.code);
  beforeEach(() => (looked.length = 0));

  it('refuses a caller without a declared role before the resolver runs (no lookup, no state)', async () => {
    const warehouse = { userId: 'w-1', roles: ['warehouse'] } as Identity;
    expect(codes(await run('mutation { closeOrder(id: "o-1") { id } }', warehouse))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await run('{ order(id: "o-1") { id } }', null))).toEqual(['UNAUTHENTICATED']);
    expect(looked).toEqual([]);
  });

  it('lets a declared role and admin through, and a public field anyone', async () => {
    const tech = { userId: 't-1', roles: ['technician'] } as Identity;
    expect((await run('{ order(id: "o-1") { status } }', tech)).data).toEqual({
      order: { status: 'CLOSED' },
    });
    const admin = { userId: 'a-1', roles: ['admin'] } as Identity;
    expect(codes(await run('mutation { closeOrder(id: "o-2") { id } }', admin))).toEqual([
      'INTERNAL_SERVER_ERROR',
    ]);
    expect(looked).toEqual(['o-1', 'o-2']);
    expect((await run('{ link(token: "abc") }', null)).data).toEqual({ link: 'form for abc' });
  });

  it('ADR 0025 a field declared for admin alone refuses every other role before it runs', async () => {
    const ops = createSubgraph<SubgraphContext>({
      typeDefs: parse(`${HEAD} type Query { parked: Int @access(roles: ["admin"]) }`),
      logger,
      resolvers: {
        Query: {
          parked: () => {
            looked.push('parked');
            return 3;
          },
        },
      },
    });
    const ask = async (roles: string[]) => {
      const res = await ops.apollo.executeOperation(
        { query: '{ parked }' },
        { contextValue: { identity: { userId: 'u-1', roles } as Identity } },
      );
      if (res.body.kind !== 'single') throw new Error('expected a single result');
      return res.body.singleResult;
    };
    expect(codes(await ask(['manager', 'auditor']))).toEqual(['FORBIDDEN']);
    expect(looked).toEqual([]);
    expect((await ask(['admin'])).data).toEqual({ parked: 3 });
  });

  it('a gated field of an object is refused alone: the rest of the object still answers', async () => {
    const tech = { userId: 't-1', roles: ['technician'] } as Identity;
    const res = await run('{ order(id: "o-1") { status sitePhone } }', tech);
    expect(res.data).toEqual({ order: { status: 'CLOSED', sitePhone: null } });
    expect(res.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['order', 'sitePhone'], 'FORBIDDEN'],
    ]);
    const dispatcher = { userId: 'd-1', roles: ['dispatcher'] } as Identity;
    expect((await run('{ order(id: "o-1") { sitePhone } }', dispatcher)).data).toEqual({
      order: { sitePhone: '13800000000' },
    });
  });
});
