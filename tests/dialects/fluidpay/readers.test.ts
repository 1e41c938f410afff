/**
 * Pure checks of the FluidPay readers and translators: the first failing field in the contract's
 * order with the contract's wording (§3.4, §3.5), and the wire shapes of §4.0 / §6.
 */
import { keyFromAuthorization } from '../../../adapters/fluidpay/auth';
import { fluidpay } from '../../../adapters/fluidpay';
import { FluidPayError, toFluidPayError } from '../../../adapters/fluidpay/errors';
import { FieldReader } from '../../../adapters/fluidpay/fields';
import { readAch, readAddress, readCard, readCreateCustomer, readTokenize, readUpdateCustomer } from '../../../adapters/fluidpay/inputs';
import { parseSearchDate, readSearch, toCustomerQuery } from '../../../adapters/fluidpay/search';
import { toWireAch, toWireCard } from '../../../adapters/fluidpay/translate';
import { ConflictError, NotFoundError } from '../../../core/errors';
import type { PaymentMethod } from '../../../core/model';
import { EMPTY_BILLING } from '../../../core/model';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const plain = { refuseExpired: false, now: NOW };

function msgOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof FluidPayError) return error.msg;
    throw error;
  }
  throw new Error('no failure');
}

async function asyncMsgOf(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof FluidPayError) return error.msg;
    throw error;
  }
  throw new Error('no failure');
}

describe('Authorization header (§2.2)', () => {
  it('takes the raw key, trimmed, with an optional Bearer prefix in any case', () => {
    expect(keyFromAuthorization('api_abc')).toBe('api_abc');
    expect(keyFromAuthorization('  api_abc  ')).toBe('api_abc');
    expect(keyFromAuthorization('Bearer api_abc')).toBe('api_abc');
    expect(keyFromAuthorization('bearer   pub_x')).toBe('pub_x');
  });
  it('has no key when the header is missing or empty', () => {
    expect(keyFromAuthorization(undefined)).toBeNull();
    expect(keyFromAuthorization('   ')).toBeNull();
    expect(keyFromAuthorization('Bearer ')).toBeNull();
  });
});

describe('create body (§4.1)', () => {
  const noToken = async () => undefined;
  it('reports the documented failures with their exact messages', async () => {
    expect(await asyncMsgOf(() => readCreateCustomer({ id: 'cust-001' }, plain, noToken))).toBe('bad request error: id: must be 1-40 characters of a-z, A-Z, 0-9');
    expect(await asyncMsgOf(() => readCreateCustomer({ id: 'abc', id_format: 'xid_type_last4' }, plain, noToken))).toBe('bad request error: id_format: cannot be used with a custom id');
    expect(await asyncMsgOf(() => readCreateCustomer({ default_payment: { card: { number: '4111111111111111' } } }, plain, noToken))).toBe(
      'bad request error: default_payment.card.expiration_date: required',
    );
    expect(
      await asyncMsgOf(() => readCreateCustomer({ default_payment: { card: { number: '4111111111111111', expiration_date: '0120' } } }, { refuseExpired: true, now: NOW }, noToken)),
    ).toBe('bad request error: default_payment.card.expiration_date: card is expired');
  });
  it('checks fields in table order, depth first, and names array positions', async () => {
    expect(await asyncMsgOf(() => readCreateCustomer({ id: 'search' }, plain, noToken))).toBe('bad request error: id: reserved value');
    expect(await asyncMsgOf(() => readCreateCustomer({ description: 7, flags: ['x'] }, plain, noToken))).toBe('bad request error: description: must be a string');
    expect(await asyncMsgOf(() => readCreateCustomer({ description: 'd'.repeat(256) }, plain, noToken))).toBe('bad request error: description: must be at most 255 characters');
    expect(await asyncMsgOf(() => readCreateCustomer({ flags: ['surcharge_exempt', 'vip'] }, plain, noToken))).toBe('bad request error: flags[1]: invalid flag');
    expect(
      await asyncMsgOf(() => readCreateCustomer({ default_payment: { card: { number: '4111111111111112', expiration_date: '13/30' } }, default_billing_address: { email: 'x' } }, plain, noToken)),
    ).toBe('bad request error: default_payment.card.number: invalid card number');
    expect(await asyncMsgOf(() => readCreateCustomer({ default_billing_address: { email: 'nope' } }, plain, noToken))).toBe(
      'bad request error: default_billing_address.email: invalid email',
    );
    expect(await asyncMsgOf(() => readCreateCustomer({ default_payment: { card: {}, ach: {} } }, plain, noToken))).toBe(
      'bad request error: default_payment: only one payment method may be provided',
    );
  });
  it('raises an unusable token at its own position, before later fields fail', async () => {
    const onToken = async () => {
      throw new FluidPayError(400, 'bad request error: invalid token');
    };
    expect(await asyncMsgOf(() => readCreateCustomer({ default_payment: { token: 'x' }, default_billing_address: { email: 'bad' } }, plain, onToken))).toBe(
      'bad request error: invalid token',
    );
  });
  it('treats null as absent and ignores all-empty addresses', async () => {
    const input = await readCreateCustomer({ id: null, description: null, default_payment: null, default_billing_address: { first_name: '', city: null } }, plain, noToken);
    expect(input).toEqual({ idFormat: false, description: undefined, notes: undefined, flags: undefined });
  });
  it('validates wallet data before anything else is decided', async () => {
    expect(await asyncMsgOf(() => readCreateCustomer({ default_payment: { apple_pay: { key_id: 'k' } } }, plain, noToken))).toBe(
      'bad request error: default_payment.apple_pay.temporary_token: temporary_token or pkpaymenttoken is required',
    );
    expect(await asyncMsgOf(() => readCreateCustomer({ default_payment: { google_pay_token: {} } }, plain, noToken))).toBe(
      'bad request error: default_payment.google_pay_token: must not be empty',
    );
  });
});

