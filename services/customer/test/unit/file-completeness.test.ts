import {
  type CustomerFileFacts,
  FILE_ITEMS,
  fileDueAt,
  fileStatus,
  fileVerdict,
  missingFileItems,
} from '../../src/domain/file-completeness';

const complete: CustomerFileFacts = {
  contacts: [{ mobile: '13500001111', phone: null }],
  addresses: [{ region: { province: 'Zhejiang', city: 'Hangzhou', district: 'Xihu' } }],
  responsibleStaffId: 'advisor-1',
  assetCount: 1,
  documentKinds: ['INVOICE_COPY', 'ID_COPY'],
};
const empty: CustomerFileFacts = {
  contacts: [],
  addresses: [],
  responsibleStaffId: null,
  assetCount: 0,
  documentKinds: [],
};
const at = (iso: string) => new Date(iso);

describe('R-CU-6 what a complete customer file holds', () => {
  it('R-CU-6 a file with contact, full address, responsible advisor, asset and ID copy lacks nothing', () => {
    expect(missingFileItems(complete)).toEqual([]);
  });

  it('R-CU-6 an empty file lacks every item, in a stable order', () => {
    expect(missingFileItems(empty)).toEqual([...FILE_ITEMS]);
  });

  it('R-CU-6 an address without its district, or a contact without a number, does not count', () => {
    expect(
      missingFileItems({
        ...complete,
        contacts: [{ mobile: null, phone: null }],
        addresses: [{ region: { province: 'Zhejiang', city: 'Hangzhou', district: null } }],
      }),
    ).toEqual(['CONTACT', 'ADDRESS']);
  });

  it('R-CU-6 other archive documents do not stand in for the ID copy', () => {
    expect(missingFileItems({ ...complete, documentKinds: ['LICENCE_COPY', 'OTHER'] })).toEqual([
      'ID_COPY',
    ]);
  });
});

describe('R-CU-6 deadline and status', () => {
  const visit = at('2026-12-04T09:00:00Z');
  const dueAt = fileDueAt(visit, 2);

  it('R-CU-6 the file is due 2 calendar days after the first visit, weekends included', () => {
    // A Friday visit is due on Sunday: R-CU-6 counts days, not working days.
    expect(dueAt).toEqual(at('2026-12-06T09:00:00Z'));
    expect(fileDueAt(visit, 3)).toEqual(at('2026-12-07T09:00:00Z'));
  });

  const open = { dueAt, completedAt: null, reportedAt: null };
  const before = at('2026-12-06T08:59:59Z');
  const after = at('2026-12-06T09:00:01Z');

  it('R-CU-6 incomplete before the deadline is open and waits; after it, late and reported', () => {
    expect(fileStatus(open, ['ID_COPY'], before)).toBe('OPEN');
    expect(fileVerdict(open, ['ID_COPY'], before)).toBe('WAIT');
    expect(fileStatus(open, ['ID_COPY'], after)).toBe('LATE');
    expect(fileVerdict(open, ['ID_COPY'], after)).toBe('REPORT');
  });

  it('R-CU-6 a late file is reported once: once reported it stays late and waits', () => {
    const reported = { ...open, reportedAt: after };
    expect(fileVerdict(reported, ['ID_COPY'], at('2026-12-08T00:00:00Z'))).toBe('WAIT');
    expect(fileStatus(reported, ['ID_COPY'], at('2026-12-08T00:00:00Z'))).toBe('LATE');
  });

  it('R-CU-6 a complete file is closed, never reported, even past the deadline', () => {
    expect(fileVerdict(open, [], after)).toBe('CLOSE');
    expect(fileStatus(open, [], after)).toBe('COMPLETE');
    expect(fileStatus({ ...open, completedAt: before }, ['ID_COPY'], after)).toBe('COMPLETE');
  });

  it('R-CU-6 before the first visit no clock runs: an incomplete file is open, never reported', () => {
    const noVisit = { dueAt: null, completedAt: null, reportedAt: null };
    expect(fileStatus(noVisit, ['ASSET'], after)).toBe('OPEN');
    expect(fileVerdict(noVisit, ['ASSET'], after)).toBe('WAIT');
  });
});
