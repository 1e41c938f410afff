/**
 * Pure checks of the Stax validators and translators: the contract's messages (§7.6) in its
 * order of rules (§7.5), custom-field conversion (§8.6), the wire shapes (§4.1, §4.9) and the
 * paginator's URLs (§4.3). The HTTP behaviour is covered by the other files in this folder.
 */
import { bearerKey } from '../../../adapters/stax/auth';
import { customerQueryFrom, pageUrl, paginate, parseListParams } from '../../../adapters/stax/list';
import { checkOptions, convertCustomFieldValue, isStaxDate, joinOptions, splitOptions } from '../../../adapters/stax/options';
import {
  customerPatchFrom,
  defaultAddress,
  generatedNickname,
  gravatar,
  newCustomerFrom,
  staxTimestamp,
  toStaxCustomer,
  toStaxPaymentMethod,
} from '../../../adapters/stax/translate';
import { createValidators, parseCardExp } from '../../../adapters/stax/validate';
import type { Address, CustomerAggregate, PaymentMethod } from '../../../core/model';
import { EMPTY_BILLING } from '../../../core/model';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const validators = createValidators();

function customerErrors(body: Record<string, unknown>): Record<string, string[]> {
  const outcome = validators.customer(body, null);
  if (outcome.ok) throw new Error('expected a failure');
  return outcome.errors;
}

describe('customer validation (S1, §7.1, §7.6)', () => {
  it('requires one of firstname, lastname, email or company, reported on firstname', () => {
    expect(customerErrors({ phone: '1234567898' })).toEqual({ firstname: ['At least one of firstname, lastname, email or company is required.'] });
    expect(customerErrors({ firstname: '   ', email: null })).toEqual({ firstname: ['At least one of firstname, lastname, email or company is required.'] });
    for (const key of ['firstname', 'lastname', 'email', 'company']) {
      const value = key === 'email' ? 'a@b.co' : 'x';
      expect(validators.customer({ [key]: value }, null).ok).toBe(true);
    }
  });

  it('checks the at-least-one rule on the resulting record for an update', () => {
    const current = { firstname: 'Ann', lastname: '', email: '', company: '' };
    expect(validators.customer({ lastname: 'X' }, current).ok).toBe(true);
    const outcome = validators.customer({ firstname: '' }, current);
    expect(outcome.ok).toBe(false);
  });

  it('reports every failing field at once, each with its first rule', () => {
    expect(
      customerErrors({
        firstname: 'x'.repeat(51),
        email: 'not-an-email',
        address_country: 'US',
        phone: '123',
        cc_emails: ['ok@example.com', 'bad'],
        cc_sms: 'nope',
        notes: 5,
        allow_invoice_credit_card_payments: 'yes',
        address_state: 'FLA',
      }),
    ).toEqual({
      firstname: ['The firstname may not be greater than 50 characters.'],
      email: ['The email must be a valid email address.'],
      address_country: ['The address country must be a 3-letter ISO 3166-1 alpha-3 code.'],
      phone: ['The phone format is invalid.'],
      'cc_emails.1': ['The cc_emails.1 must be a valid email address.'],
      cc_sms: ['The cc sms must be an array.'],
      notes: ['The notes must be a string.'],
      allow_invoice_credit_card_payments: ['The allow invoice credit card payments field must be true or false.'],
      address_state: ['The address state may not be greater than 2 characters.'],
    });
  });

  it('accepts assigned alpha-3 codes in any case and rejects unassigned codes, alpha-2 and names', () => {
    for (const code of ['USA', 'can', 'Gbr']) expect(validators.customer({ firstname: 'a', address_country: code }, null).ok).toBe(true);
    for (const code of ['XYZ', 'US', 'United States', 'U5A']) {
      expect(customerErrors({ firstname: 'a', address_country: code })).toEqual({ address_country: ['The address country must be a 3-letter ISO 3166-1 alpha-3 code.'] });
    }
  });

  it('prefers the format message over the length message for an email (§7.5)', () => {
    const long = 'a'.repeat(250) + '@example.com';
    expect(customerErrors({ email: long })).toEqual({ email: ['The email may not be greater than 255 characters.'] });
    expect(customerErrors({ email: 'a b'.repeat(200) })).toEqual({ email: ['The email must be a valid email address.'] });
  });

  it('does not accept numbers where strings are expected', () => {
    expect(customerErrors({ firstname: 12, lastname: 'Smith' })).toEqual({ firstname: ['The firstname must be a string.'] });
    // With nothing else given, the at-least-one rule (a "required" rule) comes first (§7.5).
    expect(customerErrors({ firstname: 12 })).toEqual({ firstname: ['At least one of firstname, lastname, email or company is required.'] });
  });

  it('limits cc lists to 10 entries and checks each phone', () => {
    expect(customerErrors({ firstname: 'a', cc_emails: Array.from({ length: 11 }, (_, i) => `a${i}@b.co`) })).toEqual({
      cc_emails: ['The cc emails may not have more than 10 items.'],
    });
    expect(customerErrors({ firstname: 'a', cc_sms: ['+1 (407) 555-0123', '12'] })).toEqual({ 'cc_sms.1': ['The cc_sms.1 format is invalid.'] });
  });

  it('trims strings, stores null/"" as "" and notes as null, upper-cases the country', () => {
    const outcome = validators.customer({ firstname: '  John ', lastname: null, notes: '', address_country: 'usa', phone: ' 407.555.0123 ' }, null);
    expect(outcome).toEqual({
      ok: true,
      value: { firstname: 'John', lastname: '', notes: null, address: { address_country: 'USA' }, phone: '407.555.0123' },
    });
  });

  it('accepts the documented boolean-like forms of allow_invoice_credit_card_payments', () => {
    for (const [input, expected] of [[true, true], [0, false], ['1', true], ['false', false]] as const) {
      const outcome = validators.customer({ firstname: 'a', allow_invoice_credit_card_payments: input }, null);
      expect(outcome.ok && outcome.value.allow_invoice_credit_card_payments).toBe(expected);
    }
  });
});

