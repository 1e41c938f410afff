/**
 * Pure translation between the canonical model (core/model.ts) and the Stax wire format (wire.ts).
 * The mapping is the one in docs/field-mapping.md (Stax section); the rules that shape it are in
 * the contract §8.10: `address_*` is the customer's default address, custom fields are canonical,
 * everything only Stax can say lives in `extensions.stax`.
 */
import { createHash } from 'node:crypto';
import type { Address, AddressFields, BillingDetails, Customer, CustomerAggregate, CustomField, PaymentMethod } from '../../core/model';
import type { AddressPatch, CustomerPatch, NewAddress, NewCustomer, NewPaymentMethod, PaymentMethodPatch } from '../../core/vault/commands';
import { alpha2FromAlpha3, alpha3Of } from '../../core/countries';
import { isoTimestamp } from '../../core/time';
import { displayName, splitName } from '../../core/names';
import { joinOptions, splitOptions } from './options';
import type { CustomerBody, PaymentAddressBody, PaymentMethodCreateBody, PaymentMethodUpdateBody } from './validate';
import type { StaxAddressField, StaxCardType, StaxCustomer, StaxPaymentMethod } from './wire';

// ---------------------------------------------------------------------------------------------
// formatting (§6)

/** `YYYY-MM-DD HH:MM:SS`, UTC (§6.1). */
export function staxTimestamp(ms: number): string {
  return isoTimestamp(ms).slice(0, 19).replace('T', ' ');
}

/** §6.6: `//www.gravatar.com/avatar/<md5 of the trimmed, lower-cased email>`, or `false`. */
export function gravatar(email: string): string | false {
  const normalised = email.trim().toLowerCase();
  if (normalised === '') return false;
  return '//www.gravatar.com/avatar/' + createHash('md5').update(normalised).digest('hex');
}

/** Canonical alpha-2 → the upper-case alpha-3 Stax shows (`null` when unset or unknown). */
function alpha3(country: string | null): string | null {
  return country ? alpha3Of(country) : null;
}

/** `""` and `null` are "unset" canonically. */
const orNull = (value: string | null | undefined): string | null => (value === undefined || value === null || value === '' ? null : value);

// ---------------------------------------------------------------------------------------------
// customers

/** What only Stax can say about a customer, kept in `extensions.stax`. */
export type StaxCustomerExtension = {
  options?: Record<string, unknown>;
  cc_emails?: string[];
  cc_sms?: string[];
  allow_invoice_credit_card_payments?: boolean;
};

function staxExtension(customer: Customer): StaxCustomerExtension {
  return (customer.extensions.stax ?? {}) as StaxCustomerExtension;
}

/**
 * The address Stax shows as `address_*` (§8.10): the default billing address, else the default
 * shipping address, else the first live address, else none.
 */
export function defaultAddress(customer: CustomerAggregate): Address | null {
  const bySeq = (seq: number | null) => (seq === null ? undefined : customer.addresses.find((address) => address.seq === seq));
  return bySeq(customer.defaultBillingAddressSeq) ?? bySeq(customer.defaultShippingAddressSeq) ?? customer.addresses[0] ?? null;
}

export function toStaxCustomer(customer: CustomerAggregate): StaxCustomer {
  const extension = staxExtension(customer);
  const address = defaultAddress(customer);
  const email = customer.email ?? '';
  return {
    id: customer.id.toLowerCase(),
    firstname: customer.givenName ?? '',
    lastname: customer.familyName ?? '',
    company: customer.company ?? '',
    email,
    cc_emails: Array.isArray(extension.cc_emails) ? [...extension.cc_emails] : null,
    cc_sms: Array.isArray(extension.cc_sms) ? [...extension.cc_sms] : null,
    phone: customer.phone ?? '',
    address_1: address?.line1 ?? '',
    address_2: address?.line2 ?? '',
    address_city: address?.city ?? '',
    address_state: address?.state ?? '',
    address_zip: address?.postalCode ?? '',
    address_country: alpha3(address?.country ?? null) ?? '',
    notes: customer.notes,
    reference: customer.reference ?? '',
    options: joinOptions(extension.options, customer.customFields),
    created_at: staxTimestamp(customer.createdAt),
    updated_at: staxTimestamp(customer.updatedAt),
    deleted_at: customer.deletedAt === null ? null : staxTimestamp(customer.deletedAt),
    allow_invoice_credit_card_payments: extension.allow_invoice_credit_card_payments ?? true,
    gravatar: gravatar(email),
    parent_merge: null,
    child_merges: [],
  };
}

