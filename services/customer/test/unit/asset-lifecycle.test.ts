import { newAsset } from '../../src/domain/asset';
import {
  type AssetFile,
  changesFromService,
  extendContract,
  recordMaintenance,
  recordReading,
  renewContract,
  startWarranty,
  swapUnit,
  transferOwnership,
} from '../../src/domain/asset-lifecycle';

const OWNER = '0190a0b0-0000-7000-8000-000000000001';
const BUYER = '0190a0b0-0000-7000-8000-000000000002';
const WO = '0190a0b0-0000-7000-8000-0000000000aa';

const file = (over: Partial<AssetFile> = {}): AssetFile => ({
  ...newAsset({
    kind: 'VEHICLE',
    model: 'EV-300',
    serialNumber: 'SN-1',
    mileageKm: 12_000,
    runningHours: 300,
    purchaseDate: '2026-01-10',
    contract: { number: 'SC-1', startDate: '2026-01-10', endDate: '2027-01-09' },
    maintenanceCycleDays: 90,
  }),
  customerId: OWNER,
  lastMaintenance: null,
  unitSwaps: [],
  ...over,
});

const refusal = (reason: string, field?: string) =>
  expect.objectContaining(field ? { reason, field } : { reason });

describe('asset file lifecycle', () => {
  it('R-CU-7 records a higher reading with the old and new values, and a repeat changes nothing', () => {
    const c = recordReading(file(), { mileageKm: 15_000 })!;
    expect(c.kind).toBe('READING');
    expect(c.next.mileageKm).toBe(15_000);
    expect(c.next.runningHours).toBe(300);
    expect(c.oldValue).toEqual({ mileageKm: 12_000 });
    expect(c.newValue).toEqual({ mileageKm: 15_000 });
    expect(recordReading(c.next, { mileageKm: 15_000 })).toBeNull();
  });

  it('R-CU-7 refuses a reading going backwards without a reason, keeps it with one', () => {
    expect(() => recordReading(file(), { mileageKm: 11_000 })).toThrow(
      refusal('READING_BACKWARDS', 'reason'),
    );
    expect(() => recordReading(file(), { runningHours: 299 })).toThrow(
      refusal('READING_BACKWARDS'),
    );
    const c = recordReading(file(), { mileageKm: 800, reason: 'odometer replaced' })!;
    expect(c.next.mileageKm).toBe(800);
    expect(c.reason).toBe('odometer replaced');
  });

  it('R-CU-7 refuses an empty, negative or absurd reading', () => {
    expect(() => recordReading(file(), {})).toThrow(refusal('REQUIRED'));
    expect(() => recordReading(file(), { mileageKm: -1 })).toThrow(
      refusal('INVALID_NUMBER', 'mileageKm'),
    );
    expect(() => recordReading(file(), { runningHours: Number.NaN })).toThrow(
      refusal('INVALID_NUMBER', 'runningHours'),
    );
  });

  it('R-CU-7 a maintenance done moves the next maintenance due one cycle on', () => {
    const c = recordMaintenance(file(), { doneOn: '2026-05-01' }, '2026-05-02');
    expect(c.next.lastMaintenance).toBe('2026-05-01');
    expect(c.next.nextMaintenanceDue).toBe('2026-07-30');
    expect(c.oldValue).toEqual({ lastMaintenance: null, nextMaintenanceDue: '2026-04-10' });
  });

  it('R-CU-7 refuses a maintenance in the future or before the last one', () => {
    expect(() => recordMaintenance(file(), { doneOn: '2026-06-01' }, '2026-05-02')).toThrow(
      refusal('IN_FUTURE', 'doneOn'),
    );
    expect(() =>
      recordMaintenance(
        file({ lastMaintenance: '2026-04-01' }),
        { doneOn: '2026-03-01' },
        '2026-05-02',
      ),
    ).toThrow(refusal('MAINTENANCE_BEFORE_LAST', 'doneOn'));
  });

  it('R-CU-7 renews a contract keeping the earlier term in the history, extends the current one', () => {
    const renewed = renewContract(file(), {
      number: 'SC-2',
      startDate: '2027-01-10',
      endDate: '2028-01-09',
      reason: 'renewed at the counter',
    });
    expect(renewed.next.contract).toEqual({
      number: 'SC-2',
      kind: null,
      startDate: '2027-01-10',
      endDate: '2028-01-09',
    });
    expect(renewed.oldValue).toEqual({ contract: file().contract });
    const extended = extendContract(renewed.next, { endDate: '2028-06-30' });
    expect(extended.next.contract).toMatchObject({ number: 'SC-2', endDate: '2028-06-30' });
  });

  it('R-CU-7 refuses a renewal before the current term, an extension that is none, or of no contract', () => {
    expect(() =>
      renewContract(file(), { number: 'SC-2', startDate: '2026-01-10', endDate: '2027-01-09' }),
    ).toThrow(refusal('RENEWAL_BEFORE_CURRENT', 'startDate'));
    expect(() =>
      renewContract(file(), { number: 'SC-2', startDate: '2027-02-01', endDate: '2027-01-09' }),
    ).toThrow(refusal('END_BEFORE_START'));
    expect(() => extendContract(file(), { endDate: '2027-01-09' })).toThrow(
      refusal('END_NOT_LATER', 'endDate'),
    );
    expect(() => extendContract(file({ contract: null }), { endDate: '2030-01-01' })).toThrow(
      refusal('NO_CONTRACT'),
    );
  });

  it('R-CU-7 passes the asset to another customer with a reason; warranty and contract go with it', () => {
    const c = transferOwnership(file(), { newCustomerId: BUYER, reason: 'sold' });
    expect(c.next.customerId).toBe(BUYER);
    expect(c.next.contract).toEqual(file().contract);
    expect(c.oldValue).toEqual({ customerId: OWNER });
    expect(() => transferOwnership(file(), { newCustomerId: BUYER })).toThrow(
      refusal('REQUIRED', 'reason'),
    );
    expect(() => transferOwnership(file(), { newCustomerId: OWNER, reason: 'x' })).toThrow(
      refusal('SAME_OWNER', 'newCustomerId'),
    );
  });

  it('R-CU-7 keeps both serial numbers of a swapped unit on the file', () => {
    const c = swapUnit(
      file(),
      { module: 'terminal', oldSerialNumber: 'T-1', newSerialNumber: 'T-2' },
      '2026-05-02',
    );
    expect(c.next.unitSwaps).toEqual([
      {
        module: 'terminal',
        oldSerialNumber: 'T-1',
        newSerialNumber: 'T-2',
        swappedOn: '2026-05-02',
        workOrderId: null,
      },
    ]);
    expect(c.newValue).toMatchObject({ oldSerialNumber: 'T-1', newSerialNumber: 'T-2' });
    expect(() =>
      swapUnit(
        file(),
        { module: 'terminal', oldSerialNumber: 'T-1', newSerialNumber: 'T-1' },
        '2026-05-02',
      ),
    ).toThrow(refusal('SAME_SERIAL_NUMBER', 'newSerialNumber'));
    expect(() =>
      swapUnit(file(), { oldSerialNumber: 'T-1', newSerialNumber: 'T-2' }, '2026-05-02'),
    ).toThrow(refusal('REQUIRED', 'module'));
  });

  it('R-CU-7 an installation or commissioning starts the warranty for the set months, only once', () => {
    const bare = file({ warrantyStart: null, warrantyEnd: null, nextMaintenanceDue: null });
    const c = startWarranty(bare, { startDate: '2026-03-31' }, 12);
    expect(c.next.warrantyStart).toBe('2026-03-31');
    expect(c.next.warrantyEnd).toBe('2027-03-30');
    expect(c.next.nextMaintenanceDue).toBe('2026-06-29');
    expect(
      startWarranty(bare, { startDate: '2026-03-31', endDate: '2028-03-30' }, 12).next.warrantyEnd,
    ).toBe('2028-03-30');
    expect(() => startWarranty(c.next, { startDate: '2026-04-01' }, 12)).toThrow(
      refusal('WARRANTY_ALREADY_STARTED'),
    );
  });

  it('R-CU-7 a completed service report updates reading, swaps, maintenance and warranty in order', () => {
    const bare = file({ warrantyStart: null, warrantyEnd: null });
    const changes = changesFromService(
      bare,
      {
        mileageKm: 15_000.4,
        runningHours: 310,
        maintenanceDone: true,
        commissioned: true,
        unitSwaps: [{ module: 'terminal', oldSerialNumber: 'T-1', newSerialNumber: 'T-2' }],
      },
      {
        completedOn: '2026-05-02',
        workOrderId: WO,
        number: 'WO-20260502-0001',
        warrantyMonths: 24,
      },
    );
    expect(changes.map((c) => c.kind)).toEqual(['READING', 'UNIT_SWAP', 'MAINTENANCE', 'WARRANTY']);
    const last = changes.at(-1)!.next;
    expect(last).toMatchObject({
      mileageKm: 15_000,
      runningHours: 310,
      lastMaintenance: '2026-05-02',
      nextMaintenanceDue: '2026-07-31',
      warrantyStart: '2026-05-02',
      warrantyEnd: '2028-05-01',
    });
    expect(last.unitSwaps[0]).toMatchObject({ workOrderId: WO, swappedOn: '2026-05-02' });
    expect(changes.every((c) => c.reason === 'service report of WO-20260502-0001')).toBe(true);
  });

  it('R-CU-7 a service report never moves a reading backwards nor restarts a running warranty', () => {
    const changes = changesFromService(
      file({ warrantyStart: '2026-01-10', warrantyEnd: '2027-01-09' }),
      {
        mileageKm: 9_000,
        runningHours: 320,
        maintenanceDone: false,
        commissioned: true,
        unitSwaps: [],
      },
      { completedOn: '2026-05-02', workOrderId: WO, number: 'WO-1', warrantyMonths: 12 },
    );
    expect(changes).toHaveLength(1);
    expect(changes[0]!.newValue).toEqual({ runningHours: 320 });
  });
});
