/** FluidPay: `/api/vault/…`, the raw secret key in `Authorization`, `{status, msg, data}` envelopes. */
import request from 'supertest';
import {
  byLast4,
  type Capabilities,
  expectStatus,
  handleOf,
  nullable,
  type AddressInput,
  type CustomerInput,
  type CustomerView,
  type Driver,
  type DriverContext,
  type Handle,
} from './types';

type Wire = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const FLUIDPAY_CAPS: Capabilities = {
  // FluidPay has no customer-level names or contacts: a create fills them from the billing address (docs/dialects/fluidpay.md).
  creates: ['givenName', 'familyName', 'company', 'email', 'phone', 'notes', 'description'],
  updates: ['notes', 'description'],
  shows: ['notes', 'description'],
  extras: [],
  writesAddresses: 'all',
  showsAddresses: 'all',
  addressNames: true,
  addressContacts: true,
  setsDefaultAddress: true,
  defaultAddress: 'pointer',
  showsMethodDetails: ['bin'],
  writesMethodDetails: [],
  deletesAddresses: true,
  updatesExpiry: true,
  defaultMethod: 'pointer',
  deletingDefaultPromotes: false,
};

export function fluidpayDriver(ctx: DriverContext): Driver {
  const key = ctx.tenant.keys.fluidpay;
  const send = (method: 'get' | 'post' | 'delete', path: string, body?: unknown) => {
    const test = request(ctx.h.app)[method](path).set('Authorization', key);
    return body === undefined ? test : test.set('Content-Type', 'application/json').send(JSON.stringify(body));
  };
  const ok = (res: { status: number; body: Wire }, what: string) => {
    expectStatus(res, 200, `fluidpay ${what}`);
    if (res.body.status !== 'success') throw new Error(`fluidpay ${what}: ${JSON.stringify(res.body)}`);
    return res.body.data as Wire;
  };
  const customerPath = (handle: Handle) => `/api/vault/customer/${encodeURIComponent(handle.vaultId)}`;
  const read = async (handle: Handle): Promise<Wire | null> => {
    const res = await send('get', `/api/vault/${encodeURIComponent(handle.vaultId)}`);
    if (res.status === 404) return null;
    return ok(res, 'get customer').data.customer as Wire;
  };
  const method = async (handle: Handle, last4: string): Promise<{ kind: 'card' | 'ach'; id: string }> => {
    const customer = await read(handle);
    const card = ((customer?.payments.cards ?? []) as Wire[]).find((c) => String(c.masked_number).endsWith(last4));
    if (card) return { kind: 'card', id: card.id };
    const bank = ((customer?.payments.ach ?? []) as Wire[]).find((b) => String(b.masked_account_number).endsWith(last4));
    if (bank) return { kind: 'ach', id: bank.id };
    throw new Error(`fluidpay: no payment method ending in ${last4}`);
  };
  const address = (a: AddressInput, contact: { email?: string; phone?: string } = {}) => ({
    first_name: a.givenName,
    last_name: a.familyName,
    company: a.company,
    line_1: a.line1,
    line_2: a.line2,
    city: a.city,
    state: a.state,
    postal_code: a.postalCode,
    country: a.country,
    ...contact,
  });
  const expiry = (month: number | null, year: number | null): string | null =>
    month === null || year === null ? null : String(month).padStart(2, '0') + '/' + String(year % 100).padStart(2, '0');

  return {
    dialect: 'fluidpay',
    caps: FLUIDPAY_CAPS,

    async createCustomer(input: CustomerInput) {
      // The first address (which carries the customer's names) is the billing address of the create,
      // so its names and contacts become the customer's; the others are added in order, then the defaults move.
      const created = ok(
        await send('post', '/api/vault/customer', {
          description: input.description,
          notes: input.notes,
          default_billing_address: address(input.addresses[0], { email: input.email, phone: input.phone }),
        }),
        'create customer',
      );
      const handle = await handleOf(ctx, { by: 'vaultId', vaultId: created.id });
      const ids: string[] = [created.data.customer.addresses[0].id];
      for (const a of input.addresses.slice(1)) {
        ids.push(ok(await send('post', `${customerPath(handle)}/address`, address(a)), 'add address').created_address_id);
      }
      const defaultId = ids[input.defaultAddress];
      ok(await send('post', customerPath(handle), { defaults: { billing_address_id: defaultId, shipping_address_id: defaultId } }), 'set defaults');
      return handle;
    },

    async readCustomer(handle) {
      const customer = await read(handle);
      if (!customer) return null;
      const defaults = customer.defaults as Wire;
      const card = (c: Wire) => {
        const exp = nullable(c.expiration_date);
        return {
          kind: 'card' as const,
          last4: String(c.masked_number).slice(-4),
          bin: String(c.masked_number).slice(0, 6),
          brand: nullable(c.card_type),
          expMonth: exp ? Number(exp.slice(0, 2)) : null,
          expYear: exp ? 2000 + Number(exp.slice(3)) : null,
          isDefault: defaults.payment_method_id === c.id,
        };
      };
      const bank = (b: Wire) => ({
        kind: 'ach' as const,
        last4: String(b.masked_account_number).slice(-4),
        bin: null,
        brand: null,
        expMonth: null,
        expYear: null,
        isDefault: defaults.payment_method_id === b.id,
      });
      const view: CustomerView = {
        notes: nullable(customer.notes),
        description: nullable(customer.description),
        addresses: (customer.addresses as Wire[]).map((a) => ({
          line1: nullable(a.line_1),
          line2: nullable(a.line_2),
          city: nullable(a.city),
          state: nullable(a.state),
          postalCode: nullable(a.postal_code),
          country: nullable(a.country),
          givenName: nullable(a.first_name),
          familyName: nullable(a.last_name),
          company: nullable(a.company),
          email: nullable(a.email),
          phone: nullable(a.phone),
          isDefault: a.id === defaults.billing_address_id || a.id === defaults.shipping_address_id,
        })),
        paymentMethods: byLast4([...(customer.payments.cards as Wire[]).map(card), ...(customer.payments.ach as Wire[]).map(bank)]),
      };
      return view;
    },

    async updateCustomer(handle, change) {
      const body: Wire = {};
      if (change.notes !== undefined) body.notes = change.notes;
      if (change.description !== undefined) body.description = change.description;
      ok(await send('post', customerPath(handle), body), 'update customer');
    },

    async updateAddress(handle, line1, change) {
      const customer = await read(handle);
      const a = ((customer?.addresses ?? []) as Wire[]).find((x) => x.line_1 === line1);
      if (!a) throw new Error(`fluidpay: no address ${line1}`);
      ok(await send('post', `${customerPath(handle)}/address/${a.id}`, { line_2: change.line2, city: change.city, postal_code: change.postalCode }), 'update address');
    },

    async deleteAddress(handle, line1) {
      const customer = await read(handle);
      const a = ((customer?.addresses ?? []) as Wire[]).find((x) => x.line_1 === line1);
      if (!a) throw new Error(`fluidpay: no address ${line1}`);
      ok(await send('delete', `${customerPath(handle)}/address/${a.id}`), 'delete address');
    },

    async addPaymentMethod(handle, method) {
      if (method.kind === 'card') {
        ok(await send('post', `${customerPath(handle)}/card`, { number: method.number, expiration_date: expiry(method.expMonth, method.expYear) }), 'add card');
      } else {
        ok(
          await send('post', `${customerPath(handle)}/ach`, {
            account_number: method.accountNumber,
            routing_number: method.routingNumber,
            account_type: method.accountType,
            sec_code: 'web',
          }),
          'add ach',
        );
      }
    },

    async deletePaymentMethod(handle, last4) {
      const pm = await method(handle, last4);
      ok(await send('delete', `${customerPath(handle)}/${pm.kind}/${pm.id}`), `delete ${pm.kind}`);
    },

    async setDefaultPaymentMethod(handle, last4) {
      const pm = await method(handle, last4);
      ok(await send('post', customerPath(handle), { defaults: { payment_method_id: pm.id, payment_method_type: pm.kind } }), 'set default payment method');
    },

    async updateExpiry(handle, last4, month, year) {
      const pm = await method(handle, last4);
      ok(await send('post', `${customerPath(handle)}/card/${pm.id}`, { expiration_date: expiry(month, year) }), 'update card');
    },

    async deleteCustomer(handle) {
      ok(await send('delete', `/api/vault/${encodeURIComponent(handle.vaultId)}`), 'delete customer');
    },
  };
}
