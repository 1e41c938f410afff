/**
 * Exact payment methods, E6–E14 (contract §4.7–§4.15, §6.2, §7.3–§7.6, §8.4–§8.6), through real HTTP
 * on each database, every body checked against the provider's OpenAPI document (§4.16).
 */
import { describeEachDatabase } from '../../support/harness';
import { loadExactSpec } from './openapi';
import {
  DOC_TOKENIZE_ACH,
  DOC_TOKENIZE_CARD,
  exactClient,
  expectRequestId,
  FOREIGN_OBJECT_ID,
  FOREIGN_UUID,
  ISO_MS,
  issues,
  rowCounts,
  SEED_CREATE_CUSTOMER,
  UUID_V4,
  vaultSnapshot,
  type ExactClient,
} from './support';

const spec = loadExactSpec();

/** A Luhn-valid number of the given length starting with `prefix`. */
function luhnNumber(prefix: string, length = 16): string {
  let body = prefix.padEnd(length - 1, '0');
  for (let check = 0; check <= 9; check++) {
    const candidate = body + String(check);
    let sum = 0;
    for (let i = 0; i < candidate.length; i++) {
      let digit = Number(candidate[candidate.length - 1 - i]);
      if (i % 2 === 1) {
        digit *= 2;
        if (digit > 9) digit -= 9;
      }
      sum += digit;
    }
    if (sum % 10 === 0) return candidate;
  }
  body = '';
  throw new Error('unreachable');
}

function card(overrides: Record<string, unknown> = {}, billing: Record<string, unknown> = {}, address: Record<string, unknown> = {}) {
  return {
    ...DOC_TOKENIZE_CARD,
    billingDetails: { ...DOC_TOKENIZE_CARD.billingDetails, ...billing, address: { ...DOC_TOKENIZE_CARD.billingDetails.address, ...address } },
    card: { ...DOC_TOKENIZE_CARD.card, ...overrides },
  };
}

function ach(overrides: Record<string, unknown> = {}, billing: Record<string, unknown> = {}) {
  return { ...DOC_TOKENIZE_ACH, billingDetails: { ...DOC_TOKENIZE_ACH.billingDetails, ...billing }, ach: { ...DOC_TOKENIZE_ACH.ach, ...overrides } };
}

function expectPaymentMethodNotFound(res: { status: number; body: unknown }): void {
  expect(res.status).toBe(404);
  expect(res.body).toEqual({ code: 'payment-method-not-found-error', message: 'payment-method-not-found', type: 'resource-not-found-error', requestId: expect.any(String) });
  spec.expectConforms('NotFoundError', res.body);
}

function expectCustomerNotFound(res: { status: number; body: unknown }): void {
  expect(res.status).toBe(404);
  expect(res.body).toEqual({ code: 'customer-not-found-error', message: 'customer-not-found', type: 'resource-not-found-error', requestId: expect.any(String) });
  spec.expectConforms('NotFoundError', res.body);
}

