/**
 * Pure translation between the canonical model and the Maast wire format, in both directions.
 * Masks and card types are built from the stored facts (bin, last four, length, brand): a stored
 * number is never decrypted to answer.
 */
import { maskNumber } from '../../core/cards';
import { alpha2FromName, alpha2FromNumeric, nameOf, numericOf } from '../../core/countries';
import type {
  AchAccountType,
  AchHolderType,
  Address,
  AddressFields,
  BillingDetails,
  CardBrand,
  CustomerAggregate,
  CustomerFields,
  PaymentMethod,
} from '../../core/model';
import type {
  BillingTextField,
  CustomerTextField,
  MaastCardType,
  MaastTypeId,
  ShippingTextField,
  WireBillingCard,
  WireCustomer,
  WireShippingAddress,
} from './wire';

// ---------------------------------------------------------------------------------------------
// field tables: wire name → canonical field, in the order the provider's examples show them.
// They drive both directions; the payment data, ids and flags are handled around them.

const CUSTOMER_FIELDS: Record<CustomerTextField, 'givenName' | 'familyName' | 'company' | 'phone' | 'email' | 'reference' | 'notes'> = {
  customer_first_name: 'givenName',
  customer_last_name: 'familyName',
  customer_firm_name: 'company',
  customer_phone: 'phone',
  customer_email: 'email',
  reference_id: 'reference',
  comments: 'notes',
};

const SHIPPING_FIELDS: Record<ShippingTextField, keyof AddressFields> = {
  shipping_first_name: 'givenName',
  shipping_last_name: 'familyName',
  shipping_firm_name: 'company',
  shipping_addr1: 'line1',
  shipping_addr2: 'line2',
  shipping_city: 'city',
  shipping_state: 'state',
  shipping_zip: 'postalCode',
  shipping_zip4: 'postalCodeExt',
  shipping_country: 'countryName',
  shipping_country_code: 'countryCode',
};

// Split where the provider's examples show `billing_email` (between the names and the address).
const BILLING_NAME_FIELDS = {
  billing_first_name: 'givenName',
  billing_last_name: 'familyName',
  billing_firm_name: 'company',
} as const satisfies Partial<Record<BillingTextField, keyof BillingDetails>>;

const BILLING_ADDRESS_FIELDS = {
  billing_addr1: 'line1',
  billing_addr2: 'line2',
  billing_city: 'city',
  billing_state: 'state',
  billing_zip: 'postalCode',
  billing_zip4: 'postalCodeExt',
  billing_country: 'countryName',
  billing_country_code: 'countryCode',
} as const satisfies Partial<Record<BillingTextField, keyof BillingDetails>>;

const BILLING_FIELDS: Record<BillingTextField, keyof BillingDetails> = { ...BILLING_NAME_FIELDS, ...BILLING_ADDRESS_FIELDS };

/**
 * Copies the table's non-empty canonical strings to their wire names (§6.6: empty strings are
 * omitted), with the country shown as `countryView` says.
 */
function putFields(out: object, table: Record<string, string>, source: object, country?: { name: string | null; code: string | null }): void {
  const target = out as Record<string, unknown>;
  const values = source as Record<string, unknown>;
  for (const [wire, canonical] of Object.entries(table)) {
    const value = country && canonical === 'countryName' ? country.name : country && canonical === 'countryCode' ? country.code : values[canonical];
    if (typeof value === 'string' && value !== '') target[wire] = value;
  }
}

// ---------------------------------------------------------------------------------------------
// canonical → wire

/** Maast shows a primary whenever entries exist: the customer's pointer, or the earliest entry. */
/** An address's `shipping_id`: the one it was imported with (docs/migration.md), else its seq. */
export const shippingIdOf = (address: Address): number => address.sourceNumber ?? address.seq;

export function primaryOf<T extends { seq: number }>(entries: readonly T[], pointer: number | null): T | undefined {
  return entries.find((entry) => entry.seq === pointer) ?? entries[0];
}

const CARD_TYPES: Partial<Record<CardBrand, MaastCardType>> = {
  visa: 'VS',
  mastercard: 'MC',
  amex: 'AM',
  discover: 'DS',
  // The Discover network also carries Diners Club and UnionPay (contract §6.2).
  diners: 'DS',
  unionpay: 'DS',
  jcb: 'JC',
};