describe('custom fields in options (§8.6)', () => {
  it('stores every value as a string by its declared type', () => {
    const outcome = checkOptions({
      custom_fields: [
        { name: 'Client ID', type: 'text', value: 'A-1001' },
        { name: 'Seats', type: 'number', value: 12 },
        { name: 'Renewal', type: 'date', value: '2025-06-30' },
        { name: 'VIP', type: 'boolean', value: true },
        { name: 'Rate', type: 'text', value: 12.5 },
        { name: 'Empty', type: 'number', value: null },
        { name: 'Missing', type: 'date', color: 'red' },
      ],
    });
    expect(outcome).toEqual({
      ok: true,
      options: {
        custom_fields: [
          { name: 'Client ID', type: 'text', value: 'A-1001' },
          { name: 'Seats', type: 'number', value: '12' },
          { name: 'Renewal', type: 'date', value: '2025-06-30' },
          { name: 'VIP', type: 'boolean', value: 'true' },
          { name: 'Rate', type: 'text', value: '12.5' },
          { name: 'Empty', type: 'number', value: '' },
          { name: 'Missing', type: 'date', color: 'red', value: '' },
        ],
      },
    });
  });

  it('gives the documented message for a misfit at its index', () => {
    expect(checkOptions({ custom_fields: [{ name: 'Seats', type: 'number', value: 'abc' }] })).toEqual({
      ok: false,
      issues: [{ path: 'options.custom_fields.0.value', rank: 2, message: 'The options.custom_fields.0.value must be a number.' }],
    });
    const messages = (options: unknown) => {
      const outcome = checkOptions(options);
      return outcome.ok ? [] : outcome.issues.map((issue) => [issue.path, issue.message]);
    };
    expect(
      messages({
        custom_fields: [
          { name: 'a', type: 'date', value: '2025-02-30' },
          { name: 'b', type: 'boolean', value: 'yes' },
          { name: 'c', type: 'text', value: { x: 1 } },
          { type: 'text', value: 'x' },
          { name: 'e', type: 'colour', value: 'x' },
          'string',
        ],
      }),
    ).toEqual([
      ['options.custom_fields.0.value', 'The options.custom_fields.0.value is not a valid date.'],
      ['options.custom_fields.1.value', 'The options.custom_fields.1.value field must be true or false.'],
      ['options.custom_fields.2.value', 'The options.custom_fields.2.value must be a string.'],
      ['options.custom_fields.3.name', 'The options.custom_fields.3.name field is required.'],
      ['options.custom_fields.4.type', 'The selected options.custom_fields.4.type is invalid.'],
      ['options.custom_fields.5', 'The options.custom_fields.5 must be an object.'],
    ]);
    expect(messages([1])).toEqual([['options', 'The options must be an object.']]);
    expect(messages({ custom_fields: {} })).toEqual([['options.custom_fields', 'The options.custom_fields must be an array.']]);
    expect(messages({ blob: 'x'.repeat(70000) })).toEqual([['options', 'The options may not be greater than 65536 characters.']]);
  });

  it('reads "" as null and keeps other keys in order', () => {
    expect(checkOptions('')).toEqual({ ok: true, options: null });
    const split = splitOptions({ theme: 'dark', custom_fields: [{ name: 'a', type: 'text', value: 'b' }], z: 1 });
    expect(split.rest).toEqual({ theme: 'dark', custom_fields: null, z: 1 });
    expect(JSON.stringify(joinOptions(split.rest, split.customFields))).toBe('{"theme":"dark","custom_fields":[{"name":"a","type":"text","value":"b"}],"z":1}');
    expect(joinOptions(undefined, null)).toBeNull();
    expect(joinOptions(undefined, [{ name: 'n', type: 'text', value: 'v' }])).toEqual({ custom_fields: [{ name: 'n', type: 'text', value: 'v' }] });
  });

  it('recognises dates and converts booleans in any case', () => {
    expect(isStaxDate('2024-02-29')).toBe(true);
    expect(isStaxDate('2023-02-29')).toBe(false);
    expect(isStaxDate('2024-05-10T19:29:49Z')).toBe(true);
    expect(isStaxDate('10/05/2024')).toBe(false);
    expect(convertCustomFieldValue('boolean', 'TRUE')).toEqual({ ok: true, value: 'true' });
    expect(convertCustomFieldValue('boolean', 0)).toEqual({ ok: true, value: 'false' });
    expect(convertCustomFieldValue('number', ' -3.25 ')).toEqual({ ok: true, value: '-3.25' });
  });
});

