/**
 * The request bodies of the FluidPay dialect (contract §4.0.6–4.0.8, 4.1, 4.4, 4.17–4.19): each
 * reader walks the fields in the contract's table order and throws the first failure as the
 * dialect's F6 message. They return wire-level inputs; `translate.ts` turns those into canonical commands.
 *
 * Why hand-written readers rather than ajv schemas: the contract reports only the FIRST failing field,
 * in table order, depth first, with its own reason strings, and interleaves checks that need the
 * store (a tokenizer token is checked at its own position, §3.5). A table-ordered reader gives exactly
 * that; ajv's error list would have to be re-sorted and re-worded field by field.
 */
import { passesLuhn } from '../../core/cards';
import { alpha2FromAlpha2 } from '../../core/countries';
import { isPlainObject } from '../shared/body';
import { invalidField } from './errors';
import { FieldReader, type JsonObject } from './fields';

export const CUSTOMER_FLAGS = ['surcharge_exempt'] as const;
export const PAYMENT_METHOD_FLAGS = ['surcharge_exempt', 'applepay', 'closed_contact', 'contact', 'locked_security', 'locked_stop_recurring'] as const;

// ---------------------------------------------------------------- addresses (§4.0.6)

/** The twelve address fields of the wire format, in the contract's order. */
export const ADDRESS_FIELDS = ['first_name', 'last_name', 'company', 'line_1', 'line_2', 'city', 'state', 'postal_code', 'country', 'email', 'phone', 'fax'] as const;
export type AddressWireField = (typeof ADDRESS_FIELDS)[number];
/** Fields present in a request (`""` = present and empty, i.e. clear). */
export type AddressInput = Partial<Record<AddressWireField, string>>;

const ADDRESS_LIMITS: Record<Exclude<AddressWireField, 'country'>, number> = {
  first_name: 50,
  last_name: 50,
  company: 100,
  line_1: 100,
  line_2: 100,
  city: 50,
  state: 20,
  postal_code: 20,
  email: 100,
  phone: 20,
  fax: 20,
};

const ALIASES: Partial<Record<AddressWireField, string>> = { line_1: 'address_line_1', line_2: 'address_line_2' };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function readAddress(reader: FieldReader): AddressInput {
  const input: AddressInput = {};
  for (const field of ADDRESS_FIELDS) {
    // `address_line_1` / `address_line_2` (the provider's own tokenizer example, the Java SDK) stand in
    // for `line_1` / `line_2` when those are absent or empty.
    const alias = ALIASES[field];
    const useAlias = alias !== undefined && (reader.absent(field) || reader.object[field] === '') && !reader.absent(alias);
    const key = useAlias ? alias : field;
    if (field === 'country') {
      const value = reader.string(key);
      if (value === undefined) continue;
      if (value !== '' && alpha2FromAlpha2(value) === null) throw invalidField(reader.path(key), 'must be a 2-letter country code');
      input.country = value.toUpperCase();
      continue;
    }
    const value = reader.string(key, ADDRESS_LIMITS[field]);
    if (value === undefined) continue;
    if (field === 'email' && value !== '' && !EMAIL.test(value)) throw invalidField(reader.path(key), 'invalid email');
    input[field] = value;
  }
  return input;
}

export function isEmptyAddress(input: AddressInput): boolean {
  return ADDRESS_FIELDS.every((field) => (input[field] ?? '') === '');
}

// ---------------------------------------------------------------- cards (§4.0.7)

export interface CardInput {
  pan?: string;
  expMonth?: number;
  expYear?: number;
  cvcProvided: boolean;
  flags?: string[];
}

export interface PaymentChecks {
  /** `validate=true` / `authorize=true` (§4.0.9): an expired card is refused. */
  refuseExpired: boolean;
  now: number;
}

const EXPIRY = /^(0[1-9]|1[0-2])\/?([0-9]{2})$/;

export function parseExpiry(value: string): { expMonth: number; expYear: number } | null {
  const match = EXPIRY.exec(value);
  return match ? { expMonth: Number(match[1]), expYear: 2000 + Number(match[2]) } : null;
}

/** (year, month) before the current UTC month (§6.4). */
export function expiryHasPassed(expMonth: number, expYear: number, now: number): boolean {
  const today = new Date(now);
  return expYear * 12 + expMonth < today.getUTCFullYear() * 12 + today.getUTCMonth() + 1;
}

