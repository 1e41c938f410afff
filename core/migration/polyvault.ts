/**
 * `polyvault`: the store's own format, lossless. One customer per line as the canonical model names
 * it, with every id and time, soft-deleted customers and payment methods included, so that an
 * export imported into an empty tenant answers every dialect's GET as the original did (see
 * docs/migration.md for the one exception, Maast `rec_id`).
 */
import type { AddressFields, BillingDetails, CustomerAggregate, CustomerFields } from '../model';
import type { ImportCustomer, MigrationPreset, ReadResult } from './preset';
import { RowChecks } from './rules';

const CUSTOMER_TEXT = ['givenName', 'familyName', 'company', 'email', 'phone', 'description', 'notes', 'reference', 'integratorId'] as const;
const ADDRESS_TEXT = ['label', 'givenName', 'familyName', 'company', 'line1', 'line2', 'city', 'state', 'postalCode', 'postalCodeExt', 'country', 'countryName', 'countryCode', 'phone', 'fax'] as const;
const BILLING_TEXT = ['givenName', 'familyName', 'company', 'phone', 'line1', 'line2', 'city', 'state', 'postalCode', 'postalCodeExt', 'country', 'countryName', 'countryCode'] as const;
const METHOD_TEXT = ['label', 'routingNumber', 'accountType', 'holderType', 'secCode', 'bankName', 'source'] as const;

type Row = Record<string, unknown>;
const object = (value: unknown): Row => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Row) : {});
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const numberOr = (value: unknown, fallback: number | null): number | null => (value === null || value === undefined || value === '' ? fallback : Number(value));
const flag = (value: unknown): boolean => value === true || value === 'true' || value === 1 || value === '1';
const pick = <K extends string>(source: Row, keys: readonly K[], checks: RowChecks, prefix: string): Partial<Record<K, string | null>> =>
  Object.fromEntries(keys.map((key) => [key, checks.text(source, key, `${prefix}.${key}`, 255)])) as Partial<Record<K, string | null>>;

function time(checks: RowChecks, source: Row, key: string, field: string): number | undefined {
  const value = numberOr(source[key], null);
  if (value === null) return undefined;
  if (!Number.isSafeInteger(value) || value < 0) checks.add(field, 'must be epoch milliseconds');
  return value;
}