describe('address, card and ACH inputs (§4.0.6–4.0.8)', () => {
  it('uses address_line_1 when line_1 is absent or empty, and uppercases the country', () => {
    expect(readAddress(new FieldReader({ line_1: '', address_line_1: '1 Main', country: 'us' }))).toEqual({ line_1: '1 Main', country: 'US' });
    expect(msgOf(() => readAddress(new FieldReader({ country: 'USA' })))).toBe('bad request error: country: must be a 2-letter country code');
    expect(msgOf(() => readAddress(new FieldReader({ state: 'x'.repeat(21) })))).toBe('bad request error: state: must be at most 20 characters');
  });
  it('accepts MMYY and MM/YY, card_number as an alias, and never keeps the cvc', () => {
    expect(readCard(new FieldReader({ card_number: '5454545454545454', expiration_date: '0129', cvc: '123' }), 'create', plain)).toEqual({
      pan: '5454545454545454',
      expMonth: 1,
      expYear: 2029,
      cvcProvided: true,
      flags: undefined,
    });
    expect(msgOf(() => readCard(new FieldReader({ number: '4111111111111111', expiration_date: '1/30' }), 'create', plain))).toBe('bad request error: expiration_date: invalid expiration date');
    expect(msgOf(() => readCard(new FieldReader({ number: '4111111111111111', expiration_date: '12/30', cvc: '12' }), 'create', plain))).toBe('bad request error: cvc: invalid cvc');
    expect(msgOf(() => readCard(new FieldReader({ flags: ['bogus'] }), 'update', plain))).toBe('bad request error: flags[0]: invalid flag');
  });
  it('requires all four ACH fields on create, with their rules', () => {
    expect(msgOf(() => readAch(new FieldReader({ routing_number: '123123123' }), 'create'))).toBe('bad request error: account_number: required');
    expect(msgOf(() => readAch(new FieldReader({ account_number: '123', routing_number: '1' }), 'create'))).toBe('bad request error: account_number: invalid account number');
    expect(msgOf(() => readAch(new FieldReader({ account_number: '1234', routing_number: '12312312' }), 'create'))).toBe('bad request error: routing_number: invalid routing number');
    expect(msgOf(() => readAch(new FieldReader({ account_type: 'loan' }), 'update'))).toBe('bad request error: account_type: must be checking or savings');
    expect(msgOf(() => readAch(new FieldReader({ sec_code: 'tel' }), 'update'))).toBe('bad request error: sec_code: must be web, ccd or ppd');
  });
  it('tokenizer body: exactly one of card and ach', () => {
    expect(msgOf(() => readTokenize({}, NOW))).toBe('bad request error: card: required');
    expect(msgOf(() => readTokenize({ card: {}, ach: {} }, NOW))).toBe('bad request error: card: only one payment method may be provided');
  });
});