export function readCard(reader: FieldReader, mode: 'create' | 'update', checks: PaymentChecks): CardInput {
  const card: CardInput = { cvcProvided: false };
  const numberKey = reader.absent('number') && !reader.absent('card_number') ? 'card_number' : 'number';
  const number = reader.string(numberKey);
  if (number === undefined || number === '') {
    if (mode === 'create') throw invalidField(reader.path('number'), 'required');
  } else {
    if (!/^[0-9]{13,19}$/.test(number) || !passesLuhn(number)) throw invalidField(reader.path(numberKey), 'invalid card number');
    card.pan = number;
  }
  const expiration = reader.string('expiration_date');
  if (expiration === undefined || expiration === '') {
    if (mode === 'create') throw invalidField(reader.path('expiration_date'), 'required');
  } else {
    const expiry = parseExpiry(expiration);
    if (!expiry) throw invalidField(reader.path('expiration_date'), 'invalid expiration date');
    if (checks.refuseExpired && expiryHasPassed(expiry.expMonth, expiry.expYear, checks.now)) {
      throw invalidField(reader.path('expiration_date'), 'card is expired');
    }
    card.expMonth = expiry.expMonth;
    card.expYear = expiry.expYear;
  }
  const cvc = reader.string('cvc');
  if (cvc !== undefined && cvc !== '') {
    if (!/^[0-9]{3,4}$/.test(cvc)) throw invalidField(reader.path('cvc'), 'invalid cvc');
    card.cvcProvided = true; // the value itself goes nowhere
  }
  card.flags = reader.flags('flags', PAYMENT_METHOD_FLAGS);
  return card;
}

// ---------------------------------------------------------------- bank accounts (§4.0.8)

export interface AchInput {
  accountNumber?: string;
  routingNumber?: string;
  accountType?: 'checking' | 'savings';
  secCode?: 'web' | 'ccd' | 'ppd';
  flags?: string[];
}

export function readAch(reader: FieldReader, mode: 'create' | 'update'): AchInput {
  const ach: AchInput = {};
  const present = (key: string): string | undefined => {
    const value = reader.string(key);
    if (value === undefined || value === '') {
      if (mode === 'create') throw invalidField(reader.path(key), 'required');
      return undefined;
    }
    return value;
  };
  const accountNumber = present('account_number');
  if (accountNumber !== undefined) {
    if (!/^[0-9]{4,17}$/.test(accountNumber)) throw invalidField(reader.path('account_number'), 'invalid account number');
    ach.accountNumber = accountNumber;
  }
  const routingNumber = present('routing_number');
  if (routingNumber !== undefined) {
    if (!/^[0-9]{9}$/.test(routingNumber)) throw invalidField(reader.path('routing_number'), 'invalid routing number');
    ach.routingNumber = routingNumber;
  }
  const accountType = present('account_type');
  if (accountType !== undefined) {
    const lower = accountType.toLowerCase();
    if (lower !== 'checking' && lower !== 'savings') throw invalidField(reader.path('account_type'), 'must be checking or savings');
    ach.accountType = lower;
  }
  const secCode = present('sec_code');
  if (secCode !== undefined) {
    const lower = secCode.toLowerCase();
    if (lower !== 'web' && lower !== 'ccd' && lower !== 'ppd') throw invalidField(reader.path('sec_code'), 'must be web, ccd or ppd');
    ach.secCode = lower;
  }
  ach.flags = reader.flags('flags', PAYMENT_METHOD_FLAGS);
  return ach;
}

// ---------------------------------------------------------------- wallets (§4.17, §4.18)

/** Apple Pay data (route 17 body or `default_payment.apple_pay`); only validated until decryption exists. */
export function readApplePay(reader: FieldReader): void {
  const keyId = reader.string('key_id');
  if (keyId === undefined || keyId === '') throw invalidField(reader.path('key_id'), 'required');
  reader.string('processor_id');
  const temporary = reader.string('temporary_token');
  const pkPaymentToken = reader.object_('pkpaymenttoken');
  const hasTemporary = temporary !== undefined && temporary !== '';
  if (!hasTemporary && pkPaymentToken === undefined) {
    throw invalidField(reader.path('temporary_token'), 'temporary_token or pkpaymenttoken is required');
  }
  if (hasTemporary && pkPaymentToken !== undefined) throw invalidField(reader.path('pkpaymenttoken'), 'cannot be combined with temporary_token');
}

