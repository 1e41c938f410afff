/**
 * The `fluidpay` import/export preset (docs/migration.md): one FluidPay vault customer per row in the
 * API's own field names (`id`, `description`, `addresses[]` with `first_name`, `line_1`, …,
 * `payments.cards[]` with `number` and `expiration_date`, `payments.ach[]`). Kept: the customer id
 * (xid, `xid_type_last4` or custom), and each address's and payment's xid. Checked as the FluidPay
 * create checks: custom ids of 1 to 40 letters or digits, card numbers of 13 to 19 digits with Luhn.
 */
import { alpha2FromAlpha2 } from '../../core/countries';
import { isXid } from '../../core/ids';
import type { CustomerAggregate } from '../../core/model';
import type { ImportCustomer, MigrationPreset, NumberFacts } from '../../core/migration/preset';
import { RowChecks } from '../../core/migration/rules';
import { objectIdOfXid, toWireRecord } from './translate';

const object = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const ADDRESS = { first_name: 'givenName', last_name: 'familyName', company: 'company', line_1: 'line1', line_2: 'line2', city: 'city', state: 'state', postal_code: 'postalCode', phone: 'phone', fax: 'fax' } as const;

/** The object id a FluidPay id carries: an xid, or the xid before `_<type>_<last4>`. */
function objectIdOfCustomerId(id: string): string | undefined {
  const xid = id.split('_')[0];
  return isXid(xid) ? (objectIdOfXid(xid) ?? undefined) : undefined;
}

export const fluidpayPreset: MigrationPreset = {
  id: 'fluidpay',
  title: 'FluidPay',
  read(row) {
    const checks = new RowChecks();
    const id = checks.required(checks.text(row, 'id', 'id', 64), 'id');
    if (id !== null && !objectIdOfCustomerId(id) && !/^[A-Za-z0-9]{1,40}$/.test(id)) checks.add('id', 'must be 1-40 characters of a-z, A-Z, 0-9');
    const defaults = object(row.defaults);
    const record: ImportCustomer = {
      sourceId: id,
      customer: {
        description: checks.text(row, 'description', 'description', 255),
        notes: checks.text(row, 'notes', 'notes', 1024),
        flags: Array.isArray(row.flags) ? row.flags.filter((f): f is string => typeof f === 'string') : [],
        vaultId: id ?? undefined,
        kept: { objectId: id ? objectIdOfCustomerId(id) : undefined, createdAt: checks.time(checks.text(row, 'created_at', 'created_at', 40), 'created_at'), updatedAt: checks.time(checks.text(row, 'updated_at', 'updated_at', 40), 'updated_at') },
      },
      addresses: [],
      paymentMethods: [],
      idFields: { 'customer.vaultId': 'id', 'customer.objectId': 'id' },
    };
    const xidOf = (entry: Record<string, unknown>, field: string): string | undefined => {
      const xid = checks.text(entry, 'id', field, 20);
      if (xid === null) return undefined;
      if (!isXid(xid)) checks.add(field, 'must be an xid');
      return objectIdOfXid(xid) ?? undefined;
    };
    checks.list(row, 'addresses', 'addresses').forEach((entry, i) => {
      const at = `addresses.${i + 1}.`;
      const fields: Record<string, unknown> = {};
      for (const [wire, canonical] of Object.entries(ADDRESS)) fields[canonical] = checks.text(entry, wire, at + wire, 255);
      const country = checks.text(entry, 'country', `${at}country`, 2);
      if (country !== null && alpha2FromAlpha2(country) === null) checks.add(`${at}country`, 'must be a 2-letter country code');
      const email = checks.text(entry, 'email', `${at}email`, 255);
      record.addresses.push({ ...fields, country, emails: email ? [email] : [], defaultBilling: entry.id !== undefined && entry.id === defaults.billing_address_id, defaultShipping: entry.id !== undefined && entry.id === defaults.shipping_address_id, kept: { objectId: xidOf(entry, `${at}id`) } });
      record.idFields![`addresses.${i}.objectId`] = `${at}id`;
    });
    const payments = object(row.payments);
    checks.list(payments, 'cards', 'payments.cards').forEach((entry, i) => {
      const at = `payments.cards.${i + 1}.`;
      const pan = checks.pan(checks.text(entry, 'number', `${at}number`, 23), `${at}number`, [13, 19]);
      const expiry = checks.expiry(checks.text(entry, 'expiration_date', `${at}expiration_date`, 7), `${at}expiration_date`, 0, false);
      const objectId = xidOf(entry, `${at}id`);
      record.idFields![`paymentMethods.${record.paymentMethods.length}.objectId`] = `${at}id`;
      if (pan && expiry) record.paymentMethods.push({ card: { pan, ...expiry }, isDefault: entry.id !== undefined && entry.id === defaults.payment_method_id, kept: { objectId } });
    });
    checks.list(payments, 'ach', 'payments.ach').forEach((entry, i) => {
      const at = `payments.ach.${i + 1}.`;
      const routing = checks.routing(checks.text(entry, 'routing_number', `${at}routing_number`, 9), `${at}routing_number`);
      const account = checks.account(checks.text(entry, 'account_number', `${at}account_number`, 17), `${at}account_number`);
      const objectId = xidOf(entry, `${at}id`);
      const accountType = entry.account_type === 'savings' ? 'savings' : 'checking';
      record.idFields![`paymentMethods.${record.paymentMethods.length}.objectId`] = `${at}id`;
      if (routing && account) record.paymentMethods.push({ ach: { accountNumber: account, routingNumber: routing, accountType, secCode: checks.text(entry, 'sec_code', `${at}sec_code`, 8) }, isDefault: entry.id !== undefined && entry.id === defaults.payment_method_id, kept: { objectId } });
    });
    return checks.ok ? { record } : { sourceId: id, problems: checks.problems };
  },
  write(customer: CustomerAggregate, facts: ReadonlyMap<number, NumberFacts>, { tenant }) {
    const wire = toWireRecord(customer, String(tenant.dialects.fluidpay?.ownerId ?? ''));
    const numbered = <T extends { id: string }>(entries: T[], key: string) =>
      entries.map((entry) => {
        const method = customer.paymentMethods.find((pm) => objectIdOfXid(entry.id) === pm.objectId);
        const number = method ? facts.get(method.seq)?.number : null;
        return number ? { ...entry, [key]: number } : entry;
      });
    const { payments, ...rest } = wire.data.customer;
    return { id: wire.id, ...rest, payments: { cards: numbered(payments.cards, 'number'), ach: numbered(payments.ach, 'account_number') }, created_at: wire.created_at, updated_at: wire.updated_at };
  },
};