describe('payment-method validation (S8, S10, §7.4)', () => {
  const card = { method: 'card', customer_id: '35e4cfa9-d87e-45fc-84da-a6bdce2c3330', card_number: '4111111111111111', card_exp: '0429' };

  it('accepts the documented card and bank examples', () => {
    const outcome = validators.paymentMethodCreate({ ...card, person_name: 'Steven Smith', card_cvv: '123', address_zip: '32944' }, NOW);
    expect(outcome.ok && outcome.value.card).toEqual({ pan: '4111111111111111', brand: 'visa', expMonth: 4, expYear: 2029, cvcProvided: true });
    const bank = validators.paymentMethodCreate(
      {
        method: 'bank',
        customer_id: card.customer_id,
        bank_account: '9876543456',
        bank_routing: '021000021',
        bank_name: 'First National Bank',
        bank_type: 'checking',
        bank_holder_type: 'personal',
        address_country: 'USA',
      },
      NOW,
    );
    expect(bank.ok && bank.value.bank).toEqual({ accountNumber: '9876543456', routingNumber: '021000021', bankName: 'First National Bank', accountType: 'checking', holderType: 'personal' });
  });

  function createErrors(body: Record<string, unknown>): Record<string, string[]> {
    const outcome = validators.paymentMethodCreate(body, NOW);
    if (outcome.ok) throw new Error('expected a failure');
    return outcome.errors.toJSON();
  }

  it('names every missing field with the contract messages', () => {
    expect(createErrors({})).toEqual({ method: ['The method field is required.'], customer_id: ['The customer id field is required.'] });
    expect(createErrors({ method: 'card', customer_id: 'x' })).toEqual({
      card_number: ['The card number field is required when method is card.'],
      card_exp: ['The card exp field is required when method is card.'],
    });
    expect(createErrors({ method: 'bank', customer_id: 'x' })).toEqual({
      bank_account: ['The bank account field is required when method is bank.'],
      bank_routing: ['The bank routing field is required when method is bank.'],
      bank_type: ['The bank type field is required when method is bank.'],
      bank_holder_type: ['The bank holder type field is required when method is bank.'],
    });
    expect(createErrors({ method: 'cash', customer_id: 'x' })).toEqual({ method: ['The selected method is invalid.'] });
  });

  it('checks card number, brand, expiry and cvv', () => {
    expect(createErrors({ ...card, card_number: '4111111111111112' })).toEqual({ card_number: ['Invalid Card Number'] });
    expect(createErrors({ ...card, card_number: '1234567812345670' })).toEqual({ card_number: ['Card type is invalid'] });
    expect(createErrors({ ...card, card_exp: '1329' })).toEqual({ card_exp: ['The card exp format is invalid.'] });
    expect(createErrors({ ...card, card_exp: '10/2026' })).toEqual({ card_exp: ['The card is expired.'] });
    expect(createErrors({ ...card, card_cvv: '12' })).toEqual({ card_cvv: ['The card cvv format is invalid.'] });
    expect(validators.paymentMethodCreate({ ...card, card_exp: '11/2026' }, NOW).ok).toBe(true);
  });

  it('checks bank formats and ignores the other method’s fields', () => {
    const bank = { method: 'bank', customer_id: 'x', bank_account: '12', bank_routing: '021000022', bank_type: 'loan', bank_holder_type: 'personal', card_number: 'junk' };
    expect(createErrors(bank)).toEqual({
      bank_account: ['The bank account format is invalid.'],
      bank_routing: ['The bank routing is invalid.'],
      bank_type: ['The selected bank type is invalid.'],
    });
    expect(validators.paymentMethodCreate({ ...card, bank_account: 'junk', bank_type: 'loan' }, NOW).ok).toBe(true);
  });

  it('parses the four expiry forms', () => {
    expect(parseCardExp('0429')).toEqual({ month: 4, year: 2029 });
    expect(parseCardExp('042029')).toEqual({ month: 4, year: 2029 });
    expect(parseCardExp('04/29')).toEqual({ month: 4, year: 2029 });
    expect(parseCardExp('04/2029')).toEqual({ month: 4, year: 2029 });
    expect(parseCardExp('4/29')).toBeNull();
    expect(parseCardExp('0029')).toBeNull();
  });

  it('only lets the S10 fields change', () => {
    const outcome = validators.paymentMethodUpdate({ card_number: '1', customer_id: 'x', nickname: '', address_zip: '', card_exp: '05/31' }, 'card', NOW);
    expect(outcome).toEqual({ ok: true, value: { nickname: null, exp: { month: 5, year: 2031 }, address: { address_zip: null } } });
    expect(validators.paymentMethodUpdate({ card_exp: '05/31' }, 'bank', NOW)).toEqual({ ok: true, value: { address: {} } });
    expect(validators.paymentMethodUpdate({ is_default: 'maybe' }, 'card', NOW)).toEqual({ ok: false, errors: { is_default: ['The is default field must be true or false.'] } });
  });
});

