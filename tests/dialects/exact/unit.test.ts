/**
 * Pure parts of the Exact dialect: credential parsing, issue ordering, list queries, the update
 * planner and the canonical ↔ wire translation, and the dialect object's tenant hooks.
 */
import { accountMatches, keyFromAuthorization } from '../../../adapters/exact/auth';
import { exactCountryToAlpha2 } from '../../../adapters/exact/countries';
import { exact } from '../../../adapters/exact';
import { canonicalSort, parsePaging, parseSort } from '../../../adapters/exact/query';
import { sortIssuesByBodyOrder } from '../../../adapters/exact/schemas';
import { addressToWire, billingToWire, customerName, customerToWire, nameWrite, paymentMethodToWire } from '../../../adapters/exact/translate';
import { planCustomerUpdate } from '../../../adapters/exact/update';
import { EMPTY_BILLING, type Address, type CustomerAggregate, type PaymentMethod } from '../../../core/model';

describe('exact credentials', () => {
  it.each([
    ['abc', 'abc'],
    ['  abc  ', 'abc'],
    ['Bearer abc', 'abc'],
    ['bEaReR\tabc ', 'abc'],
    ['Bearerabc', 'Bearerabc'],
    ['Bearer ', null],
    ['', null],
    ['   ', null],
  ])('reads %j as %j', (header, key) => {
    expect(keyFromAuthorization(header)).toBe(key);
  });

  it('reads no key from an absent or repeated header', () => {
    expect(keyFromAuthorization(undefined)).toBeNull();
    expect(keyFromAuthorization(['a', 'b'])).toBeNull();
  });

  it('matches account ids without regard to case and never matches malformed ones', () => {
    expect(accountMatches('6151FFDBEFD963001C6C9D2D', '6151ffdbefd963001c6c9d2d')).toBe(true);
    expect(accountMatches('6151ffdbefd963001c6c9d2e', '6151ffdbefd963001c6c9d2d')).toBe(false);
    expect(accountMatches('abc', 'abc')).toBe(false);
    expect(accountMatches('6151ffdbefd963001c6c9d2d', undefined)).toBe(false);
  });
});

describe('exact countries', () => {
  it.each([
    ['USA', 'US'],
    ['us', 'US'],
    ['Canada', 'CA'],
    ['united kingdom', 'GB'],
    ['Czech Republic', 'CZ'],
    ['840', null],
    ['', null],
    [' USA', null],
    ['Atlantis', null],
  ])('reads %j as %j', (input, alpha2) => {
    expect(exactCountryToAlpha2(input)).toBe(alpha2);
  });
});

describe('exact issue ordering', () => {
  it('sorts issues by where their value sits in the body; missing members after their parent\'s contents', () => {
    const body = { b: 1, a: { y: 2, x: 3 }, c: [{ q: 1 }] };
    const sorted = sortIssuesByBodyOrder(
      [
        { field: 'missing', type: 'invalid_type', details: ['Required'] },
        { field: 'c.0.q', type: 'invalid_type', details: [] },
        { field: 'a.x', type: 'invalid_type', details: [] },
        { field: 'a.z', type: 'invalid_type', details: ['Required'] },
        { field: 'a.y', type: 'invalid_type', details: [] },
        { field: 'b', type: 'invalid_type', details: [] },
      ],
      body,
    );
    expect(sorted.map((issue) => issue.field)).toEqual(['b', 'a.y', 'a.x', 'a.z', 'c.0.q', 'missing']);
  });
});

