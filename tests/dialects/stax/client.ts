/**
 * A small Stax client for the tests: requests as a Stax client sends them (Bearer key, JSON),
 * against the gateway under `/stax`.
 */
import request from 'supertest';
import type { Harness } from '../../support/harness';

export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const STAX_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

export interface StaxTenant {
  key: string;
  merchantId: string;
  tenantId: string;
  keys: Record<string, string>;
}

export async function staxTenant(h: Harness): Promise<StaxTenant> {
  const created = await h.createTenant();
  return { key: created.keys.stax, merchantId: String(created.settings.stax?.merchantId), tenantId: created.tenant.id, keys: created.keys };
}

export function stax(h: Harness, key: string | null) {
  const auth = (test: request.Test): request.Test => (key === null ? test : test.set('Authorization', `Bearer ${key}`));
  const agent = request(h.app);
  return {
    get: (path: string) => auth(agent.get(`/stax${path}`)),
    delete: (path: string) => auth(agent.delete(`/stax${path}`)),
    post: (path: string, body?: unknown) => auth(agent.post(`/stax${path}`)).set('Content-Type', 'application/json').send(JSON.stringify(body ?? {})),
    put: (path: string, body?: unknown) => auth(agent.put(`/stax${path}`)).set('Content-Type', 'application/json').send(JSON.stringify(body ?? {})),
    raw: (method: 'post' | 'put' | 'patch' | 'get' | 'delete', path: string) => auth(agent[method](`/stax${path}`)),
  };
}

/** Row counts of the tables a failed write must leave untouched. */
export async function rowCounts(h: Harness): Promise<Record<string, number>> {
  const tables = await h.dumpTables();
  return { customer: tables.customer.length, address: tables.address.length, payment_method: tables.payment_method.length };
}

/** The documented S1 example request (§4.2), verbatim. */
export const S1_EXAMPLE = {
  firstname: 'John',
  lastname: 'Smith',
  company: 'ABC INC',
  email: 'john@example.com',
  cc_emails: ['billing@example.com'],
  cc_sms: [],
  phone: '1234567898',
  address_1: '123 Rite Way',
  address_2: 'Unit 12',
  address_city: 'Orlando',
  address_state: 'FL',
  address_zip: '32801',
  address_country: 'USA',
  reference: 'crm-000123',
  notes: '',
  options: {
    custom_fields: [
      { name: 'Client ID', type: 'text', value: 'A-1001' },
      { name: 'Seats', type: 'number', value: 12 },
      { name: 'Renewal', type: 'date', value: '2025-06-30' },
      { name: 'VIP', type: 'boolean', value: true },
    ],
  },
  allow_invoice_credit_card_payments: true,
};

/** The documented S1 response (§4.2) without `id` and the timestamps, which are the store's. */
export const S1_EXAMPLE_RESPONSE = {
  firstname: 'John',
  lastname: 'Smith',
  company: 'ABC INC',
  email: 'john@example.com',
  cc_emails: ['billing@example.com'],
  cc_sms: [],
  phone: '1234567898',
  address_1: '123 Rite Way',
  address_2: 'Unit 12',
  address_city: 'Orlando',
  address_state: 'FL',
  address_zip: '32801',
  address_country: 'USA',
  notes: null,
  reference: 'crm-000123',
  options: {
    custom_fields: [
      { name: 'Client ID', type: 'text', value: 'A-1001' },
      { name: 'Seats', type: 'number', value: '12' },
      { name: 'Renewal', type: 'date', value: '2025-06-30' },
      { name: 'VIP', type: 'boolean', value: 'true' },
    ],
  },
  deleted_at: null,
  allow_invoice_credit_card_payments: true,
  gravatar: '//www.gravatar.com/avatar/d4c74594d841139328695756648b6bd6',
  parent_merge: null,
  child_merges: [],
};
