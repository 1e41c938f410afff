/**
 * The `maast` import/export preset (docs/migration.md): one Maast vault customer per row in the
 * API's own field names (`customer_first_name`, `billing_cards[].card_number`, `exp_date`,
 * `shipping_addresses[]`). Kept: `customer_id`, each card's `card_id` and each address's
 * `shipping_id`, so a Maast client's stored ids still answer. Checked as the Maast create checks:
 * id charsets and lengths, the name rule, card numbers of 13 to 16 digits with Luhn, `exp_date` MMYY.
 */
import type { CustomerAggregate } from '../../core/model';
import type { ImportCustomer, MigrationPreset, NumberFacts } from '../../core/migration/preset';
import { RowChecks } from '../../core/migration/rules';
import { accountOfTypeId, addressPatchOf, billingPatchOf, customerPatchOf, renderCustomer } from './translate';
import { BILLING_TEXT_FIELDS, CUSTOMER_TEXT_FIELDS, SHIPPING_TEXT_FIELDS, type MaastTypeId } from './wire';

const texts = <K extends string>(checks: RowChecks, row: Record<string, unknown>, keys: readonly K[], prefix: string): Partial<Record<K, string>> => {
  const out: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const value = checks.text(row, key, prefix + key, 255);
    if (value !== null) out[key] = value;
  }
  return out;
};
const isTrue = (value: unknown) => value === true || value === 'true' || value === 1 || value === '1';

export const maastPreset: MigrationPreset = {
  id: 'maast',
  title: 'Maast',
  read(row, { now: _now }) {
    const checks = new RowChecks();
    const customerId = checks.required(checks.text(row, 'customer_id', 'customer_id', 32), 'customer_id');
    if (customerId !== null && !/^[A-Za-z0-9]+$/.test(customerId)) checks.add('customer_id', 'customer_id must contain only letters and numbers');
    const text = texts(checks, row, CUSTOMER_TEXT_FIELDS, '');
    if (!text.customer_first_name && !text.customer_last_name && !text.customer_firm_name) checks.add('customer_first_name', 'customer_first_name and customer_last_name, or customer_firm_name, are required');
    const record: ImportCustomer = {
      sourceId: customerId,
      customer: { ...customerPatchOf(text), integratorId: checks.text(row, 'developer_id', 'developer_id', 64), vaultId: customerId ?? undefined, kept: {} },
      addresses: [],
      paymentMethods: [],
      idFields: { 'customer.vaultId': 'customer_id' },
    };
    checks.list(row, 'shipping_addresses', 'shipping_addresses').forEach((entry, i) => {
      const at = `shipping_addresses.${i + 1}.`;
      const shippingId = checks.text(entry, 'shipping_id', `${at}shipping_id`, 12);
      if (shippingId !== null && !/^[1-9][0-9]{0,9}$/.test(shippingId)) checks.add(`${at}shipping_id`, 'must be a positive integer');
      record.addresses.push({ ...addressPatchOf(texts(checks, entry, SHIPPING_TEXT_FIELDS, at), null), defaultShipping: isTrue(entry.primary), kept: { sourceNumber: shippingId === null ? undefined : Number(shippingId) } });
      record.idFields![`addresses.${i}.sourceNumber`] = `${at}shipping_id`;
    });
    if (record.addresses.length > 0 && !record.addresses.some((a) => a.defaultShipping)) record.addresses[0].defaultShipping = true;
    checks.list(row, 'billing_cards', 'billing_cards').forEach((entry, i) => {
      const at = `billing_cards.${i + 1}.`;
      const cardId = checks.text(entry, 'card_id', `${at}card_id`, 32);
      if (cardId !== null && !/^[A-Za-z0-9]{32}$/.test(cardId)) checks.add(`${at}card_id`, 'card_id must be 32 letters or digits');
      const emails = Array.isArray(entry.billing_email) ? entry.billing_email.filter((e): e is string => typeof e === 'string') : typeof entry.billing_email === 'string' ? [entry.billing_email] : undefined;
      const method = {
        billing: billingPatchOf(texts(checks, entry, BILLING_TEXT_FIELDS, at), emails, null),
        vaultRef: cardId ?? undefined,
        isDefault: isTrue(entry.primary),
        verifiedAt: checks.time(checks.text(entry, 'verified_date', `${at}verified_date`, 32), `${at}verified_date`) ?? null,
        kept: {},
      };
      record.idFields![`paymentMethods.${i}.vaultRef`] = `${at}card_id`;
      if (entry.card_number !== undefined) {
        const pan = checks.pan(checks.text(entry, 'card_number', `${at}card_number`, 19), `${at}card_number`, [13, 16]);
        const expiry = checks.expiry(checks.text(entry, 'exp_date', `${at}exp_date`, 7), `${at}exp_date`, 0, false);
        if (pan && expiry) record.paymentMethods.push({ ...method, card: { pan, ...expiry } });
        return;
      }
      const routing = checks.routing(checks.text(entry, 'tr_number', `${at}tr_number`, 9), `${at}tr_number`);
      const account = checks.account(checks.text(entry, 'dda_number', `${at}dda_number`, 17), `${at}dda_number`);
      const typeId = (checks.text(entry, 'type_id', `${at}type_id`, 1) ?? 'C') as MaastTypeId;
      if (!['C', 'S', 'K', 'V'].includes(typeId)) checks.add(`${at}type_id`, 'type_id must be C, S, K or V');
      else if (routing && account) record.paymentMethods.push({ ...method, ach: { accountNumber: account, routingNumber: routing, ...accountOfTypeId(typeId) } });
    });
    if (record.paymentMethods.length > 0 && !record.paymentMethods.some((m) => m.isDefault)) record.paymentMethods[0].isDefault = true;
    return checks.ok ? { record } : { sourceId: customerId, problems: checks.problems };
  },
  write(customer: CustomerAggregate, facts: ReadonlyMap<number, NumberFacts>, { tenant }) {
    const wire = renderCustomer(customer, String(tenant.dialects.maast?.merchantId ?? '0'));
    const cards = wire.billing_cards.map((card, i) => {
      const method = customer.paymentMethods[i];
      const number = facts.get(method.seq)?.number;
      if (!number) return card;
      return method.kind === 'card' ? { ...card, card_number: number } : { ...card, card_number: undefined, tr_number: method.routingNumber, dda_number: number };
    });
    return { ...wire, billing_cards: cards };
  },
};