describe('update body (§4.4)', () => {
  const lookup = { address: (id: string) => (id === 'a1' ? 11 : null), paymentMethod: (id: string, kind: string) => (id === 'p1' && kind === 'card' ? 21 : null) };
  it('resolves defaults and names the failing key', () => {
    expect(readUpdateCustomer({ defaults: { billing_address_id: 'a1', shipping_address_id: '', payment_method_id: 'p1', payment_method_type: 'card' } }, lookup)).toMatchObject({
      defaultBillingAddressSeq: 11,
      defaultShippingAddressSeq: null,
      defaultPaymentMethodSeq: 21,
    });
    expect(msgOf(() => readUpdateCustomer({ defaults: { billing_address_id: 'zz' } }, lookup))).toBe('bad request error: defaults.billing_address_id: address not found');
    expect(msgOf(() => readUpdateCustomer({ defaults: { payment_method_id: 'p1', payment_method_type: 'ach' } }, lookup))).toBe(
      'bad request error: defaults.payment_method_id: payment method not found',
    );
    expect(msgOf(() => readUpdateCustomer({ defaults: { payment_method_id: 'p1' } }, lookup))).toBe('bad request error: defaults.payment_method_type: required with payment_method_id');
    expect(msgOf(() => readUpdateCustomer({ defaults: { payment_method_type: 'card' } }, lookup))).toBe('bad request error: defaults.payment_method_id: required with payment_method_type');
    expect(msgOf(() => readUpdateCustomer({ defaults: { payment_method_id: 'p1', payment_method_type: 'wire' } }, lookup))).toBe(
      'bad request error: defaults.payment_method_type: must be card or ach',
    );
    expect(readUpdateCustomer({ defaults: { payment_method_id: '', payment_method_type: '' } }, lookup).defaultPaymentMethodSeq).toBeNull();
  });
});

describe('search body (§4.3)', () => {
  it('reads the documented example', () => {
    const input = readSearch({ email: { operator: '=', value: 'user@somesite.com' }, created_at: { start_date: '2024-05-01', end_date: '2024-05-31' }, limit: 25, offset: 0 });
    expect(input.address).toEqual([{ field: 'email', filter: { op: 'eq', value: 'user@somesite.com' } }]);
    expect(input.createdAt).toEqual({ from: Date.UTC(2024, 4, 1), to: Date.UTC(2024, 4, 31, 23, 59, 59, 999) });
    expect(input.limit).toBe(25);
  });
  it('refuses bad operators, dates and paging with the documented reasons', () => {
    expect(msgOf(() => readSearch({ city: { operator: 'like', value: 'x' } }))).toBe('bad request error: city.operator: invalid operator');
    expect(msgOf(() => readSearch({ created_at: { start_date: '2024-13-01' } }))).toBe('bad request error: created_at.start_date: invalid date');
    expect(msgOf(() => readSearch({ limit: 101 }))).toBe('bad request error: limit: must be between 1 and 100');
    expect(msgOf(() => readSearch({ limit: 1.5 }))).toBe('bad request error: limit: must be an integer');
    expect(msgOf(() => readSearch({ offset: 1001 }))).toBe('bad request error: offset: must be between 0 and 1000');
    expect(msgOf(() => readSearch({ id: { value: 7 } }))).toBe('bad request error: id.value: must be a string');
  });
  it('ignores empty filters, defaults limit 0 to 10, reads RFC 3339 with offsets', () => {
    const input = readSearch({ id: { operator: '', value: '' }, limit: 0, updated_at: { start_date: '2024-05-01T00:00:00+02:00' } });
    expect(input.id).toBeUndefined();
    expect(input.limit).toBe(10);
    expect(input.updatedAt.from).toBe(Date.UTC(2024, 3, 30, 22));
    expect(parseSearchDate('2024-05-01T00:00:00.5Z', 'start')).toBe(Date.UTC(2024, 4, 1, 0, 0, 0, 500));
    expect(parseSearchDate('yesterday', 'start')).toBeNull();
  });
  it('turns filters into canonical conditions, newest first', async () => {
    const query = await toCustomerQuery(
      readSearch({
        id: { operator: '!=', value: 'c1' },
        first_name: { value: 'John' },
        payment_method_type: { operator: '=', value: 'ach' },
        billing_address_id: { operator: '!=', value: 'a1' },
        address_id: { operator: '=', value: 'unknown' },
      }),
      { address: async (id) => (id === 'a1' ? { seq: 5, customerSeq: 9 } : null), paymentMethodCustomer: async () => null },
    );
    expect(query.where).toEqual([
      { field: 'vaultId', op: 'ne', value: 'c1' },
      { field: 'seq', op: 'eq', value: 0 },
      { address: 'givenName', op: 'eq', value: 'John' },
      { defaultPaymentKind: 'ach', op: 'eq' },
      { anyOf: [{ field: 'defaultBillingAddressSeq', op: 'ne', value: 5 }, { field: 'defaultBillingAddressSeq', op: 'eq', value: '' }] },
    ]);
    expect(query.sort).toEqual([{ field: 'createdAt', dir: 'desc' }]);
  });
});

