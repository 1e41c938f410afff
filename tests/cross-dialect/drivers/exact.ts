/** Exact: `/exact/customer…` and `/exact/payment-method…`, the raw key in `Authorization`. */
import request from 'supertest';
import { alpha2FromAlpha3, alpha3Of } from '../../support/isoCountries';
import {
  byLast4,
  type Capabilities,
  expectStatus,
  handleOf,
  nullable,
  type CustomerInput,
  type CustomerView,
  type Driver,
  type DriverContext,
  type Handle,
} from './types';

type Wire = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Reads `name` back into given + family the way Exact writes it (first word, the rest; contract §8 / docs/dialects/exact.md). */
function split(name: string): { givenName: string | null; familyName: string | null } {
  const trimmed = name.trim();
  if (trimmed === '') return { givenName: null, familyName: null };
  const at = trimmed.search(/\s/);
  return at < 0 ? { givenName: trimmed, familyName: null } : { givenName: trimmed.slice(0, at), familyName: trimmed.slice(at).trim() };
}

export const EXACT_CAPS: Capabilities = {
  creates: ['givenName', 'familyName', 'email', 'phone'],
  updates: ['givenName', 'familyName', 'email', 'phone'],
  shows: ['givenName', 'familyName', 'email', 'phone'],
  extras: [],
  writesAddresses: 'all',
  showsAddresses: 'all',
  addressNames: false,
  addressZip4: 'show',
  setsDefaultAddress: false,
  defaultAddress: 'none',
  showsMethodDetails: ['holder', 'billing'],
  writesMethodDetails: ['holder', 'billing'],
  deletesAddresses: true,
  updatesExpiry: false,
  defaultMethod: 'pointer',
  deletingDefaultPromotes: false,
};