/** `card_type`; undefined for a brand without a Maast code (the element then omits it). */
export function cardTypeOf(method: Pick<PaymentMethod, 'kind' | 'brand'>): MaastCardType | undefined {
  if (method.kind === 'ach') return 'AP';
  return method.brand ? CARD_TYPES[method.brand] : undefined;
}

export function cardTypeOfBrand(brand: CardBrand): MaastCardType | undefined {
  return CARD_TYPES[brand];
}

/** Cards: first six, one `x` per hidden digit, last four. ACH: `x` for all but the last four (§6.1). */
export function maskOf(method: Pick<PaymentMethod, 'kind' | 'bin' | 'last4' | 'numberLength'>): string {
  const head = method.kind === 'card' ? (method.bin ?? '') : '';
  return maskNumber(head, method.last4, method.numberLength, 'x');
}

const TYPE_IDS: Record<MaastTypeId, { accountType: AchAccountType; holderType: AchHolderType }> = {
  C: { accountType: 'checking', holderType: 'personal' },
  S: { accountType: 'savings', holderType: 'personal' },
  K: { accountType: 'checking', holderType: 'business' },
  V: { accountType: 'savings', holderType: 'business' },
};

export function accountOfTypeId(typeId: MaastTypeId): { accountType: AchAccountType; holderType: AchHolderType } {
  return TYPE_IDS[typeId];
}

/** An account written elsewhere without a type reads as the provider's default, personal checking. */
export function typeIdOf(accountType: AchAccountType | null, holderType: AchHolderType | null): MaastTypeId {
  const business = holderType === 'business';
  if (accountType === 'savings') return business ? 'V' : 'S';
  return business ? 'K' : 'C';
}

const pad2 = (value: number): string => String(value).padStart(2, '0');

export function expDateOf(expMonth: number | null, expYear: number | null): string | undefined {
  if (expMonth === null || expYear === null) return undefined;
  return pad2(expMonth) + pad2(expYear % 100);
}

/** `MMYY` → month and four-digit year (`YY` means `20YY`, contract §6.3). */
export function parseExpDate(expDate: string): { expMonth: number; expYear: number } {
  return { expMonth: Number(expDate.slice(0, 2)), expYear: 2000 + Number(expDate.slice(2, 4)) };
}