/** A Google Pay token value: an object or a JSON string, not empty. */
export function checkGooglePayToken(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (value.trim() === '') throw invalidField(path, 'must not be empty');
    return;
  }
  if (!isPlainObject(value)) throw invalidField(path, 'must be an object or a string');
  if (Object.keys(value).length === 0) throw invalidField(path, 'must not be empty');
}

/** Route 18: the token is the whole body, or under `google_pay_token`. */
export function readGooglePayBody(body: JsonObject): void {
  const wrapped = body.google_pay_token;
  checkGooglePayToken(wrapped === undefined || wrapped === null ? body : wrapped, 'google_pay_token');
}

// ---------------------------------------------------------------- customer create (§4.1)

export type PaymentInput =
  | { kind: 'card'; card: CardInput & { pan: string; expMonth: number; expYear: number } }
  | { kind: 'ach'; ach: Required<Omit<AchInput, 'flags'>> & { flags?: string[] } }
  | { kind: 'token'; token: string; path: string }
  | { kind: 'wallet' };

export interface CreateCustomerInput {
  customId?: string;
  idFormat: boolean;
  description?: string;
  notes?: string;
  flags?: string[];
  payment?: PaymentInput;
  billing?: AddressInput;
  shipping?: AddressInput;
}

const CUSTOM_ID = /^[A-Za-z0-9]{1,40}$/;
const PAYMENT_KINDS = ['card', 'ach', 'token', 'apple_pay', 'google_pay_token'] as const;

/**
 * Route 1. `onToken` is called when the token field is reached, so that an unusable token (F9) is
 * reported at its position, before any later field's failure.
 */
export async function readCreateCustomer(body: JsonObject, checks: PaymentChecks, onToken: (token: string) => Promise<void>): Promise<CreateCustomerInput> {
  const reader = new FieldReader(body);
  const input: CreateCustomerInput = { idFormat: false };

  const id = reader.string('id');
  if (id !== undefined && id !== '') {
    if (!CUSTOM_ID.test(id)) throw invalidField('id', 'must be 1-40 characters of a-z, A-Z, 0-9');
    if (id === 'search') throw invalidField('id', 'reserved value');
    input.customId = id;
  }
  const idFormat = reader.string('id_format');
  if (idFormat !== undefined && idFormat !== '') {
    if (idFormat !== 'xid_type_last4') throw invalidField('id_format', 'must be xid_type_last4');
    if (input.customId !== undefined) throw invalidField('id_format', 'cannot be used with a custom id');
    input.idFormat = true;
  }
  input.description = reader.string('description', 255);
  input.notes = reader.string('notes', 255);
  input.flags = reader.flags('flags', CUSTOMER_FLAGS);

  const payment = reader.object_('default_payment');
  if (payment) {
    // `""` for the string-valued kinds is how some SDKs spell "not set"; it counts as absent.
    const given = PAYMENT_KINDS.filter((kind) => !payment.absent(kind) && payment.object[kind] !== '');
    if (given.length > 1) throw invalidField('default_payment', 'only one payment method may be provided');
    const kind = given[0];
    if (kind === 'card') {
      const card = readCard(payment.object_('card')!, 'create', checks);
      input.payment = { kind: 'card', card: card as CardInput & { pan: string; expMonth: number; expYear: number } };
    } else if (kind === 'ach') {
      const ach = readAch(payment.object_('ach')!, 'create');
      input.payment = { kind: 'ach', ach: ach as Required<Omit<AchInput, 'flags'>> & { flags?: string[] } };
    } else if (kind === 'token') {
      const token = payment.string('token')!;
      await onToken(token);
      input.payment = { kind: 'token', token, path: payment.path('token') };
    } else if (kind === 'apple_pay') {
      readApplePay(payment.object_('apple_pay')!);
      input.payment = { kind: 'wallet' };
    } else if (kind === 'google_pay_token') {
      checkGooglePayToken(payment.object.google_pay_token, payment.path('google_pay_token'));
      input.payment = { kind: 'wallet' };
    }
  }

  for (const [key, target] of [
    ['default_billing_address', 'billing'],
    ['default_shipping_address', 'shipping'],
  ] as const) {
    const address = reader.object_(key);
    if (!address) continue;
    const parsed = readAddress(address);
    if (!isEmptyAddress(parsed)) input[target] = parsed; // an all-empty address is ignored (§4.1)
  }
  return input;
}

