/** Stax: `/stax/customer…` and `/stax/payment-method…`, `Authorization: Bearer <key>`. */
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
  type CustomFieldValue,
  type Driver,
  type DriverContext,
  type Handle,
} from './types';

type Wire = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const STAX_CAPS: Capabilities = {
  creates: ['givenName', 'familyName', 'company', 'email', 'phone', 'notes', 'reference', 'customFields'],
  updates: ['givenName', 'familyName', 'company', 'email', 'phone', 'notes', 'reference', 'customFields'],
  shows: ['givenName', 'familyName', 'company', 'email', 'phone', 'notes', 'reference', 'customFields'],
  extras: ['ccEmails'],
  writesAddresses: 'default',
  showsAddresses: 'default',
  addressNames: false,
  setsDefaultAddress: true,
  defaultAddress: 'pointer-or-earliest',
  showsMethodDetails: ['holder', 'billing'],
  writesMethodDetails: ['holder', 'billing'],
  deletesAddresses: false,
  updatesExpiry: true,
  defaultMethod: 'pointer',
  deletingDefaultPromotes: false,
};

export function staxDriver(ctx: DriverContext): Driver {
  const auth = `Bearer ${ctx.tenant.keys.stax}`;
  const send = (method: 'get' | 'post' | 'put' | 'delete', path: string, body?: unknown) => {
    const test = request(ctx.h.app)[method](`/stax${path}`).set('Authorization', auth);
    return body === undefined ? test : test.set('Content-Type', 'application/json').send(JSON.stringify(body));
  };
  const read = async (handle: Handle): Promise<Wire | null> => {
    const res = await send('get', `/customer/${handle.id}`);
    if (res.status === 404) return null;
    expectStatus(res, 200, 'stax get customer');
    return res.body as Wire;
  };
  const methods = async (handle: Handle): Promise<Wire[]> => {
    const res = await send('get', `/customer/${handle.id}/payment-method`);
    expectStatus(res, 200, 'stax list payment methods');
    return res.body as Wire[];
  };

  const method = async (handle: Handle, last4: string): Promise<Wire> => {
    const pm = (await methods(handle)).find((m) => m.card_last_four === last4);
    if (!pm) throw new Error(`stax: no payment method ending in ${last4}`);
    return pm;
  };

  return {
    dialect: 'stax',
    caps: STAX_CAPS,

    async createCustomer(input: CustomerInput) {
      const a = input.addresses[input.defaultAddress];
      const res = await send('post', '/customer', {
        firstname: input.givenName,
        lastname: input.familyName,
        company: input.company,
        email: input.email,
        phone: input.phone,
        notes: input.notes,
        reference: input.reference,
        cc_emails: input.extras.ccEmails,
        options: { custom_fields: input.customFields },
        address_1: a.line1,
        address_2: a.line2,
        address_city: a.city,
        address_state: a.state,
        address_zip: a.postalCode,
        address_country: alpha3Of(a.country),
      });
      expectStatus(res, 201, 'stax create customer');
      return handleOf(ctx, { by: 'id', id: res.body.id });
    },

    async readCustomer(handle) {
      const customer = await read(handle);
      // A soft-deleted customer is still readable by id in Stax (deleted_at set): for the matrix it is gone.
      if (!customer || customer.deleted_at !== null) return null;
      const hasAddress = [customer.address_1, customer.address_2, customer.address_city, customer.address_state, customer.address_zip, customer.address_country].some(
        (v) => nullable(v) !== null,
      );
      const view: CustomerView = {
        givenName: nullable(customer.firstname),
        familyName: nullable(customer.lastname),
        company: nullable(customer.company),
        email: nullable(customer.email),
        phone: nullable(customer.phone),
        notes: nullable(customer.notes),
        reference: nullable(customer.reference),
        customFields: ((customer.options?.custom_fields ?? []) as Wire[]).map((f): CustomFieldValue => ({ name: f.name, type: f.type, value: f.value })),
        ccEmails: customer.cc_emails ?? [],
        addresses: hasAddress
          ? [
              {
                line1: nullable(customer.address_1),
                line2: nullable(customer.address_2),
                city: nullable(customer.address_city),
                state: nullable(customer.address_state),
                postalCode: nullable(customer.address_zip),
                country: customer.address_country ? alpha2FromAlpha3(customer.address_country) : null,
                isDefault: true,
              },
            ]
          : [],
        paymentMethods: byLast4(
          (await methods(handle)).map((pm) => {
            const exp = pm.method === 'card' ? nullable(pm.card_exp) : null;
            return {
              kind: pm.method === 'bank' ? ('ach' as const) : ('card' as const),
              last4: pm.card_last_four,
              brand: pm.method === 'bank' ? null : nullable(pm.card_type),
              expMonth: exp ? Number(exp.slice(0, 2)) : null,
              expYear: exp ? Number(exp.slice(2)) : null,
              holder: nullable(pm.person_name),
              billingPostalCode: nullable(pm.address_zip),
              billingCountry: pm.address_country ? alpha2FromAlpha3(pm.address_country) : null,
              isDefault: pm.is_default === 1,
            };
          }),
        ),
      };
      return view;
    },

    async updateCustomer(handle, change) {
      const body: Wire = {};
      if (change.givenName !== undefined) body.firstname = change.givenName;
      if (change.familyName !== undefined) body.lastname = change.familyName;
      if (change.company !== undefined) body.company = change.company;
      if (change.email !== undefined) body.email = change.email;
      if (change.phone !== undefined) body.phone = change.phone;
      if (change.notes !== undefined) body.notes = change.notes;
      if (change.reference !== undefined) body.reference = change.reference;
      if (change.customFields !== undefined) {
        // `options` replaces the stored object (docs/dialects/stax.md): a client sends back what it read.
        const current = await read(handle);
        body.options = { ...(current?.options ?? {}), custom_fields: change.customFields };
      }
      expectStatus(await send('put', `/customer/${handle.id}`, body), 200, 'stax update customer');
    },

    async updateAddress(handle, line1, change) {
      const current = await read(handle);
      if (current?.address_1 !== line1) throw new Error(`stax shows only its default address (${current?.address_1}), not ${line1}`);
      expectStatus(await send('put', `/customer/${handle.id}`, { address_2: change.line2, address_city: change.city, address_zip: change.postalCode }), 200, 'stax update address');
    },

    async deleteAddress() {
      throw new Error('stax cannot delete an address');
    },

    async addPaymentMethod(handle, method) {
      const b = method.billing;
      const address = { address_1: b.line1, address_city: b.city, address_state: b.state, address_zip: b.postalCode, address_country: alpha3Of(b.country) };
      const body =
        method.kind === 'card'
          ? {
              method: 'card',
              customer_id: handle.id,
              person_name: `${method.holderGiven} ${method.holderFamily}`,
              card_number: method.number,
              card_exp: String(method.expMonth).padStart(2, '0') + String(method.expYear),
              ...address,
            }
          : {
              method: 'bank',
              customer_id: handle.id,
              person_name: `${method.holderGiven} ${method.holderFamily}`,
              bank_account: method.accountNumber,
              bank_routing: method.routingNumber,
              bank_type: method.accountType,
              bank_holder_type: 'personal',
              bank_name: 'First National Bank',
              ...address,
            };
      expectStatus(await send('post', '/payment-method', body), 200, 'stax create payment method');
    },

    async deletePaymentMethod(handle, last4) {
      const pm = await method(handle, last4);
      expectStatus(await send('delete', `/payment-method/${pm.id}`), 200, 'stax delete payment method');
    },

    async setDefaultPaymentMethod(handle, last4) {
      const pm = await method(handle, last4);
      expectStatus(await send('put', `/payment-method/${pm.id}`, { is_default: 1 }), 200, 'stax set default');
    },

    async updateExpiry(handle, last4, month, year) {
      const pm = await method(handle, last4);
      expectStatus(await send('put', `/payment-method/${pm.id}`, { card_exp: String(month).padStart(2, '0') + String(year) }), 200, 'stax update expiry');
    },

    async deleteCustomer(handle) {
      expectStatus(await send('delete', `/customer/${handle.id}`), 200, 'stax delete customer');
    },
  };
}