/** The provider's `yyyyMMddHHmmss`, UTC. */
export function verifiedDateOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}`;
}

/** Sets `target[key]` only for non-empty strings (§6.6: empty strings are omitted). */
function put<T extends object, K extends keyof T>(target: T, key: K, value: string | null | undefined): void {
  if (value !== null && value !== undefined && value !== '') target[key] = value as T[K];
}

/**
 * Country as Maast shows it: the name and numeric code exactly as a Maast client sent them; for a
 * record written through another dialect that holds only the ISO country, its English name and
 * ISO numeric code.
 */
function countryView(place: Pick<AddressFields, 'country' | 'countryName' | 'countryCode'>): { name: string | null; code: string | null } {
  if (place.countryName === null && place.countryCode === null && place.country !== null) {
    return { name: nameOf(place.country), code: numericOf(place.country) };
  }
  return { name: place.countryName, code: place.countryCode };
}

export function renderBillingCard(method: PaymentMethod, primary: boolean): WireBillingCard {
  const card = { card_id: method.vaultRef, card_number: maskOf(method) } as WireBillingCard;
  const cardType = cardTypeOf(method);
  if (cardType) card.card_type = cardType;
  if (method.kind === 'card') {
    put(card, 'exp_date', expDateOf(method.expMonth, method.expYear));
  } else {
    card.type_id = typeIdOf(method.accountType, method.holderType);
    put(card, 'tr_number', method.routingNumber);
  }
  putFields(card, BILLING_NAME_FIELDS, method.billing);
  if (method.billing.emails.length > 0) card.billing_email = [...method.billing.emails];
  putFields(card, BILLING_ADDRESS_FIELDS, method.billing, countryView(method.billing));
  card.primary = primary;
  if (method.verifiedAt !== null) card.verified_date = verifiedDateOf(method.verifiedAt);
  return card;
}

export function renderShippingAddress(address: Address, primary: boolean): WireShippingAddress {
  const out = { shipping_id: shippingIdOf(address) } as WireShippingAddress;
  putFields(out, SHIPPING_FIELDS, address, countryView(address));
  out.primary = primary;
  return out;
}

export function renderBillingCards(customer: CustomerAggregate): WireBillingCard[] {
  const primary = primaryOf(customer.paymentMethods, customer.defaultPaymentMethodSeq);
  return customer.paymentMethods.map((method) => renderBillingCard(method, method === primary));
}

export function renderShippingAddresses(customer: CustomerAggregate): WireShippingAddress[] {
  const primary = primaryOf(customer.addresses, customer.defaultShippingAddressSeq);
  return customer.addresses.map((address) => renderShippingAddress(address, address === primary));
}

/** `node_id` is the tenant's merchant id; ids beyond 2^53 stay digit strings (see envelope.ts). */
export function nodeIdOf(merchantId: string): number | string {
  const value = Number(merchantId);
  return Number.isSafeInteger(value) ? value : merchantId;
}

export function renderCustomer(customer: CustomerAggregate, merchantId: string): WireCustomer {
  const out = { customer_id: customer.vaultId, rec_id: customer.seq, node_id: nodeIdOf(merchantId) } as WireCustomer;
  putFields(out, CUSTOMER_FIELDS, customer);
  put(out, 'developer_id', customer.integratorId);
  const primary = primaryOf(customer.paymentMethods, customer.defaultPaymentMethodSeq);
  if (primary) out.primary_card_number = maskOf(primary);
  out.shipping_addresses = renderShippingAddresses(customer);
  out.billing_cards = renderBillingCards(customer);
  return out;
}

// ---------------------------------------------------------------------------------------------
// wire → canonical (patches: only the keys the client sent; `""` clears, i.e. becomes null)

const orNull = (value: string): string | null => (value === '' ? null : value);


export function customerPatchOf(text: Partial<Record<CustomerTextField, string>>): Partial<CustomerFields> {
  const patch: Partial<CustomerFields> = {};
  for (const [wire, canonical] of Object.entries(CUSTOMER_FIELDS) as Array<[CustomerTextField, (typeof CUSTOMER_FIELDS)[CustomerTextField]]>) {
    const value = text[wire];
    if (value !== undefined) patch[canonical] = orNull(value);
  }
  return patch;
}

/** Canonical alpha-2 from what a Maast client sent: the numeric code first, then the name. */
export function countryFrom(code: string | null, name: string | null): string | null {
  return (code !== null ? alpha2FromNumeric(code) : null) ?? (name !== null ? alpha2FromName(name) : null);
}

type CountryFields = Pick<AddressFields, 'country' | 'countryName' | 'countryCode'>;

/**
 * Adds the derived canonical `country` to a patch that touches the Maast country name or code,
 * using the stored value of the other one (`existing`) when the patch carries only one.
 */
function withCountry<T extends Partial<CountryFields>>(patch: T, existing: CountryFields | null): T {
  if (patch.countryName === undefined && patch.countryCode === undefined) return patch;
  const name = patch.countryName !== undefined ? patch.countryName : (existing?.countryName ?? null);
  const code = patch.countryCode !== undefined ? patch.countryCode : (existing?.countryCode ?? null);
  return { ...patch, country: countryFrom(code, name) };
}


export function addressPatchOf(text: Partial<Record<ShippingTextField, string>>, existing: Address | null): Partial<AddressFields> {
  const patch: Record<string, string | null> = {};
  for (const [wire, canonical] of Object.entries(SHIPPING_FIELDS) as Array<[ShippingTextField, keyof AddressFields]>) {
    const value = text[wire];
    if (value !== undefined) patch[canonical] = orNull(value);
  }
  return withCountry(patch as Partial<AddressFields>, existing);
}


export function billingPatchOf(
  text: Partial<Record<BillingTextField, string>>,
  emails: string[] | undefined,
  existing: BillingDetails | null,
): Partial<BillingDetails> {
  const patch: Record<string, unknown> = {};
  for (const [wire, canonical] of Object.entries(BILLING_FIELDS) as Array<[BillingTextField, keyof BillingDetails]>) {
    const value = text[wire];
    if (value !== undefined) patch[canonical] = orNull(value);
  }
  if (emails !== undefined) patch.emails = emails.filter((email) => email !== '');
  return withCountry(patch as Partial<BillingDetails>, existing);
}