export function exactDriver(ctx: DriverContext): Driver {
  const key = ctx.tenant.keys.exact;
  const send = (method: 'get' | 'post' | 'put' | 'delete', path: string, body?: unknown) => {
    const test = request(ctx.h.app)[method](`/exact${path}`).set('Authorization', key);
    return body === undefined ? test : test.set('Content-Type', 'application/json').send(JSON.stringify(body));
  };
  const read = async (handle: Handle): Promise<Wire | null> => {
    const res = await send('get', `/customer/${handle.objectId}`);
    if (res.status === 404) return null;
    expectStatus(res, 200, 'exact get customer');
    return res.body as Wire;
  };
  const methods = async (handle: Handle): Promise<Wire[]> => {
    const res = await send('get', `/customer/${handle.objectId}/payment-method`);
    expectStatus(res, 200, 'exact list payment methods');
    return res.body as Wire[];
  };

  const method = async (handle: Handle, last4: string): Promise<Wire> => {
    const pm = (await methods(handle)).find((m) => (m.card ?? m.ach).lastFour === last4);
    if (!pm) throw new Error(`exact: no payment method ending in ${last4}`);
    return pm;
  };

  return {
    dialect: 'exact',
    caps: EXACT_CAPS,

    async createCustomer(input: CustomerInput) {
      const res = await send('post', '/customer', {
        name: `${input.givenName} ${input.familyName}`,
        email: input.email,
        phone: input.phone,
        addresses: input.addresses.map((a, i) => ({
          label: `address ${i + 1}`,
          line1: a.line1,
          line2: a.line2,
          city: a.city,
          state: a.state,
          postalCode: a.postalCode,
          country: alpha3Of(a.country),
        })),
      });
      expectStatus(res, 201, 'exact create customer');
      return handleOf(ctx, { by: 'objectId', objectId: res.body.id });
    },

    async readCustomer(handle) {
      const customer = await read(handle);
      if (!customer) return null;
      const view: CustomerView = {
        ...split(String(customer.name ?? '')),
        email: nullable(customer.email),
        phone: nullable(customer.phone),
        addresses: ((customer.addresses ?? []) as Wire[]).map((a) => ({
          line1: nullable(a.line1),
          line2: nullable(a.line2),
          city: nullable(a.city),
          state: nullable(a.state),
          // A ZIP+4 kept apart (Maast) is shown joined: "62701-1234".
          postalCode: nullable(a.postalCode)?.replace(/-\d{4}$/, '') ?? null,
          postalCodeExt: /^\d{5}-\d{4}$/.test(a.postalCode ?? '') ? a.postalCode.slice(6) : null,
          country: a.country ? alpha2FromAlpha3(a.country) : null,
        })),
        paymentMethods: byLast4(
          (await methods(handle)).map((pm) => ({
            kind: pm.type,
            last4: pm.type === 'card' ? pm.card.lastFour : pm.ach.lastFour,
            brand: pm.type === 'card' ? (pm.card.brand ?? null) : null,
            expMonth: pm.type === 'card' ? (pm.card.expiry?.month ?? null) : null,
            expYear: pm.type === 'card' ? (pm.card.expiry?.year ?? null) : null,
            holder: nullable(pm.billingDetails?.name),
            billingPostalCode: nullable(pm.billingDetails?.address?.postalCode),
            billingCountry: pm.billingDetails?.address?.country ? alpha2FromAlpha3(pm.billingDetails.address.country) : null,
            isDefault: pm.isDefault === true,
          })),
        ),
      };
      return view;
    },

    async updateCustomer(handle, change) {
      const current = await read(handle);
      if (!current) throw new Error('exact: customer not found');
      const body: Wire = {};
      if (change.givenName !== undefined || change.familyName !== undefined) {
        const now = split(String(current.name ?? ''));
        body.name = [change.givenName ?? now.givenName, change.familyName ?? now.familyName].filter(Boolean).join(' ');
      }
      if (change.email !== undefined) body.email = change.email;
      if (change.phone !== undefined) body.phone = change.phone;
      expectStatus(await send('put', `/customer/${handle.objectId}`, body), 204, 'exact update customer');
    },

    async updateAddress(handle, line1, change) {
      const current = await read(handle);
      const addresses = ((current?.addresses ?? []) as Wire[]).map((a, i): Wire => ({
        // The contract requires a label on every address of a replacement list; those written through
        // other dialects have none, so a client gives them one (docs/dialects/exact.md).
        ...a,
        label: a.label ?? `address ${i + 1}`,
        ...(a.line1 === line1 ? { line2: change.line2, city: change.city, postalCode: change.postalCode } : {}),
      }));
      if (!addresses.some((a) => a.line1 === line1)) throw new Error(`exact: no address ${line1}`);
      expectStatus(await send('put', `/customer/${handle.objectId}`, { addresses }), 204, 'exact update addresses');
    },

    async deleteAddress(handle, line1) {
      // Exact has no address ids: a client sends the list back without the address (labels added as above).
      const current = await read(handle);
      const all = (current?.addresses ?? []) as Wire[];
      const addresses = all.map((a, i): Wire => ({ ...a, label: a.label ?? `address ${i + 1}` })).filter((a) => a.line1 !== line1);
      if (addresses.length === all.length) throw new Error(`exact: no address ${line1}`);
      expectStatus(await send('put', `/customer/${handle.objectId}`, { addresses }), 204, 'exact delete address');
    },

    async addPaymentMethod(handle, method) {
      const b = method.billing;
      const billingDetails = {
        name: `${method.holderGiven} ${method.holderFamily}`,
        email: b.email,
        address: { line1: b.line1, city: b.city, state: b.state, postalCode: b.postalCode, country: alpha3Of(b.country) },
      };
      const body =
        method.kind === 'card'
          ? {
              type: 'card',
              billingDetails,
              card: { number: method.number, expiry: { month: method.expMonth, year: method.expYear } },
            }
          : {
              type: 'ach',
              billingDetails,
              ach: { routingNumber: method.routingNumber, accountNumber: method.accountNumber, bankAccountType: method.accountType },
            };
      const token = await send('post', '/payment-method', body);
      expectStatus(token, 200, 'exact tokenize');
      expectStatus(await send('post', `/customer/${handle.objectId}/payment-method`, { token: token.body.token }), 201, 'exact attach');
    },

    async deletePaymentMethod(handle, last4) {
      const pm = await method(handle, last4);
      expectStatus(await send('delete', `/payment-method/${pm.token}`), 204, 'exact delete payment method');
    },

    async setDefaultPaymentMethod(handle, last4) {
      // Re-attaching with `isDefault: true` moves the default (contract §8.5).
      const pm = await method(handle, last4);
      expectStatus(await send('post', `/customer/${handle.objectId}/payment-method`, { token: pm.token, isDefault: true }), 201, 'exact set default');
    },

    async updateExpiry() {
      throw new Error('exact has no payment-method update');
    },

    async deleteCustomer(handle) {
      expectStatus(await send('delete', `/customer/${handle.objectId}`), 204, 'exact delete customer');
    },
  };
}
