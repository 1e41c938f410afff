/**
 * The canonical domain: what polyvault stores, independent of any provider's wire format.
 * Adapters translate their dialect's requests into these shapes and back; nothing here knows HTTP.
 *
 * Conventions:
 * - Optional strings are `null` when unset. An empty string is never stored: writing `""` clears.
 * - Times are Unix epoch milliseconds (UTC).
 * - `seq` is the row's integer key. It is assigned in creation order, never reused, and unique across
 *   the whole store (so also per tenant); Maast shows it as `rec_id` / `shipping_id`.
 * - `id` is a random UUID v4 (Stax id, Exact token); `objectId` is a 12-byte time-ordered id in hex
 *   (Exact customer id; the FluidPay xid is the same 12 bytes in base32hex).
 */

export const DIALECT_IDS = ['maast', 'fluidpay', 'exact', 'stax'] as const;
export type DialectId = (typeof DIALECT_IDS)[number];

export function isDialectId(value: unknown): value is DialectId {
  return typeof value === 'string' && (DIALECT_IDS as readonly string[]).includes(value);
}

/** Per-dialect settings of a tenant. Each dialect owns the keys of its own entry. */
export interface DialectSettings {
  enabled: boolean;
  /** maast: merchant id (decimal string, ≤ 16 digits); fluidpay: owner id (xid); exact: account id (24 hex); stax: merchant id (uuid). */
  [setting: string]: unknown;
}

export interface Tenant {
  id: string;
  name: string;
  disabled: boolean;
  /** Its data may be wiped by `tenant reset` even in production mode. */
  sandbox: boolean;
  dialects: Partial<Record<DialectId, DialectSettings>>;
  createdAt: number;
  updatedAt: number;
}

export type ApiKeyDialect = DialectId | 'admin';
/** `secret` keys call the vault; `public` keys (FluidPay `pub_…`) only tokenize. */
export type ApiKeyKind = 'secret' | 'public';

export interface ApiKeyInfo {
  id: string;
  tenantId: string;
  dialect: ApiKeyDialect;
  kind: ApiKeyKind;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
  expiresAt: number | null;
}

/** A Stax-style custom field. `value` is always stored as a string. Extra members are kept as given. */
export interface CustomField {
  name: string;
  type: string;
  value: string;
  [member: string]: unknown;
}

/**
 * Fields a dialect cannot express canonically, kept so they come back through that dialect
 * (e.g. `extensions.stax.cc_emails`). Keyed by dialect id.
 */
export type Extensions = Partial<Record<DialectId, Record<string, unknown>>>;

export interface CustomerFields {
  givenName: string | null;
  familyName: string | null;
  company: string | null;
  email: string | null;
  phone: string | null;
  description: string | null;
  notes: string | null;
  reference: string | null;
  /** The software that created the customer, as its developer names it (Maast `developer_id`). */
  integratorId: string | null;
  flags: string[];
  customFields: CustomField[] | null;
  extensions: Extensions;
}

export interface Customer extends CustomerFields {
  seq: number;
  id: string;
  objectId: string;
  tenantId: string;
  /**
   * The id Maast (`customer_id`) and FluidPay (`id`) clients use: a merchant-chosen code, a Maast
   * auto-generated id, a FluidPay `id_format` id, or the xid of `objectId` when none was chosen.
   */
  vaultId: string;
  defaultBillingAddressSeq: number | null;
  defaultShippingAddressSeq: number | null;
  defaultPaymentMethodSeq: number | null;
  createdAt: number;
  updatedAt: number;
  /** Soft-delete mark. Dialects without soft delete treat a marked customer as gone. */
  deletedAt: number | null;
  /** Set when a dialect deleted the customer for good (Maast, FluidPay): it can never be restored. */
  purgedAt: number | null;
}

export interface AddressFields {
  label: string | null;
  givenName: string | null;
  familyName: string | null;
  company: string | null;
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  /** US ZIP+4 extension (Maast `*_zip4`). */
  postalCodeExt: string | null;
  /** ISO 3166-1 alpha-2, upper case: the canonical country. */
  country: string | null;
  /** The country as free text, exactly as a dialect sent it (Maast `shipping_country`). */
  countryName: string | null;
  /** The 3-character country code exactly as sent (Maast `shipping_country_code`, normally ISO numeric). */
  countryCode: string | null;
  emails: string[];
  phone: string | null;
  fax: string | null;
  /** Exact's per-address `isDefault`, stored as given (no single-default rule). */
  isDefault: boolean;
}

