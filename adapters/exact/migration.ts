/**
 * The `exact` import/export preset (docs/migration.md): one Exact customer per row in the API's own
 * field names (`name`, `email`, `addresses[]`) with its `paymentMethods` (`token`, `card.number`,
 * `card.expiry`, `billingDetails`). Kept: the customer's 24-hex `id` and `token`, and each payment
 * method's `token` (and `id` when the file has one), so stored references answer. Checked as the
 * Exact create checks: card numbers of 12 to 19 digits with Luhn, no expired card, known countries.
 */
import { alpha2FromAny } from '../../core/countries';
import type { AddressFields, CustomerAggregate } from '../../core/model';
import type { ImportCustomer, MigrationPreset, NumberFacts } from '../../core/migration/preset';
import { RowChecks } from '../../core/migration/rules';
import { customerToWire, nameWrite, paymentMethodToWire } from './translate';

const object = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

function addressOf(checks: RowChecks, entry: Record<string, unknown>, at: string): Partial<AddressFields> {
  const country = checks.text(entry, 'country', `${at}country`, 64);
  const alpha2 = country === null ? null : alpha2FromAny(country);
  if (country !== null && alpha2 === null) checks.add(`${at}country`, 'unknown country');
  return {
    label: checks.text(entry, 'label', `${at}label`, 100),
    line1: checks.text(entry, 'line1', `${at}line1`, 255),
    line2: checks.text(entry, 'line2', `${at}line2`, 255),
    city: checks.text(entry, 'city', `${at}city`, 255),
    state: checks.text(entry, 'state', `${at}state`, 64),
    postalCode: checks.text(entry, 'postalCode', `${at}postalCode`, 32),
    country: alpha2,
  };
}

const isTrue = (value: unknown) => value === true || value === 'true' || value === 1 || value === '1';

export const exactPreset: MigrationPreset = {
  id: 'exact',
  title: 'Exact Payments',
  read(row, { now }) {
    const checks = new RowChecks();
    const id = checks.objectId(checks.required(checks.text(row, 'id', 'id', 24), 'id'), 'id');
    const token = checks.uuid(checks.text(row, 'token', 'token', 36), 'token');
    const name = checks.required(checks.text(row, 'name', 'name', 255), 'name') ?? '';
    const record: ImportCustomer = {
      sourceId: id ?? null,
      customer: {
        ...nameWrite(name, {}),
        email: checks.text(row, 'email', 'email', 255),
        phone: checks.text(row, 'phone', 'phone', 64),
        kept: { id: token, objectId: id, createdAt: checks.time(checks.text(row, 'createdAt', 'createdAt', 40), 'createdAt'), updatedAt: checks.time(checks.text(row, 'updatedAt', 'updatedAt', 40), 'updatedAt') },
      },
      addresses: [],
      paymentMethods: [],
      idFields: { 'customer.objectId': 'id', 'customer.id': 'token' },
    };
    checks.list(row, 'addresses', 'addresses').forEach((entry, i) => {
      record.addresses.push({ ...addressOf(checks, entry, `addresses.${i + 1}.`), isDefault: isTrue(entry.isDefault) });
    });
    checks.list(row, 'paymentMethods', 'paymentMethods').forEach((entry, i) => {
      const at = `paymentMethods.${i + 1}.`;
      const details = object(entry.billingDetails);
      const split = nameWrite(checks.text(details, 'name', `${at}billingDetails.name`, 255) ?? '', {});
      const email = checks.text(details, 'email', `${at}billingDetails.email`, 255);
      const address = addressOf(checks, object(details.address), `${at}billingDetails.address.`);
      const method = {
        billing: { givenName: split.givenName, familyName: split.familyName, company: checks.text(details, 'businessName', `${at}billingDetails.businessName`, 255), phone: checks.text(details, 'phone', `${at}billingDetails.phone`, 64), emails: email ? [email] : [], line1: address.line1, line2: address.line2, city: address.city, state: address.state, postalCode: address.postalCode, country: address.country },
        label: checks.text(entry, 'label', `${at}label`, 255),
        isDefault: isTrue(entry.isDefault),
        kept: {
          id: checks.uuid(checks.required(checks.text(entry, 'token', `${at}token`, 36), `${at}token`), `${at}token`),
          objectId: checks.objectId(checks.text(entry, 'id', `${at}id`, 24), `${at}id`),
          createdAt: checks.time(checks.text(entry, 'createdAt', `${at}createdAt`, 40), `${at}createdAt`),
          updatedAt: checks.time(checks.text(entry, 'updatedAt', `${at}updatedAt`, 40), `${at}updatedAt`),
        },
      };
      record.idFields![`paymentMethods.${i}.id`] = `${at}token`;
      record.idFields![`paymentMethods.${i}.objectId`] = `${at}id`;
      if (entry.type === 'ach') {
        const ach = object(entry.ach);
        const routing = checks.routing(checks.text(ach, 'routingNumber', `${at}ach.routingNumber`, 9), `${at}ach.routingNumber`);
        const account = checks.account(checks.text(ach, 'accountNumber', `${at}ach.accountNumber`, 17), `${at}ach.accountNumber`);
        const type = ach.bankAccountType === 'savings' ? 'savings' : 'checking';
        if (routing && account) record.paymentMethods.push({ ...method, ach: { accountNumber: account, routingNumber: routing, accountType: type } });
        return;
      }
      const card = object(entry.card);
      const pan = checks.pan(checks.text(card, 'number', `${at}card.number`, 23), `${at}card.number`, [12, 19]);
      const expiry = object(card.expiry);
      const month = String(expiry.month ?? '').padStart(2, '0');
      const parsed = checks.expiry(expiry.year === undefined ? null : `${month}${String(expiry.year)}`, `${at}card.expiry`, now, true);
      if (pan && parsed) record.paymentMethods.push({ ...method, card: { pan, ...parsed } });
    });
    return checks.ok ? { record } : { sourceId: id ?? null, problems: checks.problems };
  },
  write(customer: CustomerAggregate, facts: ReadonlyMap<number, NumberFacts>) {
    const paymentMethods = customer.paymentMethods.map((pm) => {
      const wire: Record<string, unknown> = { id: pm.objectId, ...paymentMethodToWire(pm, { attached: true, isDefault: pm.seq === customer.defaultPaymentMethodSeq }) };
      const number = facts.get(pm.seq)?.number;
      if (number && pm.kind === 'card') wire.card = { ...object(wire.card), number };
      if (number && pm.kind === 'ach') wire.ach = { ...object(wire.ach), accountNumber: number, routingNumber: pm.routingNumber };
      return wire;
    });
    return { ...customerToWire(customer), paymentMethods };
  },
};
