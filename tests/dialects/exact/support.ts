/**
 * Shared pieces of the Exact dialect tests: an authenticated client for one tenant, the provider's
 * documented example bodies (verbatim), and small assertions.
 */
import request from 'supertest';
import type { Response, Test } from 'supertest';
import type { CreatedTenant, Harness } from '../../support/harness';

export const BASE = '/exact';
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const OBJECT_ID = /^[0-9a-f]{24}$/;
export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Seed 003 / contract §4.2: the documented create request, verbatim (the seed's e-mail is obfuscated, the contract's is not). */
export const SEED_CREATE_CUSTOMER = {
  name: 'John Doe',
  email: 'john@example.com',
  phone: '5551234567',
  addresses: [
    {
      label: 'Work',
      city: 'Scottsdale',
      country: 'USA',
      postalCode: '85251',
      state: 'AZ',
      line1: '7272 Indian School Dr',
      isDefault: true,
    },
  ],
};

/** Contract §4.7: the documented card tokenization request, verbatim. */
export const DOC_TOKENIZE_CARD = {
  type: 'card',
  billingDetails: {
    name: 'steve tack',
    email: 'steve.tack@example.com',
    phone: '5545844859',
    address: { line1: 'Bond Street', line2: 'somewhere', city: 'Knoxville', state: 'TN', postalCode: '37920', country: 'USA' },
  },
  card: { number: '4111111111111111', expiry: { month: 12, year: 2029 }, cvc: '275', tokenType: 'platform' },
};

/** Contract §4.7: the documented ACH tokenization request, verbatim. */
export const DOC_TOKENIZE_ACH = {
  type: 'ach',
  billingDetails: {
    name: 'steve tack',
    email: 'steve.tack@example.com',
    phone: '5545844859',
    address: { line1: 'Bond Street', city: 'Knoxville', state: 'TN', postalCode: '37920', country: 'US' },
  },
  ach: { routingNumber: '091000022', accountNumber: '123456', bankAccountType: 'checking' },
};

export type Method = 'get' | 'post' | 'put' | 'delete' | 'patch';

export interface ExactClient {
  tenant: CreatedTenant;
  accountId: string;
  key: string;
  /** Merchant-context request (`/exact/...`). */
  call(method: Method, path: string, body?: unknown): Test;
  /** Partner-context request (`/exact/account/{accountId}/...`). */
  partner(method: Method, path: string, body?: unknown, accountId?: string): Test;
  createCustomer(body?: unknown): Promise<Record<string, unknown>>;
  tokenize(body?: unknown): Promise<Record<string, unknown>>;
}

export async function exactClient(h: Harness, tenant?: CreatedTenant): Promise<ExactClient> {
  const created = tenant ?? (await h.createTenant());
  const key = created.keys.exact;
  const accountId = String(created.settings.exact?.accountId);
  const send = (method: Method, url: string, body?: unknown): Test => {
    let req = request(h.app)[method](url).set('Authorization', key);
    if (body !== undefined) req = req.set('Content-Type', 'application/json').send(typeof body === 'string' ? body : JSON.stringify(body));
    return req;
  };
  const client: ExactClient = {
    tenant: created,
    accountId,
    key,
    call: (method, path, body) => send(method, BASE + path, body),
    partner: (method, path, body, other) => send(method, `${BASE}/account/${other ?? accountId}${path}`, body),
    async createCustomer(body = SEED_CREATE_CUSTOMER) {
      const res = await send('post', `${BASE}/customer`, body);
      if (res.status !== 201) throw new Error(`create customer: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as Record<string, unknown>;
    },
    async tokenize(body = DOC_TOKENIZE_CARD) {
      const res = await send('post', `${BASE}/payment-method`, body);
      if (res.status !== 200) throw new Error(`tokenize: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as Record<string, unknown>;
    },
  };
  return client;
}

/** The answer has the Exact request id header, and an error body repeats it. */
export function expectRequestId(res: Response): string {
  const id = res.headers['x-request-id'];
  expect(id).toMatch(UUID_V4);
  if (res.status >= 400) expect(res.body.requestId).toBe(id);
  return id as string;
}

export function issues(res: Response): Array<{ field: string; type: string; details: string[] }> {
  expect(res.status).toBe(400);
  return res.body.pathIssues;
}

export function fields(res: Response): string[] {
  return issues(res).map((issue) => issue.field);
}

/** Counts of the vault's rows, to show a failed request wrote nothing. */
export async function rowCounts(h: Harness): Promise<Record<string, number>> {
  const tables = await h.dumpTables();
  return {
    customer: tables.customer.length,
    address: tables.address.length,
    payment_method: tables.payment_method.length,
  };
}

/** The same, plus every row's updated time, to show nothing changed. */
export async function vaultSnapshot(h: Harness): Promise<string> {
  const tables = await h.dumpTables();
  return JSON.stringify([tables.customer, tables.address, tables.payment_method]);
}

export const FOREIGN_OBJECT_ID = '64af8f090674c4d267779e4d';
export const FOREIGN_UUID = '054f3ce9-ad96-4306-abcc-5722e5313a71';
