/** Helpers of the Maast dialect tests: credentials, the provider's seed examples, common requests. */
import request from 'supertest';
import type { Harness } from '../../support/harness';
import { MAAST_ADD_CUSTOMER_GUIDE, seedText } from '../../support/seeds';
import { responseSchemaOf, specValidators } from './openapi';

export const DOC_MERCHANT_ID = '210000000289';

/** Form A of contract §2.1: empty user name, the key as password (the provider's documentation). */
export const basicA = (key: string): string => 'Basic ' + Buffer.from(':' + key).toString('base64');
/** Form B: the merchant id as user name (the "Try It!" console). */
export const basicB = (merchantId: string, key: string): string => 'Basic ' + Buffer.from(`${merchantId}:${key}`).toString('base64');
/** Form C: the key as user name, empty password (Qualpay-era SDKs). */
export const basicC = (key: string): string => 'Basic ' + Buffer.from(key + ':').toString('base64');

/** The example request body of the guide's "Example Request" (`--data '…'`), as sent by the guide. */
export function seedExampleRequest(): string {
  const text = seedText(MAAST_ADD_CUSTOMER_GUIDE);
  const start = text.indexOf("--data '", text.indexOf('Example Request'));
  const body = text.slice(start + "--data '".length, text.indexOf("\n'", start));
  return body.trim();
}

/** The guide's documented response (after "Maast will return a response like the code below:"). */
export function seedExampleResponse(): Record<string, unknown> {
  const text = seedText(MAAST_ADD_CUSTOMER_GUIDE);
  const start = text.indexOf('{', text.indexOf('Maast will return a response like'));
  const end = text.indexOf('\nCheck the code', start);
  return JSON.parse(text.slice(start, end)) as Record<string, unknown>;
}

export interface MaastClient {
  key: string;
  merchantId: string;
  tenantId: string;
  get(path: string): request.Test;
  del(path: string): request.Test;
  post(path: string, body?: unknown): request.Test;
  put(path: string, body?: unknown): request.Test;
}

/** A tenant with the Maast dialect (merchant id of the provider's documentation unless told) and a client for it. */
export async function maastTenant(h: Harness, merchantId: string = DOC_MERCHANT_ID): Promise<MaastClient> {
  const created = await h.createTenant({ dialects: ['maast'], settings: { maast: { merchantId } } });
  const key = created.keys.maast;
  const auth = basicA(key);
  // Every success answer of every request the tests send is checked against the provider's schema.
  const send = (test: request.Test, body?: unknown): request.Test => {
    const withAuth = test.set('Authorization', auth).expect((res) => {
      if (res.status === 200) specValidators().assertValid(responseSchemaOf(test.method, test.url.replace(/^https?:\/\/[^/]+/, '')), res.body);
    });
    if (body === undefined) return withAuth;
    return typeof body === 'string' ? withAuth.set('Content-Type', 'application/json').send(body) : withAuth.send(body as object);
  };
  return {
    key,
    merchantId: String(created.settings.maast?.merchantId),
    tenantId: created.tenant.id,
    get: (path) => send(request(h.app).get(path)),
    del: (path) => send(request(h.app).delete(path)),
    post: (path, body) => send(request(h.app).post(path), body),
    put: (path, body) => send(request(h.app).put(path), body),
  };
}

export const VAULT = '/platform/vault/customer';

/** A short valid customer with one card (the auto-generated example of contract §4.1, with an explicit id). */
export function smallCustomer(customerId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    customer_id: customerId,
    customer_firm_name: 'Kill Bill',
    billing_cards: [{ billing_firm_name: 'Kill Bill', billing_zip: '94402', cvv2: '152', exp_date: '0420', card_number: '4111111111111111' }],
    ...extra,
  };
}