describe('masks and formats (§6)', () => {
  const base: PaymentMethod = {
    seq: 1, id: 'u', objectId: '66437d655a1e3c10923a7f12', tenantId: 't', vaultRef: 'r', customerSeq: 1, kind: 'card', brand: 'amex', bin: '378282', last4: '0005', numberLength: 15,
    expMonth: 9, expYear: 2028, routingNumber: null, accountType: null, holderType: null, secCode: null, bankName: null, billing: { ...EMPTY_BILLING }, label: null, flags: [],
    verifiedAt: null, cvcProvided: false, source: 'direct', attachedAt: null, singleUseToken: null, tokenExpiresAt: null, extensions: {}, createdAt: 0, updatedAt: 0, deletedAt: null, purgedAt: null,
  };
  it('masks a card as first 6 + * + last 4 keeping the length', () => {
    expect(toWireCard(base)).toEqual({ id: 'cp1nqpaq3ou114hqfs90', card_type: 'amex', masked_number: '378282*****0005', expiration_date: '09/28', flags: [], processor_id: '' });
  });
  it('masks an account number with X per hidden digit', () => {
    const ach = toWireAch({ ...base, kind: 'ach', brand: null, bin: null, last4: '7890', numberLength: 10, routingNumber: '123123123', accountType: 'checking', secCode: 'WEB' });
    expect(ach).toMatchObject({ masked_account_number: 'XXXXXX7890', routing_number: '123123123', account_type: 'checking', sec_code: 'web' });
  });
});

describe('error table (§3.3)', () => {
  it('maps core errors to the dialect answers and everything else to a bare 500', () => {
    expect(toFluidPayError(new NotFoundError('customer')).body()).toEqual({ status: 'failed', msg: 'not found' });
    expect(toFluidPayError(new ConflictError('duplicate_vault_id')).msg).toBe('bad request error: customer id already exists');
    expect(toFluidPayError(new ConflictError('duplicate_address')).msg).toBe('invalid: would create a duplicate address');
    const internal = toFluidPayError(new Error('SQLITE_BUSY: select * from customer'));
    expect([internal.httpStatus, internal.msg]).toEqual([500, 'internal server error']);
  });
});

describe('dialect object', () => {
  it('issues api_ and pub_ keys and an xid owner id, or validates the operator\'s', () => {
    expect(fluidpay.rootPrefixes).toEqual(['/api']);
    expect(fluidpay.keys.map((k) => [k.kind, k.label, k.format('R')])).toEqual([
      ['secret', 'fluidpay', 'api_R'],
      ['public', 'fluidpay_public', 'pub_R'],
    ]);
    const settings = fluidpay.initialSettings({});
    expect(settings).toEqual({ enabled: true, ownerId: expect.stringMatching(/^[0-9a-v]{19}[0g]$/) });
    expect(fluidpay.initialSettings({ ownerId: 'testmerchant12345678' }).ownerId).toBe('testmerchant12345678');
    expect(() => fluidpay.initialSettings({ ownerId: 'bad id!' })).toThrow('ownerId');
    expect(fluidpay.describeTenant?.(settings)).toEqual({ fluidpayOwnerId: settings.ownerId });
    expect(fluidpay.exampleCurl('http://localhost:8080', { fluidpay: 'api_X' }, settings)).toContain("-H 'Authorization: api_X'");
  });
});
