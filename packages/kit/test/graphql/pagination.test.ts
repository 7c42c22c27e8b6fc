import { AppError } from '../../src/errors';
import {
  decodeCursor,
  encodeCursor,
  pageFromRows,
  pageOfList,
  pageSize,
  toConnection,
} from '../../src/graphql';

const position = (v: unknown) => {
  const p = v as { createdAt?: unknown; id?: unknown };
  if (typeof p?.createdAt !== 'string' || typeof p.id !== 'string')
    throw new Error('not a position');
  return { createdAt: p.createdAt, id: p.id };
};

describe('cursors', () => {
  it('round-trip an opaque base64url position', () => {
    const cursor = encodeCursor({ createdAt: '2026-11-24T08:30:00Z', id: 'a/b+c' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, position)).toEqual({
      createdAt: '2026-11-24T08:30:00Z',
      id: 'a/b+c',
    });
  });

  it('refuse a cursor that is not ours as BAD_USER_INPUT on the field', () => {
    for (const bad of [
      '%%%',
      encodeCursor({ other: 1 }),
      Buffer.from('not json').toString('base64url'),
    ]) {
      let thrown: unknown;
      try {
        decodeCursor(bad, position);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(AppError);
      expect(thrown).toMatchObject({
        code: 'INVALID_ARGUMENT',
        field: 'after',
        reason: 'INVALID_CURSOR',
      });
    }
  });
});

describe('pageSize', () => {
  it('defaults, accepts 1..max, refuses the rest', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(null, { defaultSize: 50 })).toBe(50);
    expect(pageSize(100)).toBe(100);
    expect(() => pageSize(0)).toThrow(/between 1 and 100/);
    expect(() => pageSize(101)).toThrow(AppError);
    expect(() => pageSize(2.5)).toThrow(AppError);
  });
});

describe('connections (ADR 0017)', () => {
  const rows = [{ id: 'c' }, { id: 'b' }, { id: 'a' }];

  it('cut a page from rows fetched one past its size, with a cursor per item', () => {
    const page = pageFromRows(rows, 2, 7, (r) => `at-${r.id}`);
    expect(page).toEqual({
      items: [{ id: 'c' }, { id: 'b' }],
      cursors: ['at-c', 'at-b'],
      total: 7,
      nextCursor: 'at-b',
    });
    expect(toConnection(page)).toEqual({
      edges: [
        { cursor: 'at-c', node: { id: 'c' } },
        { cursor: 'at-b', node: { id: 'b' } },
      ],
      nodes: [{ id: 'c' }, { id: 'b' }],
      pageInfo: {
        hasNextPage: true,
        hasPreviousPage: false,
        startCursor: 'at-c',
        endCursor: 'at-b',
      },
      totalCount: 7,
    });
  });

  it('say there is no next page when every row fits, and give null cursors on an empty page', () => {
    const last = toConnection(pageFromRows(rows, 3, 3, (r) => r.id));
    expect(last.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: 'c',
      endCursor: 'a',
    });
    expect(toConnection(pageFromRows([], 5, 0, (r: { id: string }) => r.id))).toEqual({
      edges: [],
      nodes: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      totalCount: 0,
    });
  });
});

describe('pageOfList', () => {
  const items = ['a', 'b', 'c'];
  const self = (item: string) => item;

  it('pages a list in memory by the cursor of an item, counting the whole list', () => {
    expect(pageOfList(items, { first: 2 }, self)).toEqual({
      items: ['a', 'b'],
      cursors: ['a', 'b'],
      total: 3,
      nextCursor: 'b',
    });
    expect(pageOfList(items, { first: 2, after: 'b' }, self)).toEqual({
      items: ['c'],
      cursors: ['c'],
      total: 3,
      nextCursor: null,
    });
  });

  it('refuses a cursor of no item as INVALID_CURSOR and a bad size as INVALID_PAGE_SIZE', () => {
    expect(() => pageOfList(items, { after: 'z' }, self)).toThrow(
      expect.objectContaining({ field: 'after', reason: 'INVALID_CURSOR' }),
    );
    expect(() => pageOfList(items, { first: 0 }, self)).toThrow(
      expect.objectContaining({ field: 'first', reason: 'INVALID_PAGE_SIZE' }),
    );
  });
});
