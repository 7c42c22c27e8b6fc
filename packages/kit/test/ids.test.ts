import { isUuid, uuidv7 } from '../src/ids';

describe('uuidv7', () => {
  it('gives distinct version-7 UUIDs, also across many refills of its random pool', () => {
    const ids = Array.from({ length: 5_000 }, () => uuidv7());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(isUuid(id)).toBe(true);
      expect(id[14]).toBe('7');
    }
    // The random tails differ from id to id: no bytes handed out twice.
    expect(new Set(ids.map((id) => id.slice(19))).size).toBe(ids.length);
  });

  it('orders the ids of one process, within a millisecond too', () => {
    // Ahead of every id made before in this process, so these start a millisecond of their own.
    const at = Date.now() + 60_000;
    const ids = [uuidv7(at), uuidv7(at), uuidv7(at), uuidv7(at + 1), uuidv7(at + 1)];
    expect([...ids].sort()).toEqual(ids);
    expect(ids.map((id) => Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16))).toEqual([
      at,
      at,
      at,
      at + 1,
      at + 1,
    ]);
  });
});