const CUSTOMER_BASE: CustomerAggregate = {
  seq: 1,
  id: '89609CF9-92BA-4829-B115-E753AD67C68E',
  objectId: '0123456789abcdef01234567',
  tenantId: 't',
  vaultId: 'x',
  givenName: 'John',
  familyName: 'Smith',
  company: null,
  email: 'John@Example.com ',
  phone: null,
  description: null,
  notes: null,
  reference: null,
  integratorId: null,
  flags: [],
  customFields: null,
  extensions: {},
  defaultBillingAddressSeq: null,
  defaultShippingAddressSeq: null,
  defaultPaymentMethodSeq: null,
  createdAt: Date.UTC(2024, 4, 10, 19, 29, 49, 900),
  updatedAt: Date.UTC(2024, 4, 10, 19, 29, 49, 900),
  deletedAt: null,
  purgedAt: null,
  addresses: [],
  paymentMethods: [],
};

function address(seq: number, line1: string, country: string | null = 'US'): Address {
  return {
    seq,
    id: `id${seq}`,
    objectId: `o${seq}`,
    customerSeq: 1,
    hash: '',
    createdAt: 0,
    updatedAt: 0,
    deletedAt: null,
    label: null,
    givenName: null,
    familyName: null,
    company: null,
    line1,
    line2: null,
    city: null,
    state: null,
    postalCode: null,
    postalCodeExt: null,
    country,
    countryName: null,
    countryCode: null,
    emails: [],
    phone: null,
    fax: null,
    isDefault: false,
  };
}