export interface Address extends AddressFields {
  seq: number;
  id: string;
  objectId: string;
  customerSeq: number;
  /**
   * The integer id the address had at the provider it was imported from (Maast `shipping_id`), kept
   * so that provider's clients still find it; dialects that show an integer show this before `seq`.
   */
  sourceNumber?: number | null;
  /** Keyed HMAC of the normalised address (FluidPay `hash`), for duplicate checks. */
  hash: string;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
}

export type PaymentMethodKind = 'card' | 'ach';
export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'diners' | 'jcb' | 'unionpay' | 'unknown';
export type AchAccountType = 'checking' | 'savings';
export type AchHolderType = 'personal' | 'business';

/** Billing details of a payment method (Maast `billing_*`, Exact `billingDetails`, Stax `person_name`/`address_*`). */
export interface BillingDetails {
  givenName: string | null;
  familyName: string | null;
  company: string | null;
  emails: string[];
  phone: string | null;
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  postalCodeExt: string | null;
  country: string | null;
  countryName: string | null;
  countryCode: string | null;
}

export interface PaymentMethod {
  seq: number;
  id: string;
  objectId: string;
  tenantId: string;
  /** Maast `card_id`: 32 characters, the UUID's hex unless a client supplied its own. */
  vaultRef: string;
  customerSeq: number | null;
  kind: PaymentMethodKind;
  /** Cards: brand from the IIN. ACH: null. */
  brand: CardBrand | null;
  /** Cards: first six digits. ACH: null. */
  bin: string | null;
  /** Last four digits of the PAN or account number. */
  last4: string;
  /** Digits in the PAN or account number (masks keep the length). */
  numberLength: number;
  expMonth: number | null;
  /** Four-digit year. */
  expYear: number | null;
  /** ACH routing number. Not secret (it names a bank); Maast and FluidPay return it. */
  routingNumber: string | null;
  accountType: AchAccountType | null;
  holderType: AchHolderType | null;
  secCode: string | null;
  bankName: string | null;
  billing: BillingDetails;
  /** Exact `label`, Stax `nickname`. */
  label: string | null;
  flags: string[];
  /** Time of the last successful verification (Maast `verify: true`). */
  verifiedAt: number | null;
  /** Whether a CVV was supplied when the method was stored (Stax `has_cvv`, Exact `cvcCheck`). The CVV itself is never kept. */
  cvcProvided: boolean;
  /** How the method arrived: typed in (`direct`), from a single-use tokenizer token, or from a wallet. */
  source: 'direct' | 'token' | 'applepay' | 'googlepay';
  /** When the method was last attached to its customer (Exact lists by attachment time). */
  attachedAt: number | null;
  /** FluidPay tokenizer: a single-use token for an unattached method, with its expiry. */
  singleUseToken: string | null;
  tokenExpiresAt: number | null;
  extensions: Extensions;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
  /** Set when the encrypted number was destroyed (hard delete through Maast or FluidPay). */
  purgedAt: number | null;
}

/** A customer with its live addresses and payment methods, each in creation order. */
export interface CustomerAggregate extends Customer {
  addresses: Address[];
  paymentMethods: PaymentMethod[];
}

export interface AuditEventInfo {
  id: string;
  tenantId: string | null;
  actorKeyId: string | null;
  dialect: string;
  operation: string;
  targetIds: string[];
  outcome: 'success' | 'failure';
  requestId: string | null;
  createdAt: number;
}

export const EMPTY_BILLING: Readonly<BillingDetails> = Object.freeze({
  givenName: null,
  familyName: null,
  company: null,
  emails: [],
  phone: null,
  line1: null,
  line2: null,
  city: null,
  state: null,
  postalCode: null,
  postalCodeExt: null,
  country: null,
  countryName: null,
  countryCode: null,
});
