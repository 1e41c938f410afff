/**
 * Pure translation between Exact wire objects and the canonical model (docs/field-mapping.md, Exact).
 *
 * - Customer `name` ↔ given + family name (core/names.ts); setting `name` never touches `company`.
 * - `addresses[]` ↔ the customer's live canonical addresses, in stored order.
 * - Payment-method `billingDetails` ↔ `PaymentMethod.billing`; `label` ↔ `PaymentMethod.label`;
 *   `isDefault` ↔ the customer's `defaultPaymentMethodSeq` pointer.
 * - Countries: alpha-2 canonical, alpha-3 on the wire.
 */
import type { Address, AddressFields, BillingDetails, Customer, CustomerAggregate, Extensions, PaymentMethod } from '../../core/model';
import type { NewAddress, NewPaymentMethod } from '../../core/vault/commands';
import { displayName, splitName } from '../../core/names';
import { isoTimestamp } from '../../core/time';
import { exactCountryFromAlpha2, exactCountryToAlpha2 } from './countries';
import { stripNumber } from './schemas';
import type {
  ExactAddress,
  ExactBillingAddress,
  ExactBillingDetails,
  ExactCardBrand,
  ExactCustomer,
  ExactLookUpCustomer,
  ExactPaymentMethod,
} from './wire';

export function isoTime(ms: number): string {
  return isoTimestamp(ms);
}

/** `""` is never stored canonically (writing it clears), so the wire's empty string becomes null. */
function orNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}

/** Sets `target[key]` only when the value is a non-empty string (absent values are omitted, §6.5). */
function put<T extends object, K extends keyof T>(target: T, key: K, value: string | null | undefined): void {
  if (value !== null && value !== undefined && value !== '') target[key] = value as T[K];
}

// ---------------------------------------------------------------------------------------------
// Customers

/**
 * Where the `name` exactly as an Exact client sent it is kept (`extensions.exact.name`) when splitting
 * it into given + family name would lose something (extra or surrounding whitespace, §6.5).
 */
export const KEPT_NAME = 'name';

function keptName(customer: Pick<Customer, 'extensions'>): string | null {
  const kept = customer.extensions?.exact?.[KEPT_NAME];
  return typeof kept === 'string' ? kept : null;
}

/**
 * The customer's `name`: given + family name, else the company, else `""` (§8.10). The string an
 * Exact client sent is shown instead while the canonical names are still the ones it split into
 * (a name changed through another dialect is shown composed).
 */
export function customerName(customer: Pick<Customer, 'givenName' | 'familyName' | 'company' | 'extensions'>): string {
  const kept = keptName(customer);
  if (kept !== null) {
    const split = splitName(kept);
    if (split.givenName === customer.givenName && split.familyName === customer.familyName) return kept;
  }
  return displayName(customer.givenName, customer.familyName, customer.company);
}

/**
 * The canonical writes for a `name` set through this dialect: the split names (company never
 * touched), and the exact string in the Exact extensions when the split names alone would not give
 * it back. Other dialects' extensions, and other Exact ones, are carried over unchanged.
 */
export function nameWrite(name: string, extensions: Extensions): { givenName: string | null; familyName: string | null; extensions: Extensions } {
  const split = splitName(name);
  const exactOwn: Record<string, unknown> = { ...(extensions.exact ?? {}) };
  if (displayName(split.givenName, split.familyName) === name) delete exactOwn[KEPT_NAME];
  else exactOwn[KEPT_NAME] = name;
  const next: Extensions = { ...extensions };
  if (Object.keys(exactOwn).length > 0) next.exact = exactOwn;
  else delete next.exact;
  return { ...split, extensions: next };
}

/** Postal code as one string: Maast keeps the ZIP+4 extension apart. */
function joinedPostalCode(postalCode: string | null, ext: string | null): string | null {
  if (!postalCode) return null;
  return ext ? `${postalCode}-${ext}` : postalCode;
}

export function addressToWire(address: Address): ExactAddress {
  const out: ExactAddress = {};
  put(out, 'label', address.label);
  put(out, 'line1', address.line1);
  put(out, 'line2', address.line2);
  put(out, 'city', address.city);
  put(out, 'state', address.state);
  put(out, 'postalCode', joinedPostalCode(address.postalCode, address.postalCodeExt));
  put(out, 'country', exactCountryFromAlpha2(address.country));
  // Canonical isDefault has no "unset": it is shown when true, omitted when false.
  if (address.isDefault) out.isDefault = true;
  return out;
}

