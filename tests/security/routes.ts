/**
 * Every route of every dialect, as data: method, path template, a valid body, and how to fill the
 * ids. Taken from the operation lists of the contracts (§1, listed in docs/dialects/*.md "Contract notes") and the
 * adapters' routers. The security tests (tenancy, credentials, malformed bodies, idempotency) loop
 * over this table, so a route added to a dialect without a line here is a gap to close here.
 *
 * Path templates name ids in braces. Parent ids (`customer`, `customerToken`, `account`) select the
 * customer or account; child ids (`address`, `card`, `ach`, `shipping`, `pm`, `pm2`) name a record
 * under it. `fixtures()` creates one of each in a tenant through the dialect's own API.
 */
import request from 'supertest';
import type { Response } from 'supertest';
import type { CreatedTenant, Harness } from '../support/harness';

export type DialectName = 'maast' | 'fluidpay' | 'exact' | 'stax';
export const DIALECT_NAMES: DialectName[] = ['maast', 'fluidpay', 'exact', 'stax'];
export type Method = 'get' | 'post' | 'put' | 'delete';
export type Ids = Record<string, string>;

export interface RouteSpec {
  dialect: DialectName;
  /** Contract operation number and name, for failure messages. */
  name: string;
  method: Method;
  /** Full path from the gateway root, with `{id}` placeholders. */
  path: string;
  /** A valid body for this route (POST/PUT); the ids are the tenant's fixtures. */
  body?: (ids: Ids) => unknown;
  /** The FluidPay tokenizer takes the public key; every other route a secret key. */
  publicKey?: boolean;
}

/** Secrets the tests send. Every one of them is searched for in the captured logs. */
export const PANS = {
  maast: '4111111111111111',
  maast2: '5454545454545454',
  fluidpay: '4012888888881881',
  fluidpay2: '6011111111111117',
  exact: '4000056655665556',
  exact2: '5555555555554444',
  stax: '4242424242424242',
  stax2: '5105105105105100',
  tokenizer: '378282246310005',
};
export const ACCOUNTS = { maast: '3456776866', fluidpay: '7391046652', exact: '81726354', stax: '9876543456' };
/** CVVs sent with cards: unusual values, so that finding one in a log is not a coincidence. */
export const CVVS = ['8642', '9731', '7319'];

const MAAST = '/platform/vault/customer';
const FP = '/api/vault';

const maastBasic = (key: string) => 'Basic ' + Buffer.from(':' + key).toString('base64');

/** The Authorization header a well-behaved client of each dialect sends. */
export function authHeader(dialect: DialectName, key: string): string {
  switch (dialect) {
    case 'maast':
      return maastBasic(key);
    case 'fluidpay':
    case 'exact':
      return key;
    case 'stax':
      return `Bearer ${key}`;
  }
}

export function keyOf(tenant: CreatedTenant, dialect: DialectName, publicKey = false): string {
  return tenant.keys[publicKey ? 'fluidpay_public' : dialect];
}

const exactRoutes = (prefix: string, family: string): RouteSpec[] => {
  const p = `/exact${prefix}`;
  const r = (name: string, method: Method, path: string, body?: RouteSpec['body']): RouteSpec => ({ dialect: 'exact', name: `${name} ${family}`, method, path: p + path, body });
  return [
    r('E1 create customer', 'post', '/customer', () => ({ name: 'Jane Doe', email: 'jane@example.com', phone: '5551234567', addresses: [{ label: 'Work', line1: '1 Main St', city: 'Mesa', state: 'AZ', postalCode: '85201', country: 'US' }] })),
    r('E2 list customers', 'get', '/customer'),
    r('E3 get customer', 'get', '/customer/{customer}'),
    r('E4 update customer', 'put', '/customer/{customer}', () => ({ phone: '5559876543', name: 'Janet Doe' })),
    r('E5 delete customer', 'delete', '/customer/{customer}'),
    r('E6 tokenize', 'post', '/payment-method', () => ({
      type: 'card',
      billingDetails: { name: 'Jane Doe', email: 'jane@example.com', phone: '5545844859', address: { line1: '1 Main St', city: 'Mesa', state: 'AZ', postalCode: '85201', country: 'US' } },
      card: { number: PANS.exact2, expiry: { month: 12, year: 2031 }, cvc: CVVS[1] },
    })),
    r('E7 get payment method', 'get', '/payment-method/{pm}'),
    r('E7 look up customer token', 'get', '/payment-method/{customerToken}'),
    r('E8 delete payment method', 'delete', '/payment-method/{pm}'),
    r('E9 attach', 'post', '/customer/{customer}/payment-method', (ids) => ({ token: ids.pm2, isDefault: true, label: 'My Visa Card' })),
    r('E10 list attached', 'get', '/customer/{customer}/payment-method'),
    r('E11 get attached', 'get', '/customer/{customer}/payment-method/{pm}'),
    r('E12 unlink', 'delete', '/customer/{customer}/payment-method/{pm}'),
    r('E13 default', 'get', '/customer/{customer}/payment-method/default'),
    r('E14 by customer token', 'get', '/customer-token/{customerToken}/payment-method'),
  ];
};

