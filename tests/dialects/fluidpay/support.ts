/** Shared fixtures of the FluidPay HTTP tests: the contract's documented bodies, verbatim. */
import request from 'supertest';
import type { Harness } from '../../support/harness';

export const XID = /^[0-9a-v]{19}[0g]$/;
export const RFC3339_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** §4.1 example request (the seed's create table, every field). */
export const DOCUMENTED_CREATE = {
  description: 'test description',
  flags: ['surcharge_exempt'],
  default_payment: {
    card: { number: '4111111111111111', expiration_date: '12/30' },
  },
  default_billing_address: {
    first_name: 'John',
    last_name: 'Smith',
    company: 'Some Business',
    line_1: '123 Some St',
    line_2: 'STE 1',
    city: 'Some Town',
    state: 'IL',
    postal_code: '60187',
    country: 'US',
    email: 'user@somesite.com',
    phone: '5555555555',
    fax: '5555555556',
  },
  default_shipping_address: {
    first_name: 'John',
    last_name: 'Smith',
    company: 'Some Business',
    line_1: '123 Some St',
    line_2: 'STE 1',
    city: 'Some Town',
    state: 'IL',
    postal_code: '60187',
    country: 'US',
    email: 'user@somesite.com',
    phone: '5555555555',
    fax: '5555555556',
  },
};

/** §4.6 example request. */
export const DOCUMENTED_ADDRESS = {
  first_name: 'John',
  last_name: 'Smith',
  line_1: '500 Market St',
  city: 'Chicago',
  state: 'IL',
  postal_code: '60601',
  country: 'US',
};

/** §4.12 example request. */
export const DOCUMENTED_ACH = { account_number: '1234567890', routing_number: '123123123', account_type: 'checking', sec_code: 'web' };

export interface FluidPayTenant {
  key: string;
  publicKey: string;
  ownerId: string;
  tenantId: string;
}

export async function fluidpayTenant(h: Harness): Promise<FluidPayTenant> {
  const t = await h.createTenant({ dialects: ['fluidpay'] });
  return { key: t.keys.fluidpay, publicKey: t.keys.fluidpay_public, ownerId: String(t.settings.fluidpay?.ownerId), tenantId: t.tenant.id };
}

/** A client of one tenant: every request carries the raw key, as the provider's SDKs send it. */
export function client(h: Harness, key: string) {
  return {
    post: (path: string, body?: unknown) => {
      const r = request(h.app).post(path).set('Authorization', key).set('Content-Type', 'application/json');
      return body === undefined ? r : r.send(typeof body === 'string' ? body : JSON.stringify(body));
    },
    get: (path: string) => request(h.app).get(path).set('Authorization', key),
    delete: (path: string) => request(h.app).delete(path).set('Authorization', key),
  };
}

export async function tokenize(h: Harness, publicKey: string, body: unknown): Promise<string> {
  const res = await request(h.app).post('/api/tokenizer/token').set('Authorization', publicKey).send(body as object);
  if (res.status !== 200) throw new Error(`tokenize failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.token as string;
}