describeEachDatabase('exact E6 tokenize', (h) => {
  let c: ExactClient;
  beforeAll(async () => {
    c = await exactClient(h());
  });
  afterEach(() => h().setNow(null));

  it('answers the documented card example, sent verbatim, with the documented response', async () => {
    const res = await c.call('post', '/payment-method', DOC_TOKENIZE_CARD);
    expect(res.status).toBe(200);
    expectRequestId(res);
    spec.expectConforms('PaymentMethod', res.body);
    expect(res.body).toEqual({
      type: 'card',
      token: expect.stringMatching(UUID_V4),
      createdAt: expect.stringMatching(ISO_MS),
      updatedAt: res.body.createdAt,
      billingDetails: {
        name: 'steve tack',
        email: 'steve.tack@example.com',
        phone: '5545844859',
        address: { line1: 'Bond Street', line2: 'somewhere', city: 'Knoxville', state: 'TN', postalCode: '37920', country: 'USA' },
      },
      card: { brand: 'visa', lastFour: '1111', checks: { cvcCheck: 'full-match', addressCheck: 'not-verified' }, expiry: { month: 12, year: 2029 }, tokenType: 'platform' },
    });
  });

  it('answers the documented ACH example, sent verbatim, with the documented response', async () => {
    const res = await c.call('post', '/payment-method', DOC_TOKENIZE_ACH);
    expect(res.status).toBe(200);
    spec.expectConforms('PaymentMethod', res.body);
    expect(res.body).toEqual({
      type: 'ach',
      token: expect.stringMatching(UUID_V4),
      createdAt: expect.stringMatching(ISO_MS),
      updatedAt: res.body.createdAt,
      billingDetails: {
        name: 'steve tack',
        email: 'steve.tack@example.com',
        phone: '5545844859',
        address: { line1: 'Bond Street', city: 'Knoxville', state: 'TN', postalCode: '37920', country: 'USA' },
      },
      ach: { bankAccountType: 'checking', lastFour: '3456', verified: true },
    });
  });

  it('tokenizes on the partner route; the same card twice gives two tokens', async () => {
    const a = await c.partner('post', '/payment-method', DOC_TOKENIZE_CARD);
    const b = await c.partner('post', '/payment-method', DOC_TOKENIZE_CARD);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body.token).not.toBe(b.body.token);
  });

  it('echoes businessName for ACH and accepts a savings account with a spaced number', async () => {
    const res = await c.call('post', '/payment-method', ach({ accountNumber: '0001 2345-0861', bankAccountType: 'savings' }, { businessName: 'Tack & Sons' }));
    expect(res.status).toBe(200);
    spec.expectConforms('PaymentMethod', res.body);
    expect(res.body.billingDetails.businessName).toBe('Tack & Sons');
    expect(res.body.ach).toEqual({ bankAccountType: 'savings', lastFour: '0861', verified: true });
  });

  it('says not-verified without a CVC and never stores the CVC, the number or the account', async () => {
    const { cvc: _cvc, ...withoutCvc } = DOC_TOKENIZE_CARD.card;
    const res = await c.call('post', '/payment-method', { ...DOC_TOKENIZE_CARD, card: withoutCvc });
    expect(res.body.card.checks).toEqual({ cvcCheck: 'not-verified', addressCheck: 'not-verified' });
    const pan = '4000056655665556';
    await c.tokenize(card({ number: pan, cvc: '8137' }));
    await c.tokenize(ach({ accountNumber: '98765432101' }));
    const dump = JSON.stringify(await h().dumpTables());
    // The CVC as a value of its own: four digits can occur by chance inside random ids and ciphertexts.
    const cvcValue = /(?<![0-9A-Za-z+/=-])8137(?![0-9A-Za-z+/=-])/;
    expect(dump).not.toContain(pan);
    expect(dump).not.toMatch(cvcValue);
    expect(dump).not.toContain('98765432101');
    expect(h().logs()).not.toContain(pan);
    expect(h().logs()).not.toMatch(cvcValue);
  });

  it('reads month and year sent as digit strings, and strips spaces and hyphens from the number', async () => {
    const res = await c.call('post', '/payment-method', card({ number: '4111 1111-1111 1111', expiry: { month: '09', year: '2031' } }));
    expect(res.status).toBe(200);
    expect(res.body.card.expiry).toEqual({ month: 9, year: 2031 });
    expect(res.body.card.lastFour).toBe('1111');
  });

  it.each([
    ['mastercard', '5555555555554444'],
    ['mastercard', '2223003122003222'],
    ['amex', '378282246310005'],
    ['discover', '6011111111111117'],
    ['diners', '30569309025904'],
    ['jcb', '3530111333300000'],
    ['union pay', luhnNumber('62', 16)],
  ])('derives brand %s from the leading digits', async (brand, number) => {
    const res = await c.call('post', '/payment-method', card({ number }));
    expect(res.status).toBe(200);
    spec.expectConforms('PaymentMethod', res.body);
    expect(res.body.card.brand).toBe(brand);
    expect(res.body.card.lastFour).toBe(number.slice(-4));
  });

  it('accepts countryCode as a synonym of country and Canadian postal codes', async () => {
    const address = { line1: '1 Rue', city: 'Montreal', state: 'QC', postalCode: 'H2X 1Y4', countryCode: 'CAN' };
    const res = await c.call('post', '/payment-method', { ...DOC_TOKENIZE_CARD, billingDetails: { name: 'Anne Roy', address } });
    expect(res.status).toBe(200);
    expect(res.body.billingDetails).toEqual({ name: 'Anne Roy', address: { line1: '1 Rue', city: 'Montreal', state: 'QC', postalCode: 'H2X 1Y4', country: 'CAN' } });
  });

  it('takes a card as valid through the last day of its expiry month', async () => {
    h().setNow(Date.UTC(2029, 11, 31, 23, 59));
    expect((await c.call('post', '/payment-method', DOC_TOKENIZE_CARD)).status).toBe(200);
    h().setNow(Date.UTC(2030, 0, 1));
    const res = await c.call('post', '/payment-method', DOC_TOKENIZE_CARD);
    expect(issues(res)).toEqual([{ field: 'card.expiry', type: 'custom', details: ['Card is expired'] }]);
  });

  it('answers 402 for network tokens, after validation', async () => {
    const before = await rowCounts(h());
    const res = await c.call('post', '/payment-method', card({ tokenType: 'network' }));
    expect(res.status).toBe(402);
    expect(res.body).toEqual({ code: 'network-tokens-not-enabled-error', message: 'Network tokens feature not enabled', type: 'invalid-request-error', requestId: res.headers['x-request-id'] });
    spec.expectConforms('error_envelope', res.body);
    expect(await rowCounts(h())).toEqual(before);
    const invalid = await c.call('post', '/payment-method', card({ tokenType: 'network', number: '4111111111111112' }));
    expect(invalid.status).toBe(400);
    const gateway = await c.call('post', '/payment-method', card({ tokenType: 'gateway' }));
    expect(gateway.status).toBe(200);
    expect(gateway.body.card.tokenType).toBe('platform');
  });

  describe('refuses a bad body naming each field, writing nothing', () => {
    const cases: Array<[string, unknown, Array<[string, string, string?]>]> = [
      ['Luhn failure', card({ number: '4111111111111112' }), [['card.number', 'invalid_string', 'Invalid card number']]],
      ['unsupported brand', card({ number: luhnNumber('99', 16) }), [['card.number', 'invalid_string', 'Unsupported card brand']]],
      ['too short', card({ number: '411111111111' }), [['card.number', 'too_small']]],
      ['too long', card({ number: '41111111111111111111' }), [['card.number', 'too_big']]],
      ['letters in the number', card({ number: '4111x11111111111' }), [['card.number', 'invalid_string']]],
      ['number as a JSON number', card({ number: 4111111111111111 }), [['card.number', 'invalid_type']]],
      ['month 13', card({ expiry: { month: 13, year: 2030 } }), [['card.expiry.month', 'too_big']]],
      ['month 0', card({ expiry: { month: 0, year: 2030 } }), [['card.expiry.month', 'too_small']]],
      ['two-digit year', card({ expiry: { month: 1, year: 29 } }), [['card.expiry.year', 'too_small', 'Expected a four-digit year']]],
      ['missing expiry', card({ expiry: undefined }), [['card.expiry', 'invalid_type', 'Required']]],
      ['expired', card({ expiry: { month: 1, year: 2020 } }), [['card.expiry', 'custom', 'Card is expired']]],
      ['CVC as a number', card({ cvc: 123 }), [['card.cvc', 'invalid_type']]],
      ['CVC of two digits', card({ cvc: '12' }), [['card.cvc', 'invalid_string']]],
      ['unknown cvcIndicator', card({ cvcIndicator: 'maybe' }), [['card.cvcIndicator', 'invalid_enum_value']]],
      ['unknown type', { ...DOC_TOKENIZE_CARD, type: 'eft' }, [['type', 'invalid_enum_value', "Invalid enum value. Expected 'card' | 'ach', received 'eft'"]]],
      ['missing card', { type: 'card', billingDetails: DOC_TOKENIZE_CARD.billingDetails }, [['card', 'invalid_type', 'Required']]],
      ['ach object on a card', { ...DOC_TOKENIZE_CARD, ach: DOC_TOKENIZE_ACH.ach }, [['ach', 'unrecognized_keys']]],
      ['missing billing details', { type: 'card', card: DOC_TOKENIZE_CARD.card }, [['billingDetails', 'invalid_type', 'Required']]],
      ['name too long', card({}, { name: 'x'.repeat(101) }), [['billingDetails.name', 'too_big']]],
      ['line1 over 30', card({}, {}, { line1: 'x'.repeat(31) }), [['billingDetails.address.line1', 'too_big']]],
      ['line2 over 28', card({}, {}, { line2: 'x'.repeat(29) }), [['billingDetails.address.line2', 'too_big']]],
      ['city over 20', card({}, {}, { city: 'x'.repeat(21) }), [['billingDetails.address.city', 'too_big']]],
      ['state over 2', card({}, {}, { state: 'TEN' }), [['billingDetails.address.state', 'too_big']]],
      ['US postal code format', card({}, {}, { postalCode: '3792' }), [['billingDetails.address.postalCode', 'invalid_string', 'Invalid postal code']]],
      ['unknown country', card({}, {}, { country: 'Narnia' }), [['billingDetails.address.country', 'invalid_string', 'Invalid country']]],
      ['business name on a card', card({}, { businessName: 'X' }), [['billingDetails.businessName', 'unrecognized_keys']]],
      ['bad email', card({}, { email: 'steve' }), [['billingDetails.email', 'invalid_string', 'Invalid email']]],
      ['ACH without email', ach({}, { email: undefined }), [['billingDetails.email', 'invalid_type', 'Required']]],
      ['ACH routing checksum', ach({ routingNumber: '091000023' }), [['ach.routingNumber', 'invalid_string', 'Invalid routing number']]],
      ['ACH routing length', ach({ routingNumber: '09100002' }), [['ach.routingNumber', 'invalid_string']]],
      ['ACH account too short', ach({ accountNumber: '123' }), [['ach.accountNumber', 'too_small']]],
      ['ACH account too long', ach({ accountNumber: '1'.repeat(18) }), [['ach.accountNumber', 'too_big']]],
      ['ACH account type', ach({ bankAccountType: 'brokerage' }), [['ach.bankAccountType', 'invalid_enum_value']]],
      ['card object on ACH', { ...DOC_TOKENIZE_ACH, card: DOC_TOKENIZE_CARD.card }, [['card', 'unrecognized_keys']]],
      ['body an array', [], [['', 'invalid_type']]],
    ];
    it.each(cases)('%s', async (_title, body, expected) => {
      const before = await rowCounts(h());
      const res = await c.call('post', '/payment-method', body);
      expect(res.status).toBe(400);
      spec.expectConforms('validation_error', res.body);
      expectRequestId(res);
      expect(issues(res).map((issue) => [issue.field, issue.type])).toEqual(expected.map(([field, type]) => [field, type]));
      expected.forEach(([, , detail], index) => {
        if (detail) expect(issues(res)[index].details).toEqual([detail]);
      });
      expect(await rowCounts(h())).toEqual(before);
      // Error bodies never echo submitted values.
      expect(JSON.stringify(res.body)).not.toMatch(/4111111111111112|091000023/);
    });
  });

  it('asks for the country when neither country nor countryCode is sent, with the other problems, in body order', async () => {
    const res = await c.call('post', '/payment-method', {
      type: 'card',
      billingDetails: { name: '', address: { line1: 'Bond Street', city: 'Knoxville', state: 'TN', postalCode: '37920' } },
      card: { number: '4111111111111112', expiry: { month: 12, year: 2029 } },
    });
    expect(issues(res).map((issue) => [issue.field, issue.type])).toEqual([
      ['billingDetails.name', 'too_small'],
      ['billingDetails.address.country', 'invalid_type'],
      ['card.number', 'invalid_string'],
    ]);
  });
});