export const ROUTES: RouteSpec[] = [
  // Maast: contract §1.2, fifteen operations under /platform.
  ...((): RouteSpec[] => {
    const r = (name: string, method: Method, path: string, body?: RouteSpec['body']): RouteSpec => ({ dialect: 'maast', name, method, path: MAAST + path, body });
    return [
      r('#1 addCustomer', 'post', '', () => ({
        auto_generate_customer_id: true,
        customer_first_name: 'Jane',
        customer_last_name: 'Doe',
        customer_email: 'jane@example.com',
        billing_cards: [{ card_number: PANS.maast2, exp_date: '1230', cvv2: CVVS[0], billing_zip: '94402', billing_first_name: 'Jane', billing_last_name: 'Doe' }],
        shipping_addresses: [{ shipping_first_name: 'Jane', shipping_last_name: 'Doe', shipping_city: 'Mesa', shipping_zip: '85201' }],
      })),
      r('#2 browseCustomers', 'get', '?filter=customer_id,IS,{customer}'),
      r('#3 getCustomer', 'get', '/{customer}'),
      r('#4 updateCustomer', 'put', '/{customer}', () => ({ customer_first_name: 'Janet', customer_last_name: 'Doe' })),
      r('#5 deleteCustomer', 'delete', '/{customer}'),
      r('#6 addBillingCard', 'post', '/{customer}/billing', () => ({ card_number: PANS.maast2, exp_date: '1230', cvv2: CVVS[0], billing_zip: '94402', primary: false })),
      r('#7 getBillingCards', 'get', '/{customer}/billing'),
      r('#8 updateBillingCard', 'put', '/{customer}/billing', (ids) => ({ card_id: ids.card, billing_zip: '11111', exp_date: '0931' })),
      r('#9 deleteBillingCard', 'put', '/{customer}/billing/delete', (ids) => ({ card_id: ids.card })),
      r('#10 setPrimaryBillingCard', 'put', '/{customer}/billing/primary', (ids) => ({ card_id: ids.card })),
      r('#11 addShippingAddress', 'post', '/{customer}/shipping', () => ({ shipping_first_name: 'Ann', shipping_last_name: 'Lee', shipping_city: 'Tempe', primary: false })),
      r('#12 getShippingAddresses', 'get', '/{customer}/shipping'),
      r('#13 updateShippingAddress', 'put', '/{customer}/shipping', (ids) => ({ shipping_id: Number(ids.shipping), shipping_first_name: 'Ann', shipping_last_name: 'Lee' })),
      r('#14 deleteShippingAddress', 'delete', '/{customer}/shipping/{shipping}'),
      r('#15 setPrimaryShippingAddress', 'put', '/{customer}/shipping/primary', (ids) => ({ shipping_id: Number(ids.shipping) })),
    ];
  })(),
  // FluidPay: contract §1.2, nineteen operations under /api.
  ...((): RouteSpec[] => {
    const r = (name: string, method: Method, path: string, body?: RouteSpec['body']): RouteSpec => ({ dialect: 'fluidpay', name, method, path: FP + path, body });
    const address = { first_name: 'John', last_name: 'Smith', line_1: '500 Market St', city: 'Chicago', state: 'IL', postal_code: '60601', country: 'US', email: 'john@example.com' };
    return [
      r('#1 create customer', 'post', '/customer', () => ({
        description: 'security test',
        default_payment: { card: { number: PANS.fluidpay2, expiration_date: '12/30', cvc: CVVS[2] } },
        default_billing_address: address,
      })),
      r('#2 get customer', 'get', '/{customer}'),
      r('#3 search', 'post', '/customer/search', (ids) => ({ id: { operator: '=', value: ids.customer }, limit: 10, offset: 0 })),
      r('#4 update customer', 'post', '/customer/{customer}', () => ({ description: 'updated' })),
      r('#5 delete customer', 'delete', '/{customer}'),
      r('#6 add address', 'post', '/customer/{customer}/address', () => ({ ...address, line_1: '1 Other St' })),
      r('#7 update address', 'post', '/customer/{customer}/address/{address}', () => ({ ...address, city: 'Evanston' })),
      r('#8 delete address', 'delete', '/customer/{customer}/address/{address}'),
      r('#9 add card', 'post', '/customer/{customer}/card', () => ({ number: PANS.fluidpay2, expiration_date: '1230', cvc: CVVS[2] })),
      r('#10 update card', 'post', '/customer/{customer}/card/{card}', () => ({ expiration_date: '01/31', flags: ['surcharge_exempt'] })),
      r('#11 delete card', 'delete', '/customer/{customer}/card/{card}'),
      r('#12 add ach', 'post', '/customer/{customer}/ach', () => ({ account_number: '55512340987', routing_number: '123123123', account_type: 'checking', sec_code: 'web' })),
      r('#13 update ach', 'post', '/customer/{customer}/ach/{ach}', () => ({ account_type: 'savings', sec_code: 'ppd' })),
      r('#14 delete ach', 'delete', '/customer/{customer}/ach/{ach}'),
      r('#15 add from token', 'post', '/customer/{customer}/token', () => ({ token: 'cp1nqpaq3ou114hqfs90' })),
      r('#16 replace with token', 'post', '/customer/{customer}/token/{card}', () => ({ token: 'cp1nqpaq3ou114hqfs90' })),
      r('#17 applepay', 'post', '/customer/{customer}/applepay', () => ({ key_id: 'merchant.com.example', temporary_token: 'tmp-token' })),
      r('#18 googlepay', 'post', '/customer/{customer}/googlepay', () => ({ google_pay_token: { signature: 'sig', protocolVersion: 'ECv2', signedMessage: '{}' } })),
      {
        dialect: 'fluidpay',
        name: '#19 tokenizer',
        method: 'post',
        path: '/api/tokenizer/token',
        publicKey: true,
        body: () => ({ card: { number: PANS.tokenizer, expiration_date: '1230', cvc: CVVS[0] } }),
      },
    ];
  })(),
  // Exact: contract §1.3, E1–E14 in merchant and in partner context.
  ...exactRoutes('', 'merchant'),
  ...exactRoutes('/account/{account}', 'partner'),
  // Stax: contract §1.2, S1–S11 under /stax.
  ...((): RouteSpec[] => {
    const r = (name: string, method: Method, path: string, body?: RouteSpec['body']): RouteSpec => ({ dialect: 'stax', name, method, path: '/stax' + path, body });
    return [
      r('S1 create customer', 'post', '/customer', () => ({ firstname: 'Jane', lastname: 'Doe', email: 'jane@example.com', address_zip: '32801', address_country: 'USA' })),
      r('S2 list customers', 'get', '/customer'),
      r('S3 get customer', 'get', '/customer/{customer}'),
      r('S4 update customer', 'put', '/customer/{customer}', () => ({ firstname: 'Janet', notes: 'vip' })),
      r('S5 delete customer', 'delete', '/customer/{customer}'),
      r('S6 restore customer', 'put', '/customer/{customer}/restore', () => ({})),
      r('S7 list payment methods', 'get', '/customer/{customer}/payment-method'),
      r('S8 tokenize', 'post', '/payment-method', (ids) => ({
        method: 'card',
        customer_id: ids.customer,
        person_name: 'Jane Doe',
        card_number: PANS.stax2,
        card_cvv: CVVS[1],
        card_exp: '0431',
        address_zip: '32944',
      })),
      r('S9 get payment method', 'get', '/payment-method/{pm}'),
      r('S10 update payment method', 'put', '/payment-method/{pm}', () => ({ person_name: 'Janet Doe', address_zip: '32801' })),
      r('S11 delete payment method', 'delete', '/payment-method/{pm}'),
    ];
  })(),
];