export function customerToWire(customer: CustomerAggregate): ExactCustomer {
  const out: ExactCustomer = {
    id: customer.objectId.toLowerCase(),
    token: customer.id.toLowerCase(),
    createdAt: isoTime(customer.createdAt),
    updatedAt: isoTime(customer.updatedAt),
    name: customerName(customer),
    addresses: [],
  };
  put(out, 'email', customer.email);
  put(out, 'phone', customer.phone);
  out.addresses = customer.addresses.map(addressToWire);
  return out;
}

export function lookUpCustomerToWire(customer: Customer): ExactLookUpCustomer {
  return {
    type: 'customer',
    token: customer.id.toLowerCase(),
    createdAt: isoTime(customer.createdAt),
    updatedAt: isoTime(customer.updatedAt),
    customerId: customer.objectId.toLowerCase(),
  };
}

/** A customer address as validated by the schemas (§4.2). */
export interface AddressInput {
  label: string;
  line1?: string;
  line2?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
  isDefault?: boolean;
}

/** The address fields Exact can express, in canonical form (country alpha-2). */
export type ExactAddressFields = Pick<AddressFields, 'label' | 'line1' | 'line2' | 'city' | 'state' | 'postalCode' | 'country' | 'isDefault'>;

export function addressFieldsFromInput(input: AddressInput): ExactAddressFields {
  return {
    label: orNull(input.label),
    line1: orNull(input.line1),
    line2: orNull(input.line2),
    city: orNull(input.city),
    state: orNull(input.state),
    postalCode: orNull(input.postalCode),
    country: input.country ? exactCountryToAlpha2(input.country) : null,
    isDefault: input.isDefault === true,
  };
}

/** What Exact sees of a stored address, for comparing it with a requested one. */
export function addressFieldsOf(address: Address): ExactAddressFields {
  return {
    label: address.label,
    line1: address.line1,
    line2: address.line2,
    city: address.city,
    state: address.state,
    postalCode: joinedPostalCode(address.postalCode, address.postalCodeExt),
    country: address.country,
    isDefault: address.isDefault,
  };
}

export function sameAddressFields(a: ExactAddressFields, b: ExactAddressFields): boolean {
  return (
    a.label === b.label &&
    a.line1 === b.line1 &&
    a.line2 === b.line2 &&
    a.city === b.city &&
    a.state === b.state &&
    a.postalCode === b.postalCode &&
    a.country === b.country &&
    a.isDefault === b.isDefault
  );
}

/**
 * The patch that turns a stored address into the requested one, touching only what Exact can
 * express and what differs. The fields Exact cannot express (names, company, phone, emails, fax)
 * stay; the Maast free-text country and ZIP+4 extension are cleared when the country or postal
 * code they belong to changes.
 */
export function addressPatch(stored: Address, wanted: ExactAddressFields): NewAddress {
  const current = addressFieldsOf(stored);
  const patch: NewAddress = {};
  if (current.label !== wanted.label) patch.label = wanted.label;
  if (current.line1 !== wanted.line1) patch.line1 = wanted.line1;
  if (current.line2 !== wanted.line2) patch.line2 = wanted.line2;
  if (current.city !== wanted.city) patch.city = wanted.city;
  if (current.state !== wanted.state) patch.state = wanted.state;
  if (current.postalCode !== wanted.postalCode) {
    patch.postalCode = wanted.postalCode;
    patch.postalCodeExt = null;
  }
  if (current.country !== wanted.country) {
    patch.country = wanted.country;
    patch.countryName = null;
    patch.countryCode = null;
  }
  if (current.isDefault !== wanted.isDefault) patch.isDefault = wanted.isDefault;
  return patch;
}

// ---------------------------------------------------------------------------------------------
// Payment methods

const BRANDS: Readonly<Record<string, ExactCardBrand>> = {
  visa: 'visa',
  mastercard: 'mastercard',
  amex: 'amex',
  discover: 'discover',
  diners: 'diners',
  jcb: 'jcb',
  unionpay: 'union pay',
};