describe('exact list queries', () => {
  it('defaults, caps and refuses paging values', () => {
    expect(parsePaging({})).toEqual({ ok: true, value: { limit: 100, skip: 0 } });
    expect(parsePaging({ $limit: '5000', $skip: '3' })).toEqual({ ok: true, value: { limit: 1000, skip: 3 } });
    expect(parsePaging({ $limit: '0' })).toEqual({ ok: true, value: { limit: 0, skip: 0 } });
    const bad = parsePaging({ $limit: ['1', '2'], $skip: '-1' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues.map((issue) => [issue.field, issue.type])).toEqual([['$limit', 'invalid_type'], ['$skip', 'too_small']]);
  });

  it('reads every $sort form and ignores unknown fields', () => {
    expect(parseSort({ $sort: 'name:asc,createdAt:desc' })).toEqual([{ field: 'name', dir: 'asc' }, { field: 'createdAt', dir: 'desc' }]);
    expect(parseSort({ $sort: 'name -createdAt' })).toEqual([{ field: 'name', dir: 'asc' }, { field: 'createdAt', dir: 'desc' }]);
    expect(parseSort({ $sort: '-email,bogus' })).toEqual([{ field: 'email', dir: 'desc' }]);
    expect(parseSort({ $sort: { createdAt: '-1', phone: 'ascending', nope: '1' } })).toEqual([{ field: 'createdAt', dir: 'desc' }, { field: 'phone', dir: 'asc' }]);
    expect(parseSort({ '$sort[updatedAt]': 'desc' })).toEqual([{ field: 'updatedAt', dir: 'desc' }]);
    expect(parseSort({ $sort: 'name:sideways' })).toEqual([]);
  });

  it('sorts by createdAt by default and always ends with the id', () => {
    expect(canonicalSort([])).toEqual([{ field: 'createdAt', dir: 'asc' }, { field: 'objectId', dir: 'asc' }]);
    expect(canonicalSort([{ field: 'id', dir: 'desc' }])).toEqual([{ field: 'objectId', dir: 'desc' }]);
  });
});

const NOW = Date.UTC(2024, 0, 2, 3, 4, 5, 678);

function address(seq: number, fields: Partial<Address>): Address {
  return {
    seq,
    id: `00000000-0000-4000-8000-00000000000${seq}`,
    objectId: '0'.repeat(23) + seq,
    customerSeq: 1,
    hash: 'h',
    createdAt: NOW,
    updatedAt: NOW,
    deletedAt: null,
    label: null,
    givenName: null,
    familyName: null,
    company: null,
    line1: null,
    line2: null,
    city: null,
    state: null,
    postalCode: null,
    postalCodeExt: null,
    country: null,
    countryName: null,
    countryCode: null,
    emails: [],
    phone: null,
    fax: null,
    isDefault: false,
    ...fields,
  };
}

function customer(fields: Partial<CustomerAggregate> = {}): CustomerAggregate {
  return {
    seq: 1,
    id: 'B01F1ADC-F69B-4D94-8098-45DC9C91140A',
    objectId: '64AF91C20674C4D267779E55',
    tenantId: 't',
    vaultId: 'v',
    givenName: 'Mary Ann',
    familyName: 'Smith',
    company: 'Acme',
    email: null,
    phone: null,
    description: null,
    notes: 'kept',
    reference: null,
    integratorId: null,
    flags: [],
    customFields: null,
    extensions: {},
    defaultBillingAddressSeq: null,
    defaultShippingAddressSeq: null,
    defaultPaymentMethodSeq: null,
    createdAt: NOW,
    updatedAt: NOW,
    deletedAt: null,
    purgedAt: null,
    addresses: [],
    paymentMethods: [],
    ...fields,
  };
}

describe('exact customer translation', () => {
  it('composes the name, lower-cases ids, omits unset members and shows addresses in alpha-3', () => {
    const wire = customerToWire(
      customer({ addresses: [address(7, { label: 'Home', line1: '1 Main', postalCode: '85201', postalCodeExt: '1234', country: 'US', countryName: 'United States', givenName: 'Ship', isDefault: false })] }),
    );
    expect(wire).toEqual({
      id: '64af91c20674c4d267779e55',
      token: 'b01f1adc-f69b-4d94-8098-45dc9c91140a',
      createdAt: '2024-01-02T03:04:05.678Z',
      updatedAt: '2024-01-02T03:04:05.678Z',
      name: 'Mary Ann Smith',
      addresses: [{ label: 'Home', line1: '1 Main', postalCode: '85201-1234', country: 'USA' }],
    });
    expect(customerToWire(customer({ givenName: null, familyName: null })).name).toBe('Acme');
    expect(customerToWire(customer({ givenName: null, familyName: null, company: null })).name).toBe('');
  });

  it('shows an address without a label (written elsewhere) without one', () => {
    expect(addressToWire(address(1, { city: 'Mesa', isDefault: true }))).toEqual({ city: 'Mesa', isDefault: true });
  });
});

describe('exact names', () => {
  it('keeps the sent name only when splitting would not give it back, carrying other extensions over', () => {
    expect(nameWrite('John Doe', { maast: { developer_id: 'x' } })).toEqual({ givenName: 'John', familyName: 'Doe', extensions: { maast: { developer_id: 'x' } } });
    expect(nameWrite(' John  Doe', {})).toEqual({ givenName: 'John', familyName: 'Doe', extensions: { exact: { name: ' John  Doe' } } });
    expect(nameWrite('Jane', { exact: { name: 'old' } })).toEqual({ givenName: 'Jane', familyName: null, extensions: {} });
  });

  it('shows the kept name while the canonical names are still its split, the composed name after another dialect changed them', () => {
    const kept = { givenName: 'John', familyName: 'Doe', company: null, extensions: { exact: { name: 'John   Doe' } } };
    expect(customerName(kept)).toBe('John   Doe');
    expect(customerName({ ...kept, givenName: 'Jon' })).toBe('Jon Doe');
  });
});

describe('exact update planning', () => {
  const stored = customer({
    addresses: [address(1, { label: 'Work', city: 'A', givenName: 'Kept', phone: '555' }), address(2, { label: 'Home', city: 'B', postalCode: '85201', postalCodeExt: '1234', country: 'US', countryName: 'USA!' })],
  });

  it('changes nothing when the name read is sent back, even when splitting it would cut it differently', () => {
    const plan = planCustomerUpdate(stored, { name: 'Mary Ann Smith' });
    expect(plan.ok && plan.value.customer).toEqual({});
  });

  it('splits a new name into given and family names, never touching the company', () => {
    const plan = planCustomerUpdate(stored, { name: 'John Doe' });
    expect(plan.ok && plan.value.customer).toEqual({ givenName: 'John', familyName: 'Doe' });
  });

  it('updates addresses in place, keeping what Exact cannot express, deleting and adding the rest', () => {
    const plan = planCustomerUpdate(stored, { replaceAddresses: [{ label: 'Work', city: 'A2' }] });
    expect(plan.ok && plan.value).toEqual({ customer: {}, updateAddresses: [{ seq: 1, patch: { city: 'A2' } }], deleteAddressSeqs: [2], addAddresses: [] });
    const grow = planCustomerUpdate(stored, {
      replaceAddresses: [
        { label: 'Work', city: 'A' },
        { label: 'Home', city: 'B', postalCode: '85201-1234', country: 'USA' },
        { label: 'New' },
      ],
    });
    expect(grow.ok && grow.value).toEqual({
      customer: {},
      updateAddresses: [],
      deleteAddressSeqs: [],
      addAddresses: [{ label: 'New', line1: null, line2: null, city: null, state: null, postalCode: null, country: null, isDefault: false }],
    });
  });

  it('clears the ZIP+4 extension and the free-text country when the postal code or country changes', () => {
    const plan = planCustomerUpdate(stored, { replaceAddresses: [{ label: 'Work', city: 'A' }, { label: 'Home', city: 'B', postalCode: '85202', country: 'CAN' }] });
    expect(plan.ok && plan.value.updateAddresses).toEqual([{ seq: 2, patch: { postalCode: '85202', postalCodeExt: null, country: 'CA', countryName: null, countryCode: null } }]);
  });

  it('pulls by exact label and checks the 50-address limit on push', () => {
    const pull = planCustomerUpdate(stored, { pullLabel: 'Home' });
    expect(pull.ok && pull.value.deleteAddressSeqs).toEqual([2]);
    const push = planCustomerUpdate(stored, { pushAddresses: Array.from({ length: 49 }, () => ({ label: 'x' })) });
    expect(push.ok).toBe(false);
  });
});

function paymentMethod(fields: Partial<PaymentMethod> = {}): PaymentMethod {
  return {
    seq: 3,
    id: '5a9e9824-4528-407a-87f3-68a2c68ba719',
    objectId: 'x',
    tenantId: 't',
    vaultRef: 'r',
    customerSeq: null,
    kind: 'card',
    brand: 'unionpay',
    bin: '620000',
    last4: '0005',
    numberLength: 16,
    expMonth: 9,
    expYear: 2029,
    routingNumber: null,
    accountType: null,
    holderType: null,
    secCode: null,
    bankName: null,
    billing: { ...EMPTY_BILLING },
    label: 'Old label',
    flags: [],
    verifiedAt: null,
    cvcProvided: false,
    source: 'direct',
    attachedAt: null,
    singleUseToken: null,
    tokenExpiresAt: null,
    extensions: {},
    createdAt: NOW,
    updatedAt: NOW,
    deletedAt: null,
    purgedAt: null,
    ...fields,
  };
}

describe('exact payment-method translation', () => {
  it('writes UnionPay as "union pay", shows label and isDefault only while attached, and omits an empty address', () => {
    expect(paymentMethodToWire(paymentMethod(), { attached: false, isDefault: false })).toEqual({
      type: 'card',
      token: '5a9e9824-4528-407a-87f3-68a2c68ba719',
      createdAt: '2024-01-02T03:04:05.678Z',
      updatedAt: '2024-01-02T03:04:05.678Z',
      billingDetails: { name: '' },
      card: { brand: 'union pay', lastFour: '0005', checks: { cvcCheck: 'not-verified', addressCheck: 'not-verified' }, expiry: { month: 9, year: 2029 }, tokenType: 'platform' },
    });
    const attached = paymentMethodToWire(paymentMethod(), { attached: true, isDefault: true });
    expect(attached).toMatchObject({ label: 'Old label', isDefault: true });
  });

  it('omits a brand Exact has no name for', () => {
    expect(paymentMethodToWire(paymentMethod({ brand: 'unknown' }), { attached: false, isDefault: false }).card?.brand).toBeUndefined();
  });

  it('maps billing names, the first email, ACH business name and a partial address', () => {
    const billing = { ...EMPTY_BILLING, givenName: 'Steve', familyName: 'Tack', company: 'Tack Co', emails: ['a@b.co', 'c@d.co'], city: 'Knoxville', country: 'US' };
    expect(billingToWire(billing, 'ach')).toEqual({ name: 'Steve Tack', email: 'a@b.co', businessName: 'Tack Co', address: { city: 'Knoxville', country: 'USA' } });
    expect(billingToWire({ ...billing, givenName: null, familyName: null }, 'card')).toEqual({ name: 'Tack Co', email: 'a@b.co', address: { city: 'Knoxville', country: 'USA' } });
  });
});

describe('exact dialect object', () => {
  it('issues one secret key of 32 lowercase hex characters derived from the random input', () => {
    expect(exact.keys).toHaveLength(1);
    const [spec] = exact.keys;
    expect(spec).toMatchObject({ kind: 'secret', label: 'exact' });
    const a = spec.format('A'.repeat(32));
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(spec.format('A'.repeat(32))).toBe(a);
    expect(spec.format('B'.repeat(32))).not.toBe(a);
  });

  it('gives each tenant a 24-hex account id, or takes a valid chosen one', () => {
    const first = exact.initialSettings({});
    const second = exact.initialSettings({});
    expect(first).toEqual({ enabled: true, accountId: expect.stringMatching(/^[0-9a-f]{24}$/) });
    expect(first.accountId).not.toBe(second.accountId);
    expect(exact.initialSettings({ accountId: '6151FFDBEFD963001C6C9D2D' }).accountId).toBe('6151ffdbefd963001c6c9d2d');
    expect(() => exact.initialSettings({ accountId: 'nope' })).toThrow(/24 hexadecimal/);
    expect(exact.describeTenant?.(first)).toEqual({ exactAccountId: first.accountId });
  });

  it('is served only under its own base path and prints a list-customers curl', () => {
    expect(exact.rootPrefixes).toEqual([]);
    const curl = exact.exampleCurl('http://localhost:8080/', { exact: 'k'.repeat(32) }, { enabled: true, accountId: 'a' });
    expect(curl).toBe(`curl -s 'http://localhost:8080/exact/customer?$limit=10' -H 'Authorization: ${'k'.repeat(32)}'`);
  });
});