export const routesOf = (dialect: DialectName) => ROUTES.filter((route) => route.dialect === dialect);
export const isWrite = (route: RouteSpec) => route.body !== undefined;

export const PARENT_IDS = new Set(['customer', 'customerToken', 'account']);

export function fill(path: string, ids: Ids): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (ids[name] === undefined) throw new Error(`no id ${name} for ${path}`);
    return encodeURIComponent(ids[name]);
  });
}

export interface Call {
  method: Method;
  path: string;
  authorization?: string | null;
  body?: unknown;
  /** Sent as it is (a string) instead of JSON.stringify(body). */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export function send(h: Harness, call: Call): request.Test {
  let test = request(h.app)[call.method](call.path);
  if (call.authorization !== undefined && call.authorization !== null) test = test.set('Authorization', call.authorization);
  for (const [name, value] of Object.entries(call.headers ?? {})) test = test.set(name, value);
  const payload = call.raw ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
  if (payload !== undefined) test = test.set('Content-Type', call.contentType ?? 'application/json').send(payload);
  return test;
}

/** A call of one route by the tenant that owns the key, with its ids and its valid body. */
export function routeCall(route: RouteSpec, tenant: CreatedTenant, ids: Ids, overrides: Partial<Call> = {}): Call {
  return {
    method: route.method,
    path: fill(route.path, ids),
    authorization: authHeader(route.dialect, keyOf(tenant, route.dialect, route.publicKey)),
    body: route.body?.(ids),
    ...overrides,
  };
}

function ok(res: Response, status: number, what: string): Response {
  if (res.status !== status) throw new Error(`fixture ${what}: ${res.status} ${res.text}`);
  return res;
}

/**
 * One of each record in the tenant, created through the dialect's own API: the ids every route
 * template needs. Each call creates new records (a fresh customer, its cards, addresses, …).
 */
export async function fixtures(h: Harness, tenant: CreatedTenant, dialect: DialectName): Promise<Ids> {
  const call = (method: Method, path: string, body?: unknown) => send(h, { method, path, authorization: authHeader(dialect, tenant.keys[dialect]), body });
  switch (dialect) {
    case 'maast': {
      const res = ok(
        await call('post', MAAST, {
          auto_generate_customer_id: true,
          customer_first_name: 'John',
          customer_last_name: 'Doe',
          billing_cards: [
            { card_number: PANS.maast, exp_date: '1230', cvv2: CVVS[0], billing_zip: '94402', billing_first_name: 'John', billing_last_name: 'Doe' },
            { tr_number: '011111111', dda_number: ACCOUNTS.maast, billing_first_name: 'John', billing_last_name: 'Doe', type_id: 'K' },
          ],
          shipping_addresses: [
            { shipping_first_name: 'John', shipping_last_name: 'Doe', shipping_city: 'Mesa' },
            { shipping_first_name: 'Jim', shipping_last_name: 'Doe', shipping_city: 'Tempe' },
          ],
        }),
        200,
        'maast customer',
      );
      const data = res.body.data;
      return { customer: data.customer_id, card: data.billing_cards[0].card_id, shipping: String(data.shipping_addresses[0].shipping_id) };
    }
    case 'fluidpay': {
      const created = ok(
        await call('post', `${FP}/customer`, {
          description: 'fixture',
          default_payment: { card: { number: PANS.fluidpay, expiration_date: '12/30', cvc: CVVS[1] } },
          default_billing_address: { first_name: 'John', last_name: 'Smith', line_1: '123 Some St', city: 'Some Town', state: 'IL', postal_code: '60187', country: 'US' },
        }),
        200,
        'fluidpay customer',
      );
      const customer = created.body.data.id as string;
      const address = ok(await call('post', `${FP}/customer/${customer}/address`, { first_name: 'Ann', last_name: 'Lee', line_1: '9 Elm St', city: 'Chicago', state: 'IL', postal_code: '60601', country: 'US' }), 200, 'fluidpay address').body.data.created_address_id;
      const card = ok(await call('post', `${FP}/customer/${customer}/card`, { number: PANS.fluidpay2, expiration_date: '1230', cvc: CVVS[2] }), 200, 'fluidpay card').body.data.created_payment_method_id;
      const ach = ok(await call('post', `${FP}/customer/${customer}/ach`, { account_number: ACCOUNTS.fluidpay, routing_number: '123123123', account_type: 'checking', sec_code: 'web' }), 200, 'fluidpay ach').body.data.created_payment_method_id;
      return { customer, address, card, ach };
    }
    case 'exact': {
      const created = ok(await call('post', '/exact/customer', { name: 'John Doe', email: 'john@example.com', addresses: [{ label: 'Work', line1: '7272 Indian School Dr', city: 'Scottsdale', state: 'AZ', postalCode: '85251', country: 'USA', isDefault: true }] }), 201, 'exact customer');
      const tokenize = async (number: string) =>
        ok(
          await call('post', '/exact/payment-method', {
            type: 'card',
            billingDetails: { name: 'John Doe', email: 'john@example.com', phone: '5545844859', address: { line1: 'Bond Street', city: 'Knoxville', state: 'TN', postalCode: '37920', country: 'USA' } },
            card: { number, expiry: { month: 12, year: 2030 }, cvc: CVVS[0] },
          }),
          200,
          'exact tokenize',
        ).body.token as string;
      const pm = await tokenize(PANS.exact);
      ok(await call('post', `/exact/customer/${created.body.id}/payment-method`, { token: pm, isDefault: true, label: 'Visa' }), 201, 'exact attach');
      const pm2 = await tokenize(PANS.exact2);
      const bank = ok(
        await call('post', '/exact/payment-method', { type: 'ach', billingDetails: { name: 'John Doe', email: 'john@example.com', phone: '5545844859', address: { line1: 'Bond Street', city: 'Knoxville', state: 'TN', postalCode: '37920', country: 'US' } }, ach: { routingNumber: '091000022', accountNumber: ACCOUNTS.exact, bankAccountType: 'checking' } }),
        200,
        'exact ach',
      ).body.token as string;
      return { customer: created.body.id, customerToken: created.body.token, pm, pm2, bank, account: String(tenant.settings.exact?.accountId) };
    }
    case 'stax': {
      const customer = ok(await call('post', '/stax/customer', { firstname: 'John', lastname: 'Doe', email: 'john@example.com' }), 201, 'stax customer').body.id as string;
      const pm = ok(await call('post', '/stax/payment-method', { method: 'card', customer_id: customer, person_name: 'John Doe', card_number: PANS.stax, card_cvv: CVVS[2], card_exp: '0430', address_zip: '32944' }), 200, 'stax card').body.id as string;
      const bank = ok(
        await call('post', '/stax/payment-method', { method: 'bank', customer_id: customer, person_name: 'John Doe', bank_account: ACCOUNTS.stax, bank_routing: '021000021', bank_name: 'First National Bank', bank_type: 'checking', bank_holder_type: 'personal' }),
        200,
        'stax bank',
      ).body.id as string;
      return { customer, pm, bank };
    }
  }
}

/** Ids of the right shape that name nothing, in any tenant. */
export function unknownIds(dialect: DialectName): Ids {
  switch (dialect) {
    case 'maast':
      return { customer: 'NeverExisted0001', card: '0123456789abcdef0123456789abcdef', shipping: '987654321' };
    case 'fluidpay':
      return { customer: 'c0000000000000000010', address: 'c0000000000000000020', card: 'c0000000000000000030', ach: 'c0000000000000000040', token: 'NeverIssuedTokenNeverIssuedToken' };
    case 'exact':
      return {
        customer: '0123456789abcdef01234567',
        customerToken: '4b5d7a3e-1f2c-4d6e-9a8b-7c6d5e4f3a2b',
        pm: '054f3ce9-ad96-4306-abcc-5722e5313a71',
        pm2: '154f3ce9-ad96-4306-abcc-5722e5313a72',
        bank: '254f3ce9-ad96-4306-abcc-5722e5313a73',
        account: 'ffffffffffffffffffffffff',
      };
    case 'stax':
      return { customer: '0d3c2b1a-9f8e-4d7c-8b6a-5f4e3d2c1b0a', pm: '1d3c2b1a-9f8e-4d7c-8b6a-5f4e3d2c1b0b', bank: '2d3c2b1a-9f8e-4d7c-8b6a-5f4e3d2c1b0c' };
  }
}

/** The 401 every dialect answers for a missing, malformed, unknown, revoked or foreign key (contracts §2–3). */
export function expectUnauthorized(dialect: DialectName, res: Response, what: string): void {
  const got = `${what}: ${res.status} ${res.text}`;
  switch (dialect) {
    case 'maast':
      expect(got).toBe(`${what}: 401 ${JSON.stringify({ code: 11, message: 'Invalid credentials' })}`);
      break;
    case 'fluidpay':
      expect(got).toBe(`${what}: 401 ${JSON.stringify({ status: 'failed', msg: 'unauthorized' })}`);
      expect(res.headers['x-correlation-id']).toBeDefined();
      break;
    case 'exact':
      expect(res.headers['x-request-id']).toBeDefined();
      expect(`${what}: ${res.status} ${JSON.stringify(res.body)}`).toBe(
        `${what}: 401 ${JSON.stringify({ code: 'unauthorized', message: 'Unauthorized', type: 'authentication-error', requestId: res.headers['x-request-id'] })}`,
      );
      expect(Object.keys(res.body).sort()).toEqual(['code', 'message', 'requestId', 'type']);
      break;
    case 'stax':
      expect(got).toBe(`${what}: 401 ${JSON.stringify({ message: 'Unauthenticated.' })}`);
      break;
  }
}

/** True when the body is an error in the dialect's own envelope (contracts §3). */
export function isDialectError(dialect: DialectName, res: Response): boolean {
  const body = res.body as Record<string, unknown>;
  if (!res.headers['content-type']?.startsWith('application/json')) return false;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const keys = Object.keys(body).sort().join(',');
  switch (dialect) {
    case 'maast':
      return typeof body.code === 'number' && body.code !== 0 && typeof body.message === 'string' && (keys === 'code,message' || (body.code === 2 && keys === 'code,data,message'));
    case 'fluidpay':
      return keys === 'msg,status' && body.status === 'failed' && typeof body.msg === 'string';
    case 'exact':
      return (
        (keys === 'code,message,requestId,type' || keys === 'code,message,pathIssues,requestId,type') &&
        body.requestId === res.headers['x-request-id'] &&
        typeof body.code === 'string'
      );
    case 'stax':
      if (keys === 'error' && typeof body.error === 'string') return true;
      if (keys === 'message' && typeof body.message === 'string') return true;
      // 422: a flat map of field → [one message].
      return res.status === 422 && Object.values(body).length > 0 && Object.values(body).every((v) => Array.isArray(v) && v.length === 1 && typeof v[0] === 'string');
  }
}

/** Row counts of the three vault tables (a refused write must leave them as they were). */
export async function vaultRows(h: Harness): Promise<string> {
  const rows = await h.context.store.read((m) =>
    m.query('SELECT (SELECT COUNT(*) FROM customer) AS c, (SELECT COUNT(*) FROM address) AS a, (SELECT COUNT(*) FROM payment_method) AS p'),
  );
  const row = rows[0] as Record<string, unknown>;
  return `customer=${Number(row.c)} address=${Number(row.a)} payment_method=${Number(row.p)}`;
}

/**
 * The captured log holds none of these secrets: PANs, account numbers, CVVs (as a whole number,
 * not part of a request id or a duration), API keys and Authorization header values.
 */
export function expectLogsClean(logs: string, secrets: Iterable<string>): void {
  expect(logs.length).toBeGreaterThan(0);
  // Request ids and durations are random numbers that may contain any short digit run.
  const scrubbed = logs.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>').replace(/"ms":[0-9.e-]+/g, '"ms":0');
  const found: string[] = [];
  for (const secret of new Set(secrets)) {
    if (!secret) continue;
    const short = /^\d{3,4}$/.test(secret);
    // A short secret counts when it stands alone (a JSON value, a word), not inside an id or a hash.
    const hit = short ? new RegExp(`(^|[^0-9A-Za-z+/=_-])${secret}([^0-9A-Za-z+/=_-]|$)`).test(scrubbed) : scrubbed.includes(secret);
    if (hit) found.push(secret);
  }
  expect(found).toEqual([]);
}

/** Every secret a tenant's clients may send: its keys, the header values that carry them, and the test numbers. */
export function tenantSecrets(tenant: CreatedTenant): string[] {
  const out: string[] = [];
  for (const key of Object.values(tenant.keys)) {
    out.push(key, maastBasic(key), Buffer.from(':' + key).toString('base64'), Buffer.from(key + ':').toString('base64'));
  }
  return out;
}

export const NUMBER_SECRETS = [...Object.values(PANS), ...Object.values(ACCOUNTS), ...CVVS];