describe('customer translation (§4.1, §8.10)', () => {
  it('shows unset strings as "", times in UTC seconds, gravatar from the trimmed lower-case email', () => {
    const wire = toStaxCustomer(CUSTOMER_BASE);
    expect(wire).toMatchObject({
      id: '89609cf9-92ba-4829-b115-e753ad67c68e',
      company: '',
      phone: '',
      address_country: '',
      notes: null,
      options: null,
      cc_emails: null,
      created_at: '2024-05-10 19:29:49',
      deleted_at: null,
      allow_invoice_credit_card_payments: true,
      gravatar: '//www.gravatar.com/avatar/d4c74594d841139328695756648b6bd6',
      parent_merge: null,
      child_merges: [],
    });
    expect(gravatar('')).toBe(false);
    expect(staxTimestamp(Date.UTC(2024, 0, 9, 8, 2, 11))).toBe('2024-01-09 08:02:11');
  });

  it('takes the default billing address, else shipping, else the first one', () => {
    const addresses = [address(1, 'first'), address(2, 'shipping'), address(3, 'billing', 'GB')];
    expect(defaultAddress({ ...CUSTOMER_BASE, addresses })?.line1).toBe('first');
    expect(defaultAddress({ ...CUSTOMER_BASE, addresses, defaultShippingAddressSeq: 2 })?.line1).toBe('shipping');
    const wire = toStaxCustomer({ ...CUSTOMER_BASE, addresses, defaultShippingAddressSeq: 2, defaultBillingAddressSeq: 3 });
    expect([wire.address_1, wire.address_country]).toEqual(['billing', 'GBR']);
  });

  it('keeps options, cc lists and the invoice flag in extensions.stax and custom fields canonical', () => {
    const created = newCustomerFrom({
      firstname: 'A',
      cc_emails: ['b@c.de'],
      cc_sms: [],
      allow_invoice_credit_card_payments: false,
      options: { a: 1, custom_fields: [{ name: 'n', type: 'text', value: 'v' }] },
    });
    expect(created.customFields).toEqual([{ name: 'n', type: 'text', value: 'v' }]);
    expect(created.extensions).toEqual({ stax: { options: { a: 1, custom_fields: null }, cc_emails: ['b@c.de'], cc_sms: [], allow_invoice_credit_card_payments: false } });
    const aggregate = { ...CUSTOMER_BASE, customFields: created.customFields ?? null, extensions: created.extensions ?? {} };
    expect(toStaxCustomer(aggregate).options).toEqual({ a: 1, custom_fields: [{ name: 'n', type: 'text', value: 'v' }] });
    // Unchanged values make an empty patch; other dialects' extensions are kept.
    const withMaast = { ...aggregate, extensions: { ...aggregate.extensions, maast: { developer_id: 'd' } } };
    expect(customerPatchFrom(withMaast, { firstname: 'John', cc_sms: [] })).toEqual({});
    expect(customerPatchFrom(withMaast, { cc_sms: null }).extensions).toEqual({
      maast: { developer_id: 'd' },
      stax: { options: { a: 1, custom_fields: null }, cc_emails: ['b@c.de'], allow_invoice_credit_card_payments: false },
    });
  });
});

