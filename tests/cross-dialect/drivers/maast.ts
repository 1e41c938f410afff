/** Maast: `/platform/vault/customer…`, Basic base64(":" + key), `{code, message, data}` envelopes. */
import request from 'supertest';
import { alpha2FromName, alpha2FromNumeric, nameOf, numericOf } from '../../support/isoCountries';
import {
  byLast4,
  expectStatus,
  handleOf,
  nullable,
  type AddressChange,
  type Capabilities,
  type CustomerChange,
  type CustomerInput,
  type CustomerView,
  type Driver,
  type DriverContext,
  type Handle,
  type PaymentInput,
} from './types';

type Wire = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const BRANDS: Record<string, string> = { VS: 'visa', MC: 'mastercard', AM: 'amex', DS: 'discover', JC: 'jcb' };
const VAULT = '/platform/vault/customer';

export const MAAST_CAPS: Capabilities = {
  creates: ['givenName', 'familyName', 'company', 'email', 'phone', 'notes', 'reference'],
  updates: ['givenName', 'familyName', 'company', 'email', 'phone', 'notes', 'reference'],
  shows: ['givenName', 'familyName', 'company', 'email', 'phone', 'notes', 'reference'],
  extras: ['developerId'],
  writesAddresses: 'all',
  showsAddresses: 'all',
  addressNames: true,
  addressZip4: 'write',
  setsDefaultAddress: true,
  defaultAddress: 'pointer-or-earliest',
  addressUpdateNeedsNames: true,
  showsMethodDetails: ['bin', 'holder', 'billing'],
  writesMethodDetails: ['holder', 'billing'],
  deletesAddresses: true,
  updatesExpiry: true,
  defaultMethod: 'pointer-or-earliest',
  deletingDefaultPromotes: true,
};