/** The canonical address fields behind `address_*` (a key only for the fields that were sent). */
const ADDRESS_FIELD_MAP: Record<Exclude<StaxAddressField, 'address_country'>, 'line1' | 'line2' | 'city' | 'state' | 'postalCode'> = {
  address_1: 'line1',
  address_2: 'line2',
  address_city: 'city',
  address_state: 'state',
  address_zip: 'postalCode',
};

/**
 * `address_*` values (strings, `""` or `null` meaning unset; country as alpha-3) → canonical
 * address fields. A new country also clears the Maast-style free-text name and code, which
 * described the old one.
 */
export function addressFieldsFrom(address: Partial<Record<StaxAddressField, string | null>>): Partial<AddressFields> {
  const out: Partial<AddressFields> = {};
  for (const [wire, canonical] of Object.entries(ADDRESS_FIELD_MAP) as Array<[keyof typeof ADDRESS_FIELD_MAP, (typeof ADDRESS_FIELD_MAP)[keyof typeof ADDRESS_FIELD_MAP]]>) {
    if (address[wire] !== undefined) out[canonical] = orNull(address[wire]);
  }
  if (address.address_country !== undefined) {
    const code = orNull(address.address_country);
    out.country = code === null ? null : alpha2FromAlpha3(code);
  }
  return out;
}

function extensionFrom(body: CustomerBody, base: StaxCustomerExtension): StaxCustomerExtension {
  const next: StaxCustomerExtension = { ...base };
  if (body.options !== undefined) {
    const { rest } = splitOptions(body.options);
    if (rest === null) delete next.options;
    else next.options = rest;
  }
  for (const key of ['cc_emails', 'cc_sms'] as const) {
    const value = body[key];
    if (value === undefined) continue;
    if (value === null) delete next[key];
    else next[key] = value;
  }
  if (body.allow_invoice_credit_card_payments !== undefined) next.allow_invoice_credit_card_payments = body.allow_invoice_credit_card_payments;
  return next;
}

const CUSTOMER_FIELD_MAP = {
  firstname: 'givenName',
  lastname: 'familyName',
  company: 'company',
  email: 'email',
  phone: 'phone',
  reference: 'reference',
} as const;

/** S1: the canonical customer to create (its address is created separately, see newAddressFrom). */
export function newCustomerFrom(body: CustomerBody): NewCustomer {
  const customer: NewCustomer = {};
  for (const [wire, canonical] of Object.entries(CUSTOMER_FIELD_MAP) as Array<[keyof typeof CUSTOMER_FIELD_MAP, (typeof CUSTOMER_FIELD_MAP)[keyof typeof CUSTOMER_FIELD_MAP]]>) {
    customer[canonical] = orNull(body[wire]);
  }
  customer.notes = body.notes ?? null;
  customer.customFields = body.options === undefined ? null : splitOptions(body.options).customFields;
  const extension = extensionFrom(body, {});
  customer.extensions = Object.keys(extension).length > 0 ? { stax: extension } : {};
  return customer;
}

