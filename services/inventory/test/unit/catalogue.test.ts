import { Warehouse, assertCanAddWarehouse, parsePart, parseWarehouse } from '../../src/domain';
import { errorOf } from './helpers';

const region = { province: '广东省', city: '深圳市', district: '南山区' };

describe('parts catalogue and warehouses', () => {
  it('R-IN-1 a part has code, name, spec, unit, price in fen, critical flag and reorder point', () => {
    expect(
      parsePart({
        code: ' mtr-48v ',
        name: ' hub motor ',
        spec: '48 V 500 W',
        unit: 'PCS',
        priceFen: 45_000,
        critical: true,
        reorderPoint: 3,
      }),
    ).toEqual({
      code: 'MTR-48V',
      name: 'hub motor',
      spec: '48 V 500 W',
      unit: 'PCS',
      priceFen: 45_000,
      critical: true,
      reorderPoint: 3,
    });
    expect(parsePart({ code: 'OIL-1', name: 'oil', unit: 'L', priceFen: 0 })).toMatchObject({
      spec: null,
      critical: false,
      reorderPoint: 0,
    });
  });

  it.each([
    [{ code: 'A' }, 'code', 'INVALID_CODE'],
    [{ code: 'P 100' }, 'code', 'INVALID_CODE'],
    [{ code: 'P_100' }, 'code', 'INVALID_CODE'],
    [{ code: 'X'.repeat(33) }, 'code', 'TOO_LONG'],
    [{ name: '' }, 'name', 'REQUIRED'],
    [{ unit: 'BOX' }, 'unit', 'INVALID_VALUE'],
    [{ priceFen: 12.5 }, 'priceFen', 'NOT_AN_INTEGER'],
    [{ priceFen: -1 }, 'priceFen', 'OUT_OF_RANGE'],
    [{ reorderPoint: -1 }, 'reorderPoint', 'OUT_OF_RANGE'],
    [{ reorderPoint: 1.5 }, 'reorderPoint', 'NOT_AN_INTEGER'],
  ])('R-IN-1 refuses a part with %j', (patch, field, reason) => {
    const part = { code: 'P-1', name: 'bearing', unit: 'PCS', priceFen: 100, ...patch };
    expect(errorOf(() => parsePart(part))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      field,
      reason,
    });
  });

  it('R-IN-1 the central warehouse and each station keep separate ledgers', () => {
    const central = parseWarehouse({ code: 'cw', name: 'Central', kind: 'CENTRAL', region });
    expect(central).toEqual({ code: 'CW', name: 'Central', kind: 'CENTRAL', region });
    const station = parseWarehouse({ code: 'ST-SZ', name: 'Shenzhen', kind: 'STATION', region });
    const existing: Warehouse[] = [central];
    expect(() => assertCanAddWarehouse(existing, station)).not.toThrow();
    expect(
      errorOf(() => assertCanAddWarehouse(existing, { ...central, code: 'CW2' })),
    ).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'CENTRAL_WAREHOUSE_EXISTS' });
    expect(errorOf(() => assertCanAddWarehouse([central, station], station))).toMatchObject({
      reason: 'WAREHOUSE_EXISTS',
    });
    expect(
      errorOf(() => parseWarehouse({ code: 'X1', name: 'x', kind: 'SHOP', region })),
    ).toMatchObject({
      field: 'kind',
    });
    expect(errorOf(() => parseWarehouse({ code: 'X1', name: 'x', kind: 'STATION' }))).toMatchObject(
      {
        field: 'region.province',
      },
    );
  });
});