function read(row: Row): ReadResult {
  const checks = new RowChecks();
  const c = object(row.customer);
  const sourceId = checks.text(c, 'id', 'customer.id', 36);
  const customerFields: Partial<CustomerFields> = {
    ...pick(c, CUSTOMER_TEXT, checks, 'customer'),
    flags: strings(c.flags),
    customFields: Array.isArray(c.customFields) ? (c.customFields as CustomerFields['customFields']) : null,
    extensions: object(c.extensions),
  };
  const record: ImportCustomer = {
    sourceId,
    customer: {
      ...customerFields,
      vaultId: checks.required(checks.text(c, 'vaultId', 'customer.vaultId', 64), 'customer.vaultId') ?? undefined,
      kept: {
        id: checks.uuid(checks.required(sourceId, 'customer.id'), 'customer.id'),
        objectId: checks.objectId(checks.required(checks.text(c, 'objectId', 'customer.objectId', 24), 'customer.objectId'), 'customer.objectId'),
        createdAt: time(checks, c, 'createdAt', 'customer.createdAt'),
        updatedAt: time(checks, c, 'updatedAt', 'customer.updatedAt'),
        deletedAt: time(checks, c, 'deletedAt', 'customer.deletedAt') ?? null,
      },
    },
    addresses: [],
    paymentMethods: [],
  };
  checks.list(row, 'addresses', 'addresses').forEach((a, i) => {
    const at = `addresses.${i + 1}`;
    const number = numberOr(a.number, null);
    if (number !== null && (!Number.isSafeInteger(number) || number <= 0)) checks.add(`${at}.number`, 'must be a positive integer');
    record.addresses.push({
      ...(pick(a, ADDRESS_TEXT, checks, at) as Partial<AddressFields>),
      emails: strings(a.emails),
      isDefault: flag(a.isDefault),
      defaultBilling: flag(a.defaultBilling),
      defaultShipping: flag(a.defaultShipping),
      kept: {
        id: checks.uuid(checks.text(a, 'id', `${at}.id`, 36), `${at}.id`),
        objectId: checks.objectId(checks.text(a, 'objectId', `${at}.objectId`, 24), `${at}.objectId`),
        sourceNumber: number ?? undefined,
        createdAt: time(checks, a, 'createdAt', `${at}.createdAt`),
        updatedAt: time(checks, a, 'updatedAt', `${at}.updatedAt`),
      },
    });
  });
  checks.list(row, 'paymentMethods', 'paymentMethods').forEach((p, i) => {
    const at = `paymentMethods.${i + 1}`;
    const text = pick(p, METHOD_TEXT, checks, at);
    const billingRow = object(p.billing);
    const billing: Partial<BillingDetails> = { ...(pick(billingRow, BILLING_TEXT, checks, `${at}.billing`) as Partial<BillingDetails>), emails: strings(billingRow.emails) };
    const kind = p.kind === 'ach' ? 'ach' : 'card';
    const numberText = checks.text(p, 'number', `${at}.number`, 19);
    const expMonth = numberOr(p.expMonth, null);
    const expYear = numberOr(p.expYear, null);
    const method = {
      billing,
      label: text.label ?? null,
      flags: strings(p.flags),
      vaultRef: checks.required(checks.text(p, 'vaultRef', `${at}.vaultRef`, 32), `${at}.vaultRef`) ?? undefined,
      verifiedAt: numberOr(p.verifiedAt, null),
      source: (text.source ?? 'direct') as 'direct',
      extensions: object(p.extensions),
      isDefault: flag(p.isDefault),
      kept: {
        id: checks.uuid(checks.required(checks.text(p, 'id', `${at}.id`, 36), `${at}.id`), `${at}.id`),
        objectId: checks.objectId(checks.required(checks.text(p, 'objectId', `${at}.objectId`, 24), `${at}.objectId`), `${at}.objectId`),
        createdAt: time(checks, p, 'createdAt', `${at}.createdAt`),
        updatedAt: time(checks, p, 'updatedAt', `${at}.updatedAt`),
        deletedAt: time(checks, p, 'deletedAt', `${at}.deletedAt`) ?? null,
        attachedAt: numberOr(p.attachedAt, null),
      },
    };
    if (kind === 'card') {
      const pan = checks.pan(numberText, `${at}.number`, [12, 19]);
      if (pan) record.paymentMethods.push({ ...method, card: { pan, expMonth, expYear, cvcProvided: flag(p.cvcProvided) } });
    } else {
      const routing = checks.routing(text.routingNumber ?? null, `${at}.routingNumber`);
      const account = checks.account(numberText, `${at}.number`);
      if (routing && account) {
        const ach = { accountNumber: account, routingNumber: routing, accountType: (text.accountType ?? null) as 'checking' | null, holderType: (text.holderType ?? null) as 'personal' | null, secCode: text.secCode ?? null, bankName: text.bankName ?? null };
        record.paymentMethods.push({ ...method, ach });
      }
    }
  });
  return checks.ok ? { record } : { sourceId, problems: checks.problems };
}

function write(customer: CustomerAggregate, facts: ReadonlyMap<number, { number: string | null; fingerprint: string | null }>): Row {
  const { addresses, paymentMethods, seq: _seq, tenantId: _tenant, purgedAt: _purged, defaultBillingAddressSeq, defaultShippingAddressSeq, defaultPaymentMethodSeq, ...fields } = customer;
  return {
    customer: fields,
    addresses: addresses.map(({ seq, customerSeq: _c, hash: _h, sourceNumber, deletedAt: _d, ...address }) => ({
      ...address,
      number: sourceNumber ?? seq,
      defaultBilling: seq === defaultBillingAddressSeq,
      defaultShipping: seq === defaultShippingAddressSeq,
    })),
    paymentMethods: paymentMethods.map(({ seq, customerSeq: _c, tenantId: _t, purgedAt: _p, singleUseToken: _s, tokenExpiresAt: _e, numberLength: _n, brand: _b, ...method }) => {
      const known = facts.get(seq);
      return { ...method, number: known?.number ?? undefined, fingerprint: known?.number ? undefined : (known?.fingerprint ?? undefined), isDefault: seq === defaultPaymentMethodSeq };
    }),
  };
}

export const polyvaultPreset: MigrationPreset = { id: 'polyvault', title: 'polyvault (lossless)', keepsDeleted: true, read, write };