export function maastDriver(ctx: DriverContext): Driver {
  const auth = 'Basic ' + Buffer.from(':' + ctx.tenant.keys.maast).toString('base64');
  const send = (method: 'get' | 'post' | 'put' | 'delete', path: string, body?: unknown) => {
    const test = request(ctx.h.app)[method](VAULT + path).set('Authorization', auth);
    return body === undefined ? test : test.send(body as object);
  };
  const ok = (res: { status: number; body: Wire }, what: string) => {
    expectStatus(res, 200, `maast ${what}`);
    if (res.body.code !== 0) throw new Error(`maast ${what}: code ${res.body.code} ${JSON.stringify(res.body)}`);
  };
  const read = async (handle: Handle): Promise<Wire | null> => {
    const res = await send('get', `/${encodeURIComponent(handle.vaultId)}`);
    if (res.status === 404 && res.body.code === 7) return null;
    ok(res, 'get customer');
    return res.body.data as Wire;
  };
  const entry = async (handle: Handle, last4: string): Promise<Wire> => {
    const data = await read(handle);
    const card = ((data?.billing_cards ?? []) as Wire[]).find((c) => String(c.card_number).endsWith(last4));
    if (!card) throw new Error(`maast: no billing entry ending in ${last4}`);
    return card;
  };
  const country = (wire: Wire, prefix: string): string | null => {
    const code = nullable(wire[`${prefix}_country_code`]);
    const name = nullable(wire[`${prefix}_country`]);
    return (code && alpha2FromNumeric(code)) ?? (name && alpha2FromName(name)) ?? null;
  };

  return {
    dialect: 'maast',
    caps: MAAST_CAPS,

    async createCustomer(input: CustomerInput) {
      const res = await send('post', '', {
        auto_generate_customer_id: true,
        customer_first_name: input.givenName,
        customer_last_name: input.familyName,
        customer_firm_name: input.company,
        customer_email: input.email,
        customer_phone: input.phone,
        reference_id: input.reference,
        comments: input.notes,
        developer_id: input.extras.developerId,
        shipping_addresses: input.addresses.map((a, i) => ({
          shipping_first_name: a.givenName,
          shipping_last_name: a.familyName,
          shipping_firm_name: a.company,
          shipping_addr1: a.line1,
          shipping_addr2: a.line2,
          shipping_city: a.city,
          shipping_state: a.state,
          shipping_zip: a.postalCode,
          ...(a.postalCodeExt ? { shipping_zip4: a.postalCodeExt } : {}),
          shipping_country: nameOf(a.country),
          shipping_country_code: numericOf(a.country),
          primary: i === input.defaultAddress,
        })),
      });
      ok(res, 'add customer');
      return handleOf(ctx, { by: 'vaultId', vaultId: res.body.data.customer_id });
    },

    async readCustomer(handle) {
      const data = await read(handle);
      if (!data) return null;
      const view: CustomerView = {
        givenName: nullable(data.customer_first_name),
        familyName: nullable(data.customer_last_name),
        company: nullable(data.customer_firm_name),
        email: nullable(data.customer_email),
        phone: nullable(data.customer_phone),
        notes: nullable(data.comments),
        reference: nullable(data.reference_id),
        developerId: nullable(data.developer_id),
        addresses: ((data.shipping_addresses ?? []) as Wire[]).map((a) => ({
          line1: nullable(a.shipping_addr1),
          line2: nullable(a.shipping_addr2),
          city: nullable(a.shipping_city),
          state: nullable(a.shipping_state),
          postalCode: nullable(a.shipping_zip),
          postalCodeExt: nullable(a.shipping_zip4),
          country: country(a, 'shipping'),
          givenName: nullable(a.shipping_first_name),
          familyName: nullable(a.shipping_last_name),
          company: nullable(a.shipping_firm_name),
          isDefault: a.primary === true,
        })),
        paymentMethods: byLast4(
          ((data.billing_cards ?? []) as Wire[]).map((c) => {
            const ach = c.card_type === 'AP';
            const exp = ach ? null : nullable(c.exp_date);
            return {
              kind: ach ? ('ach' as const) : ('card' as const),
              last4: String(c.card_number).slice(-4),
              bin: ach ? null : String(c.card_number).slice(0, 6),
              brand: ach ? null : (BRANDS[c.card_type] ?? null),
              expMonth: exp ? Number(exp.slice(0, 2)) : null,
              expYear: exp ? 2000 + Number(exp.slice(2)) : null,
              holder: [c.billing_first_name, c.billing_last_name].filter(Boolean).join(' ') || null,
              billingPostalCode: nullable(c.billing_zip),
              billingCountry: country(c, 'billing'),
              isDefault: c.primary === true,
            };
          }),
        ),
      };
      return view;
    },

    async updateCustomer(handle, change: CustomerChange) {
      const body: Wire = {};
      if (change.givenName !== undefined) body.customer_first_name = change.givenName;
      if (change.familyName !== undefined) body.customer_last_name = change.familyName;
      if (change.company !== undefined) body.customer_firm_name = change.company;
      if (change.email !== undefined) body.customer_email = change.email;
      if (change.phone !== undefined) body.customer_phone = change.phone;
      if (change.notes !== undefined) body.comments = change.notes;
      if (change.reference !== undefined) body.reference_id = change.reference;
      ok(await send('put', `/${encodeURIComponent(handle.vaultId)}`, body), 'update customer');
    },

    async updateAddress(handle, line1, change: AddressChange) {
      const data = await read(handle);
      const address = ((data?.shipping_addresses ?? []) as Wire[]).find((a) => a.shipping_addr1 === line1);
      if (!address) throw new Error(`maast: no shipping address ${line1}`);
      // The update schema requires both names (contract §4.13): a client sends back what it read, or
      // the customer's names for an address that has none.
      const named = address.shipping_first_name !== undefined && address.shipping_last_name !== undefined;
      ok(
        await send('put', `/${encodeURIComponent(handle.vaultId)}/shipping`, {
          shipping_id: address.shipping_id,
          shipping_first_name: named ? address.shipping_first_name : data?.customer_first_name,
          shipping_last_name: named ? address.shipping_last_name : data?.customer_last_name,
          shipping_addr2: change.line2,
          shipping_city: change.city,
          shipping_zip: change.postalCode,
        }),
        'update shipping address',
      );
    },

    async deleteAddress(handle, line1) {
      const data = await read(handle);
      const address = ((data?.shipping_addresses ?? []) as Wire[]).find((a) => a.shipping_addr1 === line1);
      if (!address) throw new Error(`maast: no shipping address ${line1}`);
      ok(await send('delete', `/${encodeURIComponent(handle.vaultId)}/shipping/${address.shipping_id}`), 'delete shipping address');
    },

    async addPaymentMethod(handle, method: PaymentInput) {
      const b = method.billing;
      const billing = {
        billing_first_name: method.holderGiven,
        billing_last_name: method.holderFamily,
        billing_email: [b.email],
        billing_addr1: b.line1,
        billing_city: b.city,
        billing_state: b.state,
        billing_zip: b.postalCode,
        billing_country: nameOf(b.country),
        billing_country_code: numericOf(b.country),
      };
      const body =
        method.kind === 'card'
          ? {
              card_number: method.number,
              exp_date: String(method.expMonth).padStart(2, '0') + String(method.expYear % 100).padStart(2, '0'),
              ...billing,
            }
          : {
              tr_number: method.routingNumber,
              dda_number: method.accountNumber,
              type_id: method.accountType === 'checking' ? 'C' : 'S',
              ...billing,
            };
      ok(await send('post', `/${encodeURIComponent(handle.vaultId)}/billing`, body), 'add billing');
    },

    async deletePaymentMethod(handle, last4) {
      const card = await entry(handle, last4);
      ok(await send('put', `/${encodeURIComponent(handle.vaultId)}/billing/delete`, { card_id: card.card_id }), 'delete billing');
    },

    async setDefaultPaymentMethod(handle, last4) {
      const card = await entry(handle, last4);
      ok(await send('put', `/${encodeURIComponent(handle.vaultId)}/billing/primary`, { card_id: card.card_id }), 'set primary billing');
    },

    async updateExpiry(handle, last4, month, year) {
      const card = await entry(handle, last4);
      const exp_date = String(month).padStart(2, '0') + String(year % 100).padStart(2, '0');
      ok(await send('put', `/${encodeURIComponent(handle.vaultId)}/billing`, { card_id: card.card_id, exp_date }), 'update billing');
    },

    async deleteCustomer(handle) {
      ok(await send('delete', `/${encodeURIComponent(handle.vaultId)}`), 'delete customer');
    },
  };
}
