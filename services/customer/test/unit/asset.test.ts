import { AppError } from '@aftercare/kit';
import { entitlementAt, newAsset } from '../../src/domain/asset';

const TZ = 'Asia/Shanghai';
const vehicle = {
  kind: 'VEHICLE',
  model: 'EV-300',
  vin: 'lsvaa4187e2123456',
  plateNumber: '浙A·12345',
  purchaseDate: '2025-01-10',
  warrantyStart: '2025-01-10',
  warrantyEnd: '2027-01-09',
  contract: { number: 'SC-1', kind: 'extended', startDate: '2027-01-10', endDate: '2028-01-09' },
  maintenanceCycleDays: 180,
};

describe('asset file', () => {
  it('R-CU-2 normalises VIN and plate and computes the next maintenance from the purchase date', () => {
    const a = newAsset(vehicle);
    expect(a.vin).toBe('LSVAA4187E2123456');
    expect(a.plateNumber).toBe('浙A12345');
    expect(a.nextMaintenanceDue).toBe('2025-07-09');
  });

  it('R-CU-2 refuses a VIN with I/O/Q, a warranty ending before it starts, a date that does not exist', () => {
    expect(() => newAsset({ ...vehicle, vin: 'IOQAA4187E2123456' })).toThrow(
      expect.objectContaining({ field: 'vin' }),
    );
    expect(() => newAsset({ ...vehicle, warrantyEnd: '2024-01-01' })).toThrow(
      expect.objectContaining({ reason: 'END_BEFORE_START' }),
    );
    expect(() => newAsset({ ...vehicle, purchaseDate: '2025-02-30' })).toThrow(
      expect.objectContaining({ reason: 'INVALID_DATE' }),
    );
    expect(() => newAsset({ ...vehicle, vin: null, serialNumber: null })).toThrow(AppError);
  });

  it('R-WO-1 entitlement: warranty, then contract, then paid', () => {
    const a = newAsset(vehicle);
    expect(entitlementAt(a, new Date('2026-06-01T02:00:00Z'), TZ).kind).toBe('WARRANTY');
    expect(entitlementAt(a, new Date('2027-06-01T02:00:00Z'), TZ)).toMatchObject({
      kind: 'CONTRACT',
      contractNumber: 'SC-1',
    });
    const paid = entitlementAt(a, new Date('2028-06-01T02:00:00Z'), TZ);
    expect(paid.kind).toBe('PAID');
    expect(paid.reason).toContain('contract SC-1 ended 2028-01-09');
  });

  it('R-WO-1 a warranty end date covers that whole local day in the business time zone', () => {
    const a = newAsset(vehicle);
    // 2027-01-09 23:30 in Shanghai is still 15:30 UTC on the 9th; 00:30 on the 10th is 16:30 UTC on the 9th.
    expect(entitlementAt(a, new Date('2027-01-09T15:30:00Z'), TZ).kind).toBe('WARRANTY');
    expect(entitlementAt(a, new Date('2027-01-09T16:30:00Z'), TZ).kind).toBe('CONTRACT');
  });
});
