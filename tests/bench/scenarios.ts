/**
 * The benchmark's requests, written as each provider's client sends them (routes and auth headers of
 * `docs/dialects/*.md`). The same requests go to polyvault and to the reference server.
 */
import type autocannon from 'autocannon';

export type Request = autocannon.Request;

export interface Keys {
  maast: string;
  fluidpay: string;
  exact: string;
  stax: string;
}

export const auth = {
  maast: (keys: Keys) => ({ Authorization: 'Basic ' + Buffer.from(':' + keys.maast).toString('base64') }),
  fluidpay: (keys: Keys) => ({ Authorization: keys.fluidpay }),
  exact: (keys: Keys) => ({ Authorization: keys.exact }),
  stax: (keys: Keys) => ({ Authorization: `Bearer ${keys.stax}` }),
};
const JSON_HEADERS = { 'Content-Type': 'application/json' };

/** What the read scenarios read: customers created before the measurement. */
export interface Targets {
  /** Maast `customer_id` / FluidPay custom id. */
  vaultIds: string[];
  /** Stax `id` (the canonical UUID, Exact's `token`). */
  uuids: string[];
  /** Exact `id` (the object id as 24 hex). */
  exactIds: string[];
  emails: string[];
  /** Maast browse filter values (`customer_last_name,IS,…`). */
  familyNames: string[];
}

let unique = 0;
/** Letters and digits only (Maast `customer_id`, FluidPay `id`), unique within this process. */
const nextId = (prefix: string) => `${prefix}${process.pid.toString(36)}${Date.now().toString(36)}${(unique++).toString(36)}`.slice(0, 32);
const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)];

export function maastCreateBody(customerId: string, i: number): string {
  return JSON.stringify({
    customer_id: customerId,
    customer_first_name: 'Jane',
    customer_last_name: `Bench${i % 1000}`,
    customer_email: `${customerId.toLowerCase()}@bench.example`,
    customer_phone: '999-999-9999',
    billing_cards: [{ card_number: '4111111111111111', exp_date: '1230', cvv2: '152', billing_first_name: 'Jane', billing_last_name: 'Bench', billing_zip: '94402' }],
  });
}

/** The seed customers: FluidPay creates with a custom id, a billing address with an e-mail, and a card. */
export function fluidpayCreateBody(id: string, email: string): string {
  return JSON.stringify({
    id,
    description: 'bench customer',
    default_payment: { card: { number: '4111111111111111', expiration_date: '12/30' } },
    default_billing_address: { first_name: 'John', last_name: 'Smith', line_1: '123 Some St', city: 'Some Town', state: 'IL', postal_code: '60187', country: 'US', email, phone: '5555555555' },
  });
}

export const requests = {
  maastCreate: (keys: Keys): Request => ({
    method: 'POST',
    path: '/platform/vault/customer',
    headers: { ...auth.maast(keys), ...JSON_HEADERS },
    setupRequest: (req) => {
      const id = nextId('M');
      return { ...req, body: maastCreateBody(id, unique) };
    },
  }),
  fluidpayCreate: (keys: Keys): Request => ({
    method: 'POST',
    path: '/api/vault/customer',
    headers: { ...auth.fluidpay(keys), ...JSON_HEADERS },
    setupRequest: (req) => {
      const id = nextId('F');
      return { ...req, body: fluidpayCreateBody(id, `${id.toLowerCase()}@bench.example`) };
    },
  }),
  exactCreate: (keys: Keys): Request => ({
    method: 'POST',
    path: '/exact/customer',
    headers: { ...auth.exact(keys), ...JSON_HEADERS },
    setupRequest: (req) => ({ ...req, body: JSON.stringify({ name: 'John Doe', email: `${nextId('e').toLowerCase()}@bench.example`, phone: '5551234567' }) }),
  }),
  staxCreate: (keys: Keys): Request => ({
    method: 'POST',
    path: '/stax/customer',
    headers: { ...auth.stax(keys), ...JSON_HEADERS },
    setupRequest: (req) => ({ ...req, body: JSON.stringify({ firstname: 'John', lastname: 'Smith', email: `${nextId('s').toLowerCase()}@bench.example`, phone: '1234567898' }) }),
  }),
  maastGet: (keys: Keys, t: Targets): Request => ({
    method: 'GET',
    headers: auth.maast(keys),
    setupRequest: (req) => ({ ...req, path: `/platform/vault/customer/${encodeURIComponent(pick(t.vaultIds))}` }),
  }),
  staxGet: (keys: Keys, t: Targets): Request => ({
    method: 'GET',
    headers: auth.stax(keys),
    setupRequest: (req) => ({ ...req, path: `/stax/customer/${pick(t.uuids)}` }),
  }),
  exactGet: (keys: Keys, t: Targets): Request => ({
    method: 'GET',
    headers: auth.exact(keys),
    setupRequest: (req) => ({ ...req, path: `/exact/customer/${pick(t.exactIds)}` }),
  }),
  fluidpaySearch: (keys: Keys, t: Targets): Request => ({
    method: 'POST',
    path: '/api/vault/customer/search',
    headers: { ...auth.fluidpay(keys), ...JSON_HEADERS },
    setupRequest: (req) => ({ ...req, body: JSON.stringify({ email: { operator: '=', value: pick(t.emails) } }) }),
  }),
  exactList: (keys: Keys, skip = 0): Request => ({
    method: 'GET',
    path: `/exact/customer?$limit=50${skip ? `&$skip=${skip}` : ''}`,
    headers: auth.exact(keys),
  }),
  maastBrowse: (keys: Keys, t: Targets): Request => ({
    method: 'GET',
    headers: auth.maast(keys),
    setupRequest: (req) => ({ ...req, path: `/platform/vault/customer?count=10&filter=${encodeURIComponent(`customer_last_name,IS,${pick(t.familyNames)}`)}` }),
  }),
};