export function billingToWire(billing: BillingDetails, kind: PaymentMethod['kind']): ExactBillingDetails {
  const out: ExactBillingDetails = { name: displayName(billing.givenName, billing.familyName, kind === 'ach' ? null : billing.company) };
  put(out, 'email', billing.emails[0]);
  put(out, 'phone', billing.phone);
  if (kind === 'ach') put(out, 'businessName', billing.company);
  const address: ExactBillingAddress = {};
  put(address, 'line1', billing.line1);
  put(address, 'line2', billing.line2);
  put(address, 'city', billing.city);
  put(address, 'state', billing.state);
  put(address, 'postalCode', joinedPostalCode(billing.postalCode, billing.postalCodeExt));
  put(address, 'country', exactCountryFromAlpha2(billing.country));
  if (Object.keys(address).length > 0) out.address = address;
  return out;
}

/** How a payment method stands towards a live customer, as this dialect sees it. */
export interface Attachment {
  /** Attached to a customer that is not deleted. */
  attached: boolean;
  /** That customer's default pointer names this method. */
  isDefault: boolean;
}

export function paymentMethodToWire(pm: PaymentMethod, attachment: Attachment): ExactPaymentMethod {
  const out: ExactPaymentMethod = {
    type: pm.kind,
    token: pm.id.toLowerCase(),
    createdAt: isoTime(pm.createdAt),
    updatedAt: isoTime(pm.updatedAt),
    billingDetails: billingToWire(pm.billing, pm.kind),
  };
  if (pm.kind === 'card') {
    const brand = pm.brand ? BRANDS[pm.brand] : undefined;
    out.card = {
      ...(brand ? { brand } : {}),
      lastFour: pm.last4,
      checks: { cvcCheck: pm.cvcProvided ? 'full-match' : 'not-verified', addressCheck: 'not-verified' },
      ...(pm.expMonth !== null && pm.expYear !== null ? { expiry: { month: pm.expMonth, year: pm.expYear } } : {}),
      tokenType: 'platform',
    };
  } else {
    out.ach = {
      ...(pm.accountType ? { bankAccountType: pm.accountType } : {}),
      lastFour: pm.last4,
      verified: true,
    };
  }
  if (attachment.attached) {
    put(out, 'label', pm.label);
    out.isDefault = attachment.isDefault;
  }
  return out;
}

/** A tokenization body that passed validation (§4.7), month and year already numbers. */
export interface TokenizationInput {
  type: 'card' | 'ach';
  billingDetails: {
    name: string;
    email?: string;
    phone?: string;
    businessName?: string;
    address: { line1: string; line2?: string; city: string; state: string; postalCode: string; country?: string; countryCode?: string };
  };
  card?: { number: string; expiry: { month: number; year: number }; cvc?: string; cvcIndicator?: string; tokenType?: string };
  ach?: { routingNumber: string; accountNumber: string; bankAccountType: 'checking' | 'savings'; plaidToken?: string };
}

export function billingFromInput(details: TokenizationInput['billingDetails']): Partial<BillingDetails> {
  const address = details.address;
  const countryText = address.country ?? address.countryCode;
  return {
    ...splitName(details.name),
    company: orNull(details.businessName),
    emails: details.email ? [details.email] : [],
    phone: orNull(details.phone),
    line1: orNull(address.line1),
    line2: orNull(address.line2),
    city: orNull(address.city),
    state: orNull(address.state),
    postalCode: orNull(address.postalCode),
    postalCodeExt: null,
    country: countryText ? exactCountryToAlpha2(countryText) : null,
    countryName: null,
    countryCode: null,
  };
}

/** The canonical store command for a validated tokenization: an unattached card or bank account. */
export function newPaymentMethodFromInput(input: TokenizationInput): NewPaymentMethod {
  const billing = billingFromInput(input.billingDetails);
  if (input.type === 'card' && input.card) {
    return {
      customerSeq: null,
      // The CVC itself is dropped here: only the fact that one was given is kept (cvcCheck).
      card: { pan: stripNumber(input.card.number), expMonth: input.card.expiry.month, expYear: input.card.expiry.year, cvcProvided: input.card.cvc !== undefined },
      billing,
      source: 'direct',
    };
  }
  const ach = input.ach as NonNullable<TokenizationInput['ach']>;
  return {
    customerSeq: null,
    ach: { accountNumber: stripNumber(ach.accountNumber), routingNumber: stripNumber(ach.routingNumber), accountType: ach.bankAccountType },
    billing,
    // §8.7: bank accounts are stored verified (micro-deposit verification is out of scope).
    source: 'direct',
  };
}