describe('payment-method translation (§4.9, §6.5)', () => {
  const pm: PaymentMethod = {
    seq: 7,
    id: '6BA7BABE-9906-4E7E-B1A5-F628C7BADB61',
    objectId: 'o',
    tenantId: 't',
    vaultRef: 'r',
    customerSeq: 1,
    kind: 'card',
    brand: 'unionpay',
    bin: '622126',
    last4: '0017',
    numberLength: 16,
    expMonth: 4,
    expYear: 2029,
    routingNumber: null,
    accountType: null,
    holderType: null,
    secCode: null,
    bankName: null,
    billing: { ...EMPTY_BILLING, givenName: 'Steven', familyName: 'Smith', postalCode: '32944', country: 'US' },
    label: null,
    flags: [],
    verifiedAt: null,
    cvcProvided: true,
    source: 'direct',
    attachedAt: null,
    singleUseToken: null,
    tokenExpiresAt: null,
    extensions: {},
    createdAt: 0,
    updatedAt: 0,
    deletedAt: null,
    purgedAt: null,
  };

  it('reports UnionPay as discover and generates the nickname when there is no label', () => {
    const wire = toStaxPaymentMethod(pm, { customerId: 'C', merchantId: 'm', defaultPaymentMethodSeq: 7 });
    expect(wire).toMatchObject({
      id: '6ba7babe-9906-4e7e-b1a5-f628c7badb61',
      customer_id: 'c',
      card_type: 'discover',
      card_exp: '042029',
      nickname: 'DISCOVER: Steven Smith (ending in: 0017)',
      is_default: 1,
      has_cvv: true,
      person_name: 'Steven Smith',
      address_1: null,
      address_zip: '32944',
      address_country: 'USA',
      bank_type: null,
    });
    expect(generatedNickname('ach', null, '', '3456')).toBe('BANK (ending in: 3456)');
  });

  it('prefers the label, then the nickname fixed at creation', () => {
    expect(toStaxPaymentMethod({ ...pm, label: 'Mine' }, { customerId: 'c', merchantId: 'm', defaultPaymentMethodSeq: null }).nickname).toBe('Mine');
    expect(toStaxPaymentMethod({ ...pm, extensions: { stax: { nickname: 'VISA: Old Name (ending in: 0017)' } } }, { customerId: 'c', merchantId: 'm', defaultPaymentMethodSeq: null }).nickname).toBe(
      'VISA: Old Name (ending in: 0017)',
    );
  });
});

describe('list parameters and the paginator (§4.3)', () => {
  it('falls back on invalid values and caps per_page at 200', () => {
    expect(parseListParams('page=0&per_page=abc&sort=phone&order=up')).toMatchObject({ page: 1, perPage: 50, sort: 'createdAt', order: 'desc' });
    expect(parseListParams('page=3&per_page=500&sort=lastname&order=asc')).toMatchObject({ page: 3, perPage: 200, sort: 'familyName', order: 'asc' });
  });

  it('reads filters, keywords[] and include_deleted', () => {
    const params = parseListParams('email=A%40B.co&keywords[]=john&keywords%5B%5D=smith&keywords=x&include_deleted=true&firstname=');
    expect(params.filters).toEqual([{ field: 'email', value: 'A@B.co' }]);
    expect(params.keywords).toEqual(['john', 'smith', 'x']);
    expect(params.includeDeleted).toBe(true);
    const query = customerQueryFrom(params);
    expect(query.where).toHaveLength(4);
    expect(query.includeDeleted).toBe(true);
  });

  it('builds the documented page URLs', () => {
    const base = 'https://vault.example.com/customer';
    const page = paginate(['a', 'b'], 5, { page: 2, perPage: 2 }, base, 'per_page=2&page=2');
    expect(page).toEqual({
      current_page: 2,
      data: ['a', 'b'],
      first_page_url: 'https://vault.example.com/customer?per_page=2&page=1',
      from: 3,
      last_page: 3,
      last_page_url: 'https://vault.example.com/customer?per_page=2&page=3',
      next_page_url: 'https://vault.example.com/customer?per_page=2&page=3',
      path: 'https://vault.example.com/customer',
      per_page: 2,
      prev_page_url: 'https://vault.example.com/customer?per_page=2&page=1',
      to: 4,
      total: 5,
    });
    expect(pageUrl(base, '', 1)).toBe(base + '?page=1');
    expect(pageUrl(base, 'page=9&per_page=2&page=3', 4)).toBe(base + '?per_page=2&page=4');
    expect(paginate([], 0, { page: 4, perPage: 50 }, base, '')).toMatchObject({ from: null, to: null, last_page: 1, next_page_url: null });
  });
});

describe('bearer credentials (§2.1)', () => {
  it('accepts the Bearer scheme in any case and nothing else', () => {
    expect(bearerKey('Bearer abc')).toBe('abc');
    expect(bearerKey('bearer   abc ')).toBe('abc');
    expect(bearerKey('BEARER abc')).toBe('abc');
    expect(bearerKey('abc')).toBeNull();
    expect(bearerKey('Basic abc')).toBeNull();
    expect(bearerKey('Bearer ')).toBeNull();
    expect(bearerKey(undefined)).toBeNull();
  });
});