export interface Scenario {
  name: string;
  title: string;
  /** Which target the issue sets on the polyvault ÷ reference ratio of requests/s. */
  target?: { kind: 'create' | 'get'; ratio: number };
  requests(keys: Keys, targets: Targets): Request[];
}

/** Issue 8 §2, in the order they run: reads on the seeded store first, then the writes that grow it. */
export const SCENARIOS: Scenario[] = [
  { name: 'maast-get', title: 'Maast get customer', target: { kind: 'get', ratio: 0.7 }, requests: (k, t) => [requests.maastGet(k, t)] },
  { name: 'stax-get', title: 'Stax get customer', target: { kind: 'get', ratio: 0.7 }, requests: (k, t) => [requests.staxGet(k, t)] },
  { name: 'fluidpay-search', title: 'FluidPay search by e-mail', requests: (k, t) => [requests.fluidpaySearch(k, t)] },
  { name: 'exact-list', title: 'Exact list ($limit=50)', requests: (k) => [requests.exactList(k)] },
  { name: 'maast-create', title: 'Maast create customer + card', target: { kind: 'create', ratio: 0.6 }, requests: (k) => [requests.maastCreate(k)] },
  {
    name: 'mixed',
    title: 'Mixed 70 % read / 30 % write',
    // 20 requests per cycle: 14 reads and 6 writes over the four dialects.
    requests: (k, t) => [
      requests.maastGet(k, t),
      requests.staxGet(k, t),
      requests.maastCreate(k),
      requests.fluidpaySearch(k, t),
      requests.exactGet(k, t),
      requests.fluidpayCreate(k),
      requests.maastGet(k, t),
      requests.staxGet(k, t),
      requests.exactList(k),
      requests.staxCreate(k),
      requests.maastGet(k, t),
      requests.exactGet(k, t),
      requests.maastCreate(k),
      requests.fluidpaySearch(k, t),
      requests.staxGet(k, t),
      requests.exactCreate(k),
      requests.maastGet(k, t),
      requests.exactGet(k, t),
      requests.fluidpayCreate(k),
      requests.staxGet(k, t),
    ],
  },
];

/** Issue 8 §4: the look-ups compared at the small and the large size. */
export const SCALE_SCENARIOS: Scenario[] = [
  { name: 'get-by-id', title: 'Maast get by customer_id', requests: (k, t) => [requests.maastGet(k, t)] },
  { name: 'fluidpay-search', title: 'FluidPay search by e-mail', requests: (k, t) => [requests.fluidpaySearch(k, t)] },
  { name: 'maast-browse', title: 'Maast browse, filter last name', requests: (k, t) => [requests.maastBrowse(k, t)] },
  { name: 'exact-list-skip', title: 'Exact list $skip=10000', requests: (k) => [requests.exactList(k, 10_000)] },
];
