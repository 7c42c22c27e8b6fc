import { IntakeInput, parseFaultCategories, parseIntake, serviceTypeFor } from '../../src/domain';
import { errorOf } from './helpers';

const now = new Date('2026-11-24T02:00:00Z');
const call: IntakeInput = {
  customerId: 'c-1',
  assetId: 'a-1',
  contact: { name: ' Li Na ', phone: '+86 138-0013-8000' },
  address: { region: { province: 'Zhejiang', city: 'Hangzhou', district: 'Xihu' }, line: '1 Road' },
  areaType: 'URBAN',
  distanceKm: 12.5,
  faultDescription: ' motor stops under load ',
  category: 'ELECTRICAL',
  channel: 'PHONE',
};

describe('intake', () => {
  it('R-WO-1 records customer, asset, contact, address, fault, channel and time (now by default)', () => {
    expect(parseIntake(call, { now })).toEqual({
      customerId: 'c-1',
      assetId: 'a-1',
      contact: { name: 'Li Na', phone: '13800138000' },
      address: {
        region: { province: 'Zhejiang', city: 'Hangzhou', district: 'Xihu' },
        line: '1 Road',
      },
      areaType: 'URBAN',
      distanceKm: 12.5,
      faultDescription: 'motor stops under load',
      category: 'ELECTRICAL',
      channel: 'PHONE',
      calledAt: now,
      internalKind: null,
      stationCode: null,
      supplierInvolved: false,
      productLine: null,
    });
  });

  it('R-WO-1 accepts an earlier call time and a landline, refuses a call time in the future', () => {
    const earlier = parseIntake(
      {
        ...call,
        calledAt: '2026-11-23T09:00:00+08:00',
        contact: { name: 'x', phone: '0571-8888 6666' },
      },
      { now },
    );
    expect(earlier.calledAt).toEqual(new Date('2026-11-23T01:00:00Z'));
    expect(earlier.contact?.phone).toBe('057188886666');
    const skew = new Date(now.getTime() + 5 * 60_000);
    expect(parseIntake({ ...call, calledAt: skew }, { now }).calledAt).toEqual(skew);
    expect(
      errorOf(() => parseIntake({ ...call, calledAt: new Date(skew.getTime() + 1) }, { now })),
    ).toMatchObject({ field: 'calledAt', reason: 'IN_FUTURE' });
    expect(
      errorOf(() => parseIntake({ ...call, calledAt: '2026-11-23 09:00' }, { now })),
    ).toMatchObject({
      field: 'calledAt',
      reason: 'INVALID_DATE',
    });
  });

  it.each([
    [{ customerId: '' }, 'customerId', 'REQUIRED'],
    [{ assetId: null }, 'assetId', 'REQUIRED'],
    [{ contact: { name: 'x', phone: '12345' } }, 'contact.phone', 'INVALID_PHONE'],
    [{ contact: { phone: '13800138000' } }, 'contact.name', 'REQUIRED'],
    [{ address: { region: { province: 'Zhejiang' } } }, 'address.region.city', 'REQUIRED'],
    [{ areaType: 'MOON' }, 'areaType', 'INVALID_VALUE'],
    [{ distanceKm: -1 }, 'distanceKm', 'OUT_OF_RANGE'],
    [{ distanceKm: 5000.1 }, 'distanceKm', 'OUT_OF_RANGE'],
    [{ distanceKm: Number.NaN }, 'distanceKm', 'NOT_A_NUMBER'],
    [{ faultDescription: '  ' }, 'faultDescription', 'REQUIRED'],
    [{ faultDescription: 'x'.repeat(2001) }, 'faultDescription', 'TOO_LONG'],
    [{ category: 'PAINT' }, 'category', 'INVALID_VALUE'],
    [{ channel: 'FAX' }, 'channel', 'INVALID_VALUE'],
    [{ internalKind: 'PARTY' }, 'internalKind', 'INVALID_VALUE'],
  ])('R-WO-1 refuses %j at %s (%s)', (patch, field, reason) => {
    expect(errorOf(() => parseIntake({ ...call, ...patch } as IntakeInput, { now }))).toMatchObject(
      {
        code: 'INVALID_ARGUMENT',
        field,
        reason,
      },
    );
  });

  it('R-WO-1 the distance may be 0 and 5000 km', () => {
    expect(parseIntake({ ...call, distanceKm: 0 }, { now }).distanceKm).toBe(0);
    expect(parseIntake({ ...call, distanceKm: 5000 }, { now }).distanceKm).toBe(5000);
  });

  it('R-WO-1 fault categories come from a configurable list', () => {
    const categories = parseFaultCategories(['HYDRAULIC', 'OTHER']);
    expect(parseIntake({ ...call, category: 'HYDRAULIC' }, { now, categories }).category).toBe(
      'HYDRAULIC',
    );
    expect(errorOf(() => parseIntake(call, { now, categories }))).toMatchObject({
      field: 'category',
      reason: 'INVALID_VALUE',
    });
    expect(errorOf(() => parseFaultCategories([]))).toMatchObject({ reason: 'REQUIRED' });
    expect(errorOf(() => parseFaultCategories(['OK', 'bad code']))).toMatchObject({
      field: 'categories.1',
      reason: 'INVALID_VALUE',
    });
    expect(errorOf(() => parseFaultCategories(['A', 'A']))).toMatchObject({ reason: 'DUPLICATE' });
  });

  it('R-WO-1 an internal job needs no customer, asset, contact or address', () => {
    const job = parseIntake(
      {
        internalKind: 'TOOL_UPKEEP',
        faultDescription: 'calibrate torque wrenches',
        category: 'OTHER',
        channel: 'WEB',
      },
      { now },
    );
    expect(job).toMatchObject({
      internalKind: 'TOOL_UPKEEP',
      customerId: null,
      assetId: null,
      contact: null,
      address: null,
      areaType: null,
      distanceKm: null,
    });
    // What is given is still validated.
    expect(
      errorOf(() =>
        parseIntake(
          { ...call, internalKind: 'INSPECTION', contact: { name: 'x', phone: '1' } },
          { now },
        ),
      ),
    ).toMatchObject({ field: 'contact.phone' });
  });

  it('R-WO-1 fixes the service type: warranty, contract, paid or internal', () => {
    expect(serviceTypeFor('WARRANTY', false)).toBe('WARRANTY');
    expect(serviceTypeFor('CONTRACT', null)).toBe('CONTRACT');
    expect(serviceTypeFor('PAID', false)).toBe('PAID');
    expect(serviceTypeFor(null, 'TRAINING')).toBe('INTERNAL');
    expect(serviceTypeFor('WARRANTY', true)).toBe('INTERNAL');
    expect(errorOf(() => serviceTypeFor(null, false))).toMatchObject({
      code: 'FAILED_PRECONDITION',
      reason: 'ENTITLEMENT_UNKNOWN',
    });
  });
});
