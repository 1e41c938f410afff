/**
 * The `stax` import/export preset (docs/migration.md): one Stax customer per row in the API's own
 * field names (`firstname`, `address_1`, …) with its `payment_methods` list. Rows are checked by the
 * same validators as `POST /customer` and `POST /payment-method`; the customer's and payment
 * methods' UUIDs and times are kept, so `GET /customer/<old id>` answers after the import.
 */
import { isUuid } from '../../core/ids';
import type { CustomerAggregate } from '../../core/model';
import type { ImportCustomer, MigrationPreset, NumberFacts, RowProblem } from '../../core/migration/preset';
import { RowChecks } from '../../core/migration/rules';
import { newAddressFrom, newCustomerFrom, newPaymentMethodFrom, toStaxCustomer, toStaxPaymentMethod } from './translate';
import { createValidators } from './validate';
import { CUSTOMER_ADDRESS_FIELDS } from './wire';

const CUSTOMER_INPUT = ['firstname', 'lastname', 'company', 'email', 'phone', 'reference', 'notes', 'cc_emails', 'cc_sms', 'options', 'allow_invoice_credit_card_payments', ...CUSTOMER_ADDRESS_FIELDS];
const METHOD_INPUT = ['method', 'card_number', 'card_exp', 'bank_account', 'bank_routing', 'bank_type', 'bank_holder_type', 'bank_name', 'person_name', 'nickname', 'is_default', ...CUSTOMER_ADDRESS_FIELDS];

const only = (row: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(keys.filter((key) => row[key] !== undefined).map((key) => [key, row[key]]));

export function staxPreset(): MigrationPreset {
  const validators = createValidators();
  return {
    id: 'stax',
    title: 'Stax',
    read(row, { now }) {
      const checks = new RowChecks();
      const id = checks.required(checks.text(row, 'id', 'id', 36), 'id');
      if (id !== null && !isUuid(id)) checks.add('id', 'must be a UUID');
      const problems: RowProblem[] = checks.problems;
      const customerBody = validators.customer(only(row, CUSTOMER_INPUT), null);
      if (!customerBody.ok) for (const [field, [reason]] of Object.entries(customerBody.errors)) problems.push({ field, reason });
      const record: ImportCustomer = { sourceId: id, customer: {}, addresses: [], paymentMethods: [], idFields: { 'customer.id': 'id' } };
      if (customerBody.ok) {
        record.customer = { ...newCustomerFrom(customerBody.value), kept: { id: id?.toLowerCase(), createdAt: checks.time(checks.text(row, 'created_at', 'created_at', 32), 'created_at'), updatedAt: checks.time(checks.text(row, 'updated_at', 'updated_at', 32), 'updated_at') } };
        const address = newAddressFrom(customerBody.value.address);
        if (address) record.addresses.push({ ...address, defaultBilling: true });
      }
      checks.list(row, 'payment_methods', 'payment_methods').forEach((entry, i) => {
        const at = `payment_methods.${i + 1}`;
        const methodId = checks.text(entry, 'id', `${at}.id`, 36);
        if (methodId !== null && !isUuid(methodId)) problems.push({ field: `${at}.id`, reason: 'must be a UUID' });
        const body = validators.paymentMethodCreate({ ...only(entry, METHOD_INPUT), customer_id: id ?? '' }, now);
        if (!body.ok) {
          for (const [field, [reason]] of Object.entries(body.errors.toJSON())) problems.push({ field: `${at}.${field}`, reason });
          return;
        }
        const personName = body.value.personName ?? [row.firstname, row.lastname].filter((part) => typeof part === 'string' && part !== '').join(' ');
        const { customerSeq: _none, ...method } = newPaymentMethodFrom(body.value, 0, personName);
        const createdAt = checks.time(checks.text(entry, 'created_at', `${at}.created_at`, 32), `${at}.created_at`);
        record.paymentMethods.push({ ...method, isDefault: body.value.isDefault === true, kept: { id: methodId?.toLowerCase(), createdAt, updatedAt: checks.time(checks.text(entry, 'updated_at', `${at}.updated_at`, 32), `${at}.updated_at`), attachedAt: createdAt } });
        record.idFields![`paymentMethods.${i}.id`] = `${at}.id`;
      });
      return problems.length === 0 ? { record } : { sourceId: id, problems };
    },
    write(customer: CustomerAggregate, facts: ReadonlyMap<number, NumberFacts>, { tenant }) {
      const context = { customerId: customer.id, merchantId: String(tenant.dialects.stax?.merchantId ?? ''), defaultPaymentMethodSeq: customer.defaultPaymentMethodSeq };
      const paymentMethods = customer.paymentMethods.map((pm) => {
        const number = facts.get(pm.seq)?.number;
        const wire: Record<string, unknown> = { ...toStaxPaymentMethod(pm, context) };
        if (number) wire[pm.kind === 'card' ? 'card_number' : 'bank_account'] = number;
        if (pm.kind === 'ach') wire.bank_routing = pm.routingNumber;
        if (pm.kind === 'card' && pm.expMonth !== null && pm.expYear !== null) wire.card_exp = `${String(pm.expMonth).padStart(2, '0')}${String(pm.expYear % 100).padStart(2, '0')}`;
        return wire;
      });
      return { ...toStaxCustomer(customer), payment_methods: paymentMethods };
    },
  };
}