// ---------------------------------------------------------------- customer update (§4.4)

export interface UpdateCustomerInput {
  description?: string;
  notes?: string;
  flags?: string[];
  /** Resolved defaults: a seq, `null` to clear, absent to keep. */
  defaultBillingAddressSeq?: number | null;
  defaultShippingAddressSeq?: number | null;
  defaultPaymentMethodSeq?: number | null;
}

/** Looks ids up among the customer's own live objects (already loaded), so a check sits at its field's position. */
export interface DefaultsLookup {
  address(id: string): number | null;
  paymentMethod(id: string, kind: 'card' | 'ach'): number | null;
}

export function readUpdateCustomer(body: JsonObject, lookup: DefaultsLookup): UpdateCustomerInput {
  const reader = new FieldReader(body);
  const input: UpdateCustomerInput = {
    description: reader.string('description', 255),
    notes: reader.string('notes', 255),
    flags: reader.flags('flags', CUSTOMER_FLAGS),
  };
  const defaults = reader.object_('defaults');
  if (!defaults) return input;
  for (const [key, target] of [
    ['billing_address_id', 'defaultBillingAddressSeq'],
    ['shipping_address_id', 'defaultShippingAddressSeq'],
  ] as const) {
    const id = defaults.string(key);
    if (id === undefined) continue;
    if (id === '') {
      input[target] = null;
      continue;
    }
    const seq = lookup.address(id);
    if (seq === null) throw invalidField(defaults.path(key), 'address not found');
    input[target] = seq;
  }
  const methodId = defaults.string('payment_method_id');
  if (methodId === undefined && !defaults.absent('payment_method_type')) throw invalidField('defaults.payment_method_id', 'required with payment_method_type');
  const type = defaults.string('payment_method_type');
  if (type !== undefined && type !== '' && type !== 'card' && type !== 'ach') throw invalidField('defaults.payment_method_type', 'must be card or ach');
  if (methodId === undefined) return input;
  if (type === undefined) throw invalidField('defaults.payment_method_type', 'required with payment_method_id');
  if (methodId === '') {
    input.defaultPaymentMethodSeq = null; // both "" clear; an empty id with a type also clears
    return input;
  }
  if (type === '') throw invalidField('defaults.payment_method_type', 'must be card or ach');
  const seq = lookup.paymentMethod(methodId, type as 'card' | 'ach');
  if (seq === null) throw invalidField('defaults.payment_method_id', 'payment method not found');
  input.defaultPaymentMethodSeq = seq;
  return input;
}

// ---------------------------------------------------------------- tokens (§4.15, §4.16, §4.19)

/** Routes 15 and 16: `{"token": "..."}`. */
export function readTokenBody(body: JsonObject): string {
  const token = new FieldReader(body).string('token');
  if (token === undefined || token === '') throw invalidField('token', 'required');
  return token;
}

export type TokenizeInput = { kind: 'card'; card: CardInput & { pan: string; expMonth: number; expYear: number } } | { kind: 'ach'; ach: Required<Omit<AchInput, 'flags'>> };

/** Route 19. Expiry in the past is accepted here; the vault request's `validate` decides (§4.19). */
export function readTokenize(body: JsonObject, now: number): TokenizeInput {
  const reader = new FieldReader(body);
  const hasCard = !reader.absent('card');
  const hasAch = !reader.absent('ach');
  if (hasCard && hasAch) throw invalidField('card', 'only one payment method may be provided');
  if (!hasCard && !hasAch) throw invalidField('card', 'required');
  if (hasCard) {
    const card = readCard(reader.object_('card')!, 'create', { refuseExpired: false, now });
    return { kind: 'card', card: card as CardInput & { pan: string; expMonth: number; expYear: number } };
  }
  const ach = readAch(reader.object_('ach')!, 'create');
  return { kind: 'ach', ach: ach as Required<Omit<AchInput, 'flags'>> };
}