describeEachDatabase('exact E7–E14 payment methods and customers', (h) => {
  let c: ExactClient;
  beforeAll(async () => {
    c = await exactClient(h());
  });
  afterEach(() => h().setNow(null));

  async function customerWith(): Promise<Record<string, unknown>> {
    return c.createCustomer();
  }

  describe('E9 attach', () => {
    it('answers the documented example with the token sent, the label and the default', async () => {
      const customer = await customerWith();
      const pm = await c.tokenize();
      const res = await c.call('post', `/customer/${customer.id}/payment-method`, { token: pm.token, isDefault: true, label: 'My Visa Card' });
      expect(res.status).toBe(201);
      expectRequestId(res);
      spec.expectConforms('PaymentMethod', res.body);
      expect(res.body).toEqual({ ...pm, updatedAt: expect.stringMatching(ISO_MS), label: 'My Visa Card', isDefault: true });
    });

    it('makes the first attached method the default whatever isDefault says; later ones only when asked', async () => {
      const customer = await customerWith();
      const [a, b, d] = [await c.tokenize(), await c.tokenize(), await c.tokenize(DOC_TOKENIZE_ACH)];
      const first = await c.call('post', `/customer/${customer.id}/payment-method`, { token: a.token, isDefault: false });
      expect(first.body.isDefault).toBe(true);
      const second = await c.call('post', `/customer/${customer.id}/payment-method`, { token: b.token });
      expect(second.body.isDefault).toBe(false);
      expect(second.body.label).toBeUndefined();
      h().setNow(Date.UTC(2031, 0, 1));
      const third = await c.partner('post', `/customer/${customer.id}/payment-method`, { token: d.token, isDefault: true, label: 'Checking' });
      expect(third.status).toBe(201);
      expect(third.body.isDefault).toBe(true);
      const list = await c.call('get', `/customer/${customer.id}/payment-method`);
      expect(list.body.map((m: { token: string; isDefault: boolean }) => [m.token, m.isDefault])).toEqual([
        [a.token, false],
        [b.token, false],
        [d.token, true],
      ]);
      // The method that lost the default has a new updatedAt.
      expect(list.body[0].updatedAt).toBe('2031-01-01T00:00:00.000Z');
      expect(list.body[1].updatedAt).not.toBe('2031-01-01T00:00:00.000Z');
    });

    it('re-attaching with nothing different is a 304; a new label or isDefault is a 201', async () => {
      const customer = await customerWith();
      const pm = await c.tokenize();
      await c.call('post', `/customer/${customer.id}/payment-method`, { token: pm.token, label: 'One' }).expect(201);
      for (const body of [{ token: pm.token }, { token: pm.token, label: 'One' }, { token: String(pm.token).toUpperCase(), isDefault: true }]) {
        const res = await c.call('post', `/customer/${customer.id}/payment-method`, body);
        expect(res.status).toBe(304);
        expect(res.text).toBe('');
        expectRequestId(res);
      }
      const relabel = await c.call('post', `/customer/${customer.id}/payment-method`, { token: pm.token, label: 'Two' });
      expect(relabel.status).toBe(201);
      expect(relabel.body).toMatchObject({ label: 'Two', isDefault: true });
      const undefault = await c.call('post', `/customer/${customer.id}/payment-method`, { token: pm.token, isDefault: false });
      expect(undefault.status).toBe(201);
      expect(undefault.body.isDefault).toBe(false);
      expectPaymentMethodNotFound(await c.call('get', `/customer/${customer.id}/payment-method/default`));
    });

    it('refuses a token attached to another live customer with a 400 on token', async () => {
      const [one, two] = [await customerWith(), await customerWith()];
      const pm = await c.tokenize();
      await c.call('post', `/customer/${one.id}/payment-method`, { token: pm.token }).expect(201);
      const before = await vaultSnapshot(h());
      const res = await c.call('post', `/customer/${two.id}/payment-method`, { token: pm.token });
      expect(res.status).toBe(400);
      spec.expectConforms('validation_error', res.body);
      expect(issues(res)).toEqual([{ field: 'token', type: 'custom', details: ['Payment method is attached to another customer'] }]);
      expect(await vaultSnapshot(h())).toEqual(before);
    });

    it('attaching, moving the default and unlinking never change the customer\'s updatedAt', async () => {
      h().setNow(Date.UTC(2029, 5, 1));
      const customer = await customerWith();
      const [a, b] = [await c.tokenize(), await c.tokenize()];
      h().setNow(Date.UTC(2029, 5, 2));
      await c.call('post', `/customer/${customer.id}/payment-method`, { token: a.token }).expect(201);
      await c.call('post', `/customer/${customer.id}/payment-method`, { token: b.token, isDefault: true }).expect(201);
      await c.call('post', `/customer/${customer.id}/payment-method`, { token: b.token, isDefault: false }).expect(201);
      await c.call('delete', `/customer/${customer.id}/payment-method/${a.token}`).expect(204);
      const after = await c.call('get', `/customer/${customer.id}`);
      expect(after.body.updatedAt).toBe(customer.updatedAt);
      expect(after.body.updatedAt).toBe('2029-06-01T00:00:00.000Z');
      const method = await c.call('get', `/payment-method/${b.token}`);
      expect(method.body.updatedAt).toBe('2029-06-02T00:00:00.000Z');
    });

    it('lets only one of two concurrent attaches of one token to different customers win', async () => {
      const [one, two] = [await customerWith(), await customerWith()];
      const pm = await c.tokenize();
      const answers = await Promise.all([
        c.call('post', `/customer/${one.id}/payment-method`, { token: pm.token }),
        c.call('post', `/customer/${two.id}/payment-method`, { token: pm.token }),
      ]);
      expect(answers.map((res) => res.status).sort()).toEqual([201, 400]);
      const lists = await Promise.all([one, two].map((customer) => c.call('get', `/customer/${customer.id}/payment-method`)));
      expect(lists.map((res) => res.body.length).sort()).toEqual([0, 1]);
    });

    it('answers 404 for unknown customers and tokens, customer tokens and other tenants\' tokens, after validation', async () => {
      const customer = await customerWith();
      const other = await exactClient(h());
      const foreign = await other.tokenize();
      expectCustomerNotFound(await c.call('post', `/customer/${FOREIGN_OBJECT_ID}/payment-method`, { token: FOREIGN_UUID }));
      for (const token of [FOREIGN_UUID, 'not-a-uuid', customer.token, foreign.token]) {
        expectPaymentMethodNotFound(await c.call('post', `/customer/${customer.id}/payment-method`, { token }));
      }
      const bad = await c.call('post', `/customer/${FOREIGN_OBJECT_ID}/payment-method`, { token: 5, isDefault: 'yes', label: '', extra: 1 });
      expect(issues(bad).map((issue) => [issue.field, issue.type])).toEqual([
        ['token', 'invalid_type'],
        ['isDefault', 'invalid_type'],
        ['label', 'too_small'],
        ['extra', 'unrecognized_keys'],
      ]);
      expect(issues(await c.call('post', `/customer/${customer.id}/payment-method`, {}))).toEqual([{ field: 'token', type: 'invalid_type', details: ['Required'] }]);
    });
  });

  describe('E7 get payment method or look up a customer token', () => {
    it('answers the method, with label and isDefault while attached', async () => {
      const customer = await customerWith();
      const pm = await c.tokenize();
      const loose = await c.call('get', `/payment-method/${pm.token}`);
      expect(loose.status).toBe(200);
      spec.expectConforms('PaymentMethod', loose.body);
      expect(loose.body).toEqual(pm);
      await c.call('post', `/customer/${customer.id}/payment-method`, { token: pm.token, label: 'Visa' }).expect(201);
      const attached = await c.partner('get', `/payment-method/${String(pm.token).toUpperCase()}`);
      spec.expectConforms('PaymentMethod', attached.body);
      expect(attached.body).toMatchObject({ token: pm.token, label: 'Visa', isDefault: true });
    });

    it('answers LookUpCustomer for a customer token', async () => {
      const customer = await customerWith();
      const res = await c.call('get', `/payment-method/${customer.token}`);
      expect(res.status).toBe(200);
      spec.expectConforms('LookUpCustomer', res.body);
      expect(res.body).toEqual({ type: 'customer', token: customer.token, createdAt: customer.createdAt, updatedAt: customer.updatedAt, customerId: customer.id });
    });

    it('answers 404 payment-method-not-found for unknown, malformed and other tenants\' tokens', async () => {
      const other = await exactClient(h());
      const foreignPm = await other.tokenize();
      const foreignCustomer = await other.createCustomer();
      for (const token of [FOREIGN_UUID, 'abc', foreignPm.token, foreignCustomer.token]) {
        const res = await c.call('get', `/payment-method/${token}`);
        expectPaymentMethodNotFound(res);
        expectRequestId(res);
      }
    });
  });

  describe('E8 delete payment method', () => {
    it('answers 204; the token then answers 404 everywhere and the customer loses its default', async () => {
      const customer = await customerWith();
      const [a, b] = [await c.tokenize(), await c.tokenize()];
      await c.call('post', `/customer/${customer.id}/payment-method`, { token: a.token }).expect(201);
      await c.call('post', `/customer/${customer.id}/payment-method`, { token: b.token }).expect(201);
      const res = await c.call('delete', `/payment-method/${a.token}`);
      expect(res.status).toBe(204);
      expectRequestId(res);
      expectPaymentMethodNotFound(await c.call('get', `/payment-method/${a.token}`));
      expectPaymentMethodNotFound(await c.call('get', `/customer/${customer.id}/payment-method/${a.token}`));
      expectPaymentMethodNotFound(await c.call('delete', `/payment-method/${a.token}`));
      expectPaymentMethodNotFound(await c.call('post', `/customer/${customer.id}/payment-method`, { token: a.token }));
      expectPaymentMethodNotFound(await c.call('get', `/customer/${customer.id}/payment-method/default`));
      const list = await c.call('get', `/customer/${customer.id}/payment-method`);
      expect(list.body.map((m: { token: string; isDefault: boolean }) => [m.token, m.isDefault])).toEqual([[b.token, false]]);
      expect(list.headers['x-total-count']).toBe('1');
    });

    it('answers 404 for a customer token, an unknown token and another tenant\'s token', async () => {
      const customer = await customerWith();
      const other = await exactClient(h());
      const foreign = await other.tokenize();
      for (const token of [customer.token, FOREIGN_UUID, foreign.token]) expectPaymentMethodNotFound(await c.partner('delete', `/payment-method/${token}`));
      expect((await other.call('get', `/payment-method/${foreign.token}`)).status).toBe(200);
      expect((await c.call('get', `/customer/${customer.id}`)).status).toBe(200);
    });
  });

  describe('E10/E14 lists, E11 get one, E13 default', () => {
    it('lists attached methods in attachment order with X-Total-Count, by id and by customer token', async () => {
      const customer = await customerWith();
      const [a, b, d] = [await c.tokenize(), await c.tokenize(DOC_TOKENIZE_ACH), await c.tokenize()];
      h().setNow(Date.UTC(2030, 0, 1));
      await c.call('post', `/customer/${customer.id}/payment-method`, { token: d.token }).expect(201);
      h().setNow(Date.UTC(2030, 0, 2));
      await c.call('post', `/customer/${customer.id}/payment-method`, { token: a.token }).expect(201);
      h().setNow(Date.UTC(2030, 0, 3));
      await c.call('post', `/customer/${customer.id}/payment-method`, { token: b.token, label: 'Bank' }).expect(201);
      h().setNow(null);
      for (const res of [
        await c.call('get', `/customer/${customer.id}/payment-method`),
        await c.partner('get', `/customer/${customer.id}/payment-method`),
        await c.call('get', `/customer-token/${customer.token}/payment-method`),
        await c.partner('get', `/customer-token/${customer.token}/payment-method?$sort=-createdAt`),
      ]) {
        expect(res.status).toBe(200);
        expectRequestId(res);
        spec.expectEachConforms('PaymentMethod', res.body);
        expect(res.headers['x-total-count']).toBe('3');
        expect(res.body.map((m: { token: string }) => m.token)).toEqual([d.token, a.token, b.token]);
        expect(res.body[2]).toMatchObject({ type: 'ach', label: 'Bank', isDefault: false });
      }
      const paged = await c.call('get', `/customer/${customer.id}/payment-method?$limit=1&$skip=1`);
      expect(paged.body.map((m: { token: string }) => m.token)).toEqual([a.token]);
      expect(paged.headers['x-total-count']).toBe('3');
      const badLimit = await c.call('get', `/customer-token/${customer.token}/payment-method?$limit=x`);
      expect(issues(badLimit).map((issue) => issue.field)).toEqual(['$limit']);

      const one = await c.call('get', `/customer/${customer.id}/payment-method/${a.token}`);
      expect(one.status).toBe(200);
      spec.expectConforms('PaymentMethod', one.body);
      expect(one.body).toMatchObject({ token: a.token, isDefault: false });

      const def = await c.partner('get', `/customer/${customer.id}/payment-method/default`);
      expect(def.status).toBe(200);
      spec.expectConforms('PaymentMethod', def.body);
      expect(def.body).toMatchObject({ token: d.token, isDefault: true });
      expect((await c.call('get', `/customer/${customer.id}/payment-method/default`)).body).toEqual(def.body);
    });

    it('answers [] with a zero count for a customer without methods', async () => {
      const customer = await customerWith();
      const res = await c.call('get', `/customer/${customer.id}/payment-method`);
      expect(res.body).toEqual([]);
      expect(res.headers['x-total-count']).toBe('0');
      expectPaymentMethodNotFound(await c.call('get', `/customer/${customer.id}/payment-method/default`));
    });

    it('answers the right 404s', async () => {
      const customer = await customerWith();
      const elsewhere = await customerWith();
      const pm = await c.tokenize();
      await c.call('post', `/customer/${elsewhere.id}/payment-method`, { token: pm.token }).expect(201);
      expectCustomerNotFound(await c.call('get', `/customer/${FOREIGN_OBJECT_ID}/payment-method`));
      expectCustomerNotFound(await c.call('get', `/customer/${FOREIGN_OBJECT_ID}/payment-method/default`));
      expectCustomerNotFound(await c.call('get', `/customer/${FOREIGN_OBJECT_ID}/payment-method/${pm.token}`));
      expectCustomerNotFound(await c.call('get', `/customer-token/${FOREIGN_UUID}/payment-method`));
      expectCustomerNotFound(await c.call('get', `/customer-token/${pm.token}/payment-method`));
      expectCustomerNotFound(await c.call('get', `/customer-token/nope/payment-method`));
      expectPaymentMethodNotFound(await c.call('get', `/customer/${customer.id}/payment-method/${pm.token}`));
      expectPaymentMethodNotFound(await c.call('get', `/customer/${customer.id}/payment-method/${customer.token}`));
      expectPaymentMethodNotFound(await c.call('get', `/customer/${customer.id}/payment-method/${FOREIGN_UUID}`));
    });
  });

  describe('E12 unlink', () => {
    it('answers 204 and leaves a working, unlabelled token; no other method is promoted', async () => {
      const customer = await customerWith();
      const [a, b] = [await c.tokenize(), await c.tokenize()];
      await c.call('post', `/customer/${customer.id}/payment-method`, { token: a.token, label: 'A' }).expect(201);
      await c.call('post', `/customer/${customer.id}/payment-method`, { token: b.token }).expect(201);
      const res = await c.call('delete', `/customer/${customer.id}/payment-method/${a.token}`);
      expect(res.status).toBe(204);
      expectRequestId(res);
      const token = await c.call('get', `/payment-method/${a.token}`);
      expect(token.status).toBe(200);
      expect(token.body.label).toBeUndefined();
      expect(token.body.isDefault).toBeUndefined();
      expectPaymentMethodNotFound(await c.call('get', `/customer/${customer.id}/payment-method/default`));
      const list = await c.call('get', `/customer/${customer.id}/payment-method`);
      expect(list.body.map((m: { token: string; isDefault: boolean }) => [m.token, m.isDefault])).toEqual([[b.token, false]]);
      // Unlinking again, or a method attached nowhere here, is a 304.
      const again = await c.partner('delete', `/customer/${customer.id}/payment-method/${a.token}`);
      expect(again.status).toBe(304);
      // It can be attached again, to another customer, with no old label.
      const other = await customerWith();
      const reattached = await c.call('post', `/customer/${other.id}/payment-method`, { token: a.token });
      expect(reattached.status).toBe(201);
      expect(reattached.body).toMatchObject({ isDefault: true });
      expect(reattached.body.label).toBeUndefined();
    });

    it('answers 404 for unknown customers and tokens', async () => {
      const customer = await customerWith();
      expectCustomerNotFound(await c.call('delete', `/customer/${FOREIGN_OBJECT_ID}/payment-method/${FOREIGN_UUID}`));
      expectPaymentMethodNotFound(await c.call('delete', `/customer/${customer.id}/payment-method/${FOREIGN_UUID}`));
      expectPaymentMethodNotFound(await c.call('delete', `/customer/${customer.id}/payment-method/${customer.token}`));
    });
  });

  it('reads a customer of the documented example through every look-up after attaching', async () => {
    const customer = await c.createCustomer(SEED_CREATE_CUSTOMER);
    const pm = await c.tokenize();
    await c.call('post', `/customer/${customer.id}/payment-method`, { token: pm.token, isDefault: true, label: 'My Visa Card' }).expect(201);
    const byToken = await c.call('get', `/customer-token/${customer.token}/payment-method`);
    expect(byToken.body).toEqual([{ ...pm, updatedAt: expect.any(String), label: 'My Visa Card', isDefault: true }]);
  });
});