/** S1 (or S4 on a customer without any address): the address to create, or null when all blank. */
export function newAddressFrom(address: CustomerBody['address']): NewAddress | null {
  if (!address) return null;
  const fields = addressFieldsFrom(address);
  const anySet = Object.values(fields).some((value) => value !== null && value !== undefined);
  return anySet ? fields : null;
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** S4: only what actually changes (so an update that changes nothing leaves `updated_at` alone, §8.3). */
export function customerPatchFrom(current: Customer, body: CustomerBody): CustomerPatch {
  const patch: CustomerPatch = {};
  for (const [wire, canonical] of Object.entries(CUSTOMER_FIELD_MAP) as Array<[keyof typeof CUSTOMER_FIELD_MAP, (typeof CUSTOMER_FIELD_MAP)[keyof typeof CUSTOMER_FIELD_MAP]]>) {
    if (body[wire] === undefined) continue;
    const next = orNull(body[wire]);
    if (next !== current[canonical]) patch[canonical] = next;
  }
  if (body.notes !== undefined && body.notes !== current.notes) patch.notes = body.notes;
  if (body.options !== undefined) {
    const { customFields } = splitOptions(body.options);
    if (!sameJson(customFields, current.customFields)) patch.customFields = customFields as CustomField[] | null;
  }
  const before = staxExtension(current);
  const after = extensionFrom(body, before);
  if (!sameJson(before, after)) {
    const extensions = { ...current.extensions };
    if (Object.keys(after).length > 0) extensions.stax = after;
    else delete extensions.stax;
    patch.extensions = extensions;
  }
  return patch;
}

/** S4 on a customer that has an address: the changed fields of that address, or null. */
export function addressPatchFrom(current: Address, address: CustomerBody['address'] | PaymentAddressBody): AddressPatch | null {
  if (!address) return null;
  const fields = addressFieldsFrom(address);
  const patch: AddressPatch = {};
  for (const [key, value] of Object.entries(fields) as Array<[keyof AddressFields, string | null]>) {
    if (current[key] !== value) (patch as Record<string, unknown>)[key] = value;
  }
  if (patch.country !== undefined) {
    patch.countryName = null;
    patch.countryCode = null;
  }
  // A ZIP+4 extension kept apart by Maast belongs to the old postal code: keeping it would make Maast
  // and Exact show a ZIP+4 nobody entered (Exact clears it the same way).
  if (patch.postalCode !== undefined) patch.postalCodeExt = null;
  return Object.keys(patch).length > 0 ? patch : null;
}

/** The four name fields of a customer as Stax shows them (for the at-least-one rule on S4). */
export function nameFieldsOf(customer: Customer): { firstname: string; lastname: string; email: string; company: string } {
  return { firstname: customer.givenName ?? '', lastname: customer.familyName ?? '', email: customer.email ?? '', company: customer.company ?? '' };
}

// ---------------------------------------------------------------------------------------------
// payment methods

/** What only Stax says about a payment method, kept in `extensions.stax`. */
export type StaxPaymentMethodExtension = {
  /** The nickname generated at creation (§6.5), fixed until S10 sends `nickname` empty; never the canonical label. */
  nickname?: string;
};

/** §9.22: UnionPay is reported as Discover; brands Stax cannot name give `null`. */
export function staxCardType(pm: PaymentMethod): StaxCardType | null {
  if (pm.kind !== 'card') return null;
  switch (pm.brand) {
    case 'visa':
    case 'mastercard':
    case 'amex':
    case 'discover':
    case 'jcb':
    case 'diners':
      return pm.brand;
    case 'unionpay':
      return 'discover';
    default:
      return null;
  }
}

/** `person_name` from the canonical billing names (the billing company when there are none). */
export function personNameOf(billing: BillingDetails): string {
  return displayName(billing.givenName, billing.familyName, billing.company);
}

/** §6.5: `"<BRAND>: <person_name> (ending in: <last four>)"`, or without the name when it is empty. */
export function generatedNickname(kind: PaymentMethod['kind'], cardType: StaxCardType | null, personName: string, last4: string): string {
  const brand = kind === 'ach' ? 'BANK' : (cardType ?? 'card').toUpperCase();
  return personName === '' ? `${brand} (ending in: ${last4})` : `${brand}: ${personName} (ending in: ${last4})`;
}

export function nicknameOf(pm: PaymentMethod): string {
  if (pm.label) return pm.label;
  const stored = (pm.extensions.stax as StaxPaymentMethodExtension | undefined)?.nickname;
  if (typeof stored === 'string' && stored !== '') return stored;
  return generatedNickname(pm.kind, staxCardType(pm), personNameOf(pm.billing), pm.last4);
}

export interface PaymentMethodContext {
  customerId: string;
  merchantId: string;
  defaultPaymentMethodSeq: number | null;
}

export function toStaxPaymentMethod(pm: PaymentMethod, context: PaymentMethodContext): StaxPaymentMethod {
  const isCard = pm.kind === 'card';
  const billing = pm.billing;
  return {
    id: pm.id.toLowerCase(),
    customer_id: context.customerId.toLowerCase(),
    merchant_id: context.merchantId,
    method: isCard ? 'card' : 'bank',
    card_type: staxCardType(pm),
    card_last_four: pm.last4,
    card_exp: isCard && pm.expMonth !== null && pm.expYear !== null ? String(pm.expMonth).padStart(2, '0') + String(pm.expYear).padStart(4, '0') : null,
    bank_name: isCard ? null : pm.bankName,
    bank_type: isCard ? null : pm.accountType,
    bank_holder_type: isCard ? null : pm.holderType,
    nickname: nicknameOf(pm),
    is_default: pm.deletedAt === null && pm.seq === context.defaultPaymentMethodSeq ? 1 : 0,
    has_cvv: isCard ? pm.cvcProvided : false,
    person_name: personNameOf(billing),
    address_1: billing.line1,
    address_2: billing.line2,
    address_city: billing.city,
    address_state: billing.state,
    address_zip: billing.postalCode,
    address_country: alpha3(billing.country),
    created_at: staxTimestamp(pm.createdAt),
    updated_at: staxTimestamp(pm.updatedAt),
    deleted_at: pm.deletedAt === null ? null : staxTimestamp(pm.deletedAt),
  };
}

/** Billing fields from `person_name` and `address_*` (only those given). */
function billingFrom(personName: string | undefined, address: PaymentAddressBody): Partial<BillingDetails> {
  const billing: Partial<BillingDetails> = {};
  if (personName !== undefined) Object.assign(billing, splitName(personName));
  const fields = addressFieldsFrom(address);
  for (const key of ['line1', 'line2', 'city', 'state', 'postalCode', 'country'] as const) {
    if (fields[key] !== undefined) billing[key] = fields[key] ?? null;
  }
  if (billing.country !== undefined) {
    billing.countryName = null;
    billing.countryCode = null;
  }
  return billing;
}

/** S8: the canonical payment method. `personName` is already defaulted from the customer (§4.10). */
export function newPaymentMethodFrom(body: PaymentMethodCreateBody, customerSeq: number, personName: string): NewPaymentMethod {
  const input: NewPaymentMethod = {
    customerSeq,
    billing: billingFrom(personName, body.address),
    label: body.nickname ?? null,
    source: 'direct',
  };
  if (body.card) {
    input.card = { pan: body.card.pan, expMonth: body.card.expMonth, expYear: body.card.expYear, cvcProvided: body.card.cvcProvided };
  }
  if (body.bank) {
    input.ach = {
      accountNumber: body.bank.accountNumber,
      routingNumber: body.bank.routingNumber,
      accountType: body.bank.accountType,
      holderType: body.bank.holderType,
      bankName: body.bank.bankName,
    };
  }
  if (!body.nickname) {
    const last4 = (body.card?.pan ?? body.bank?.accountNumber ?? '').slice(-4);
    const cardType = body.card ? (body.card.brand === 'unionpay' ? 'discover' : (body.card.brand as StaxCardType)) : null;
    const extension: StaxPaymentMethodExtension = { nickname: generatedNickname(body.card ? 'card' : 'ach', cardType, personName, last4) };
    input.extensions = { stax: extension };
  }
  return input;
}

/** S10: only what changes. Returns the patch (possibly empty). */
export function paymentMethodPatchFrom(pm: PaymentMethod, body: PaymentMethodUpdateBody): PaymentMethodPatch {
  const patch: PaymentMethodPatch = {};
  const billing = billingFrom(body.personName, body.address);
  const changedBilling: Partial<BillingDetails> = {};
  for (const [key, value] of Object.entries(billing) as Array<[keyof BillingDetails, BillingDetails[keyof BillingDetails]]>) {
    if (!sameJson(pm.billing[key], value)) (changedBilling as Record<string, unknown>)[key] = value;
  }
  if (changedBilling.country === undefined) {
    delete changedBilling.countryName;
    delete changedBilling.countryCode;
  }
  if (changedBilling.postalCode !== undefined) changedBilling.postalCodeExt = null;
  if (Object.keys(changedBilling).length > 0) patch.billing = changedBilling;
  if (pm.kind === 'card' && body.exp && (body.exp.month !== pm.expMonth || body.exp.year !== pm.expYear)) {
    patch.expMonth = body.exp.month;
    patch.expYear = body.exp.year;
  }
  if (pm.kind === 'ach') {
    if (body.bankName !== undefined && body.bankName !== pm.bankName) patch.bankName = body.bankName;
    if (body.accountType !== undefined && body.accountType !== pm.accountType) patch.accountType = body.accountType;
    if (body.holderType !== undefined && body.holderType !== pm.holderType) patch.holderType = body.holderType;
  }
  if (body.nickname !== undefined) {
    if (body.nickname !== null) {
      if (body.nickname !== pm.label) patch.label = body.nickname;
    } else {
      // `""`/`null` regenerates the nickname from the (updated) person name (§4.12, §6.5).
      const nextBilling = { ...pm.billing, ...billing };
      const regenerated = generatedNickname(pm.kind, staxCardType(pm), personNameOf(nextBilling), pm.last4);
      if (pm.label !== null) patch.label = null;
      const current = (pm.extensions.stax as StaxPaymentMethodExtension | undefined)?.nickname;
      if (current !== regenerated) patch.extensions = { ...pm.extensions, stax: { ...(pm.extensions.stax ?? {}), nickname: regenerated } };
    }
  }
  return patch;
}
