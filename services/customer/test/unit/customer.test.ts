import { AppError } from '@aftercare/kit';
import { newCustomer, phonesOf, regionOf } from '../../src/domain/customer';
import { changeCustomer } from '../../src/domain/customer-update';
import { normaliseLandline, normaliseMobile } from '../../src/domain/values';

const valid = {
  kind: 'PERSON',
  name: '  Zhang Wei ',
  contacts: [{ name: 'Zhang Wei', mobile: '+86 138 0013 8000' }],
  addresses: [
    { region: { province: 'Zhejiang', city: 'Hangzhou', district: 'Xihu' }, line: '1 Wensan Road' },
  ],
};

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('customer domain', () => {
  it('R-CU-1 normalises a new customer: trimmed name, grade C by default, one primary contact and address', () => {
    const c = newCustomer(valid);
    expect(c.name).toBe('Zhang Wei');
    expect(c.grade).toBe('C');
    expect(c.status).toBe('ACTIVE');
    expect(c.contacts[0]).toMatchObject({ mobile: '13800138000', primary: true });
    expect(c.addresses[0]?.primary).toBe(true);
    expect(regionOf(c)).toEqual({ province: 'Zhejiang', city: 'Hangzhou', district: 'Xihu' });
    expect(phonesOf(c)).toEqual(['13800138000']);
  });

  it('R-CU-1 registers customers by region: an address with province and city is required', () => {
    expect(errorOf(() => newCustomer({ ...valid, addresses: [] }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'addresses',
    });
    expect(
      errorOf(() => newCustomer({ ...valid, addresses: [{ region: { province: 'Zhejiang' } }] })),
    ).toMatchObject({
      field: 'addresses.0.region.city',
      reason: 'REQUIRED',
    });
  });

  it('R-CU-1 refuses bad phones, unknown kinds and grades, and a contact nobody can call', () => {
    expect(
      errorOf(() => newCustomer({ ...valid, contacts: [{ name: 'x', mobile: '12345' }] })),
    ).toMatchObject({
      field: 'contacts.0.mobile',
      reason: 'INVALID_PHONE',
    });
    expect(errorOf(() => newCustomer({ ...valid, contacts: [{ name: 'x' }] }))).toMatchObject({
      reason: 'CONTACT_UNREACHABLE',
    });
    expect(errorOf(() => newCustomer({ ...valid, kind: 'ALIEN' }))).toMatchObject({
      field: 'kind',
      reason: 'INVALID_VALUE',
    });
    expect(errorOf(() => newCustomer({ ...valid, grade: 'E' }))).toMatchObject({ field: 'grade' });
    expect(errorOf(() => newCustomer({ ...valid, name: '   ' }))).toMatchObject({
      field: 'name',
      reason: 'REQUIRED',
    });
    expect(
      errorOf(() =>
        newCustomer({
          ...valid,
          contacts: [
            { name: 'a', mobile: '13800138000', primary: true },
            { name: 'b', mobile: '13900139000', primary: true },
          ],
        }),
      ),
    ).toMatchObject({ reason: 'SEVERAL_PRIMARY' });
  });

  it('normalises phone numbers so the same number is found however it was typed', () => {
    expect(normaliseMobile('138-0013-8000', 'm')).toBe('13800138000');
    expect(normaliseMobile('0086 13800138000', 'm')).toBe('13800138000');
    expect(normaliseLandline('0571 8888 6666', 'p')).toBe('0571-88886666');
    expect(normaliseLandline('010-12345678 ext. 12', 'p')).toBe('010-12345678-12');
    expect(() => normaliseLandline('12345678', 'p')).toThrow(AppError);
  });

  it('R-CU-1 records changes of phone, address and responsible person as history, with a reason', () => {
    const current = newCustomer({ ...valid, responsibleStaffId: 'u-1' });
    const update = changeCustomer(current, {
      contacts: [{ name: 'Zhang Wei', mobile: '13900139000' }],
      responsibleStaffId: 'u-2',
      reason: 'customer moved to a new number',
    });
    expect(update.changes.map((c) => c.field)).toEqual(['contacts', 'responsibleStaffId']);
    expect(update.changes[1]).toMatchObject({ oldValue: 'u-1', newValue: 'u-2' });
    expect(update.details.contacts[0]?.mobile).toBe('13900139000');
    expect(errorOf(() => changeCustomer(current, { responsibleStaffId: 'u-3' }))).toMatchObject({
      field: 'reason',
      reason: 'REASON_REQUIRED',
    });
  });

  it('R-CU-1 a change to the same values records nothing', () => {
    const current = newCustomer(valid);
    expect(
      changeCustomer(current, { name: 'Zhang Wei', contacts: valid.contacts, reason: 'x' }).changes,
    ).toEqual([]);
  });
});
