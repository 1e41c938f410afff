/**
 * Request validation (contract §7): ajv checks types, formats, enums and lengths from schemas.ts;
 * the rules a schema cannot say are here. Every failing field is reported at once, each with the
 * message of its first failing rule in the order required → type → format/enum → length → cross
 * checks (§7.5). Nothing here touches the store: the caller adds the checks that need it
 * (`customer_id` exists) and writes only when the map is empty.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { createAjv } from '../shared/ajv';
import { alpha2FromAlpha3 } from '../../core/countries';
import { cardBrand, isExpired, passesAbaChecksum, passesLuhn } from '../../core/cards';
import type { CardBrand } from '../../core/model';
import { BANK_ONLY_FIELDS, CARD_ONLY_FIELDS, customerSchema, paymentMethodCreateSchema, paymentMethodUpdateSchema, type EnumRule, type PatternRule } from './schemas';
import { checkOptions, parseBooleanLike } from './options';
import { CUSTOMER_ADDRESS_FIELDS, type StaxAddressField } from './wire';

/** Stax's 422 body: field → one message (§3.3). */
export type FieldErrors = Record<string, [string]>;

export const RANK = { required: 0, type: 1, format: 2, length: 3, cross: 4 } as const;

export const MESSAGES = {
  atLeastOneName: 'At least one of firstname, lastname, email or company is required.',
  country: 'The address country must be a 3-letter ISO 3166-1 alpha-3 code.',
  customerIdRequired: 'The customer id field is required.',
  customerIdInvalid: 'The selected customer id is invalid.',
  methodRequired: 'The method field is required.',
  invalidCardNumber: 'Invalid Card Number',
  invalidCardType: 'Card type is invalid',
  cardExpFormat: 'The card exp format is invalid.',
  cardExpired: 'The card is expired.',
  bankRouting: 'The bank routing is invalid.',
} as const;

/** How a field is named inside a message: top-level keys with spaces, nested paths verbatim (§7.6). */
export function fieldLabel(path: string): string {
  return path.includes('.') ? path : path.replace(/_/g, ' ');
}

/** Keeps, per field, the message of the first rule it failed (lowest rank; first reported on ties). */
export class FieldErrorCollector {
  private readonly entries = new Map<string, { rank: number; message: string }>();

  add(path: string, rank: number, message: string): void {
    const current = this.entries.get(path);
    if (!current || rank < current.rank) this.entries.set(path, { rank, message });
  }

  get empty(): boolean {
    return this.entries.size === 0;
  }

  toJSON(): FieldErrors {
    const out: FieldErrors = {};
    for (const [path, { message }] of this.entries) out[path] = [message];
    return out;
  }
}

function pathOf(error: ErrorObject): string {
  return error.instancePath
    .split('/')
    .filter((part) => part !== '')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

const PATTERN_MESSAGES: Record<PatternRule, (label: string) => string> = {
  email: (label) => `The ${label} must be a valid email address.`,
  phone: (label) => `The ${label} format is invalid.`,
  country: () => MESSAGES.country,
  cvv: (label) => `The ${label} format is invalid.`,
  bank_account: (label) => `The ${label} format is invalid.`,
};

const ENUM_MESSAGES: Record<EnumRule, (label: string) => string> = {
  boolean: (label) => `The ${label} field must be true or false.`,
  selection: (label) => `The selected ${label} is invalid.`,
};

/** ajv's errors in Stax's words (§7.6). */
function collectSchemaErrors(errors: ErrorObject[] | null | undefined, into: FieldErrorCollector): void {
  for (const error of errors ?? []) {
    const path = pathOf(error);
    if (path === '') continue; // the body itself is an object: checked before validation
    const label = fieldLabel(path);
    const schema = (error.parentSchema ?? {}) as Record<string, unknown>;
    switch (error.keyword) {
      case 'type': {
        const types = ([] as unknown[]).concat(schema.type);
        into.add(path, RANK.type, types.includes('array') ? `The ${label} must be an array.` : `The ${label} must be a string.`);
        break;
      }
      case 'pattern':
        into.add(path, RANK.format, PATTERN_MESSAGES[(schema['x-format'] as PatternRule | undefined) ?? 'phone'](label));
        break;
      case 'enum':
        into.add(path, RANK.format, ENUM_MESSAGES[(schema['x-enum'] as EnumRule | undefined) ?? 'selection'](label));
        break;
      case 'maxLength':
        into.add(path, RANK.length, `The ${label} may not be greater than ${(error.params as { limit: number }).limit} characters.`);
        break;
      case 'maxItems':
        into.add(path, RANK.length, `The ${label} may not have more than ${(error.params as { limit: number }).limit} items.`);
        break;
      default:
        into.add(path, RANK.format, `The ${label} is invalid.`);
    }
  }
}

/** §4: strings are trimmed before validation and storage (top level, and the `cc_*` entries). */
export function trimBody(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') out[key] = value.trim();
    else if ((key === 'cc_emails' || key === 'cc_sms') && Array.isArray(value)) {
      out[key] = value.map((entry: unknown) => (typeof entry === 'string' ? entry.trim() : entry));
    } else out[key] = value;
  }
  return out;
}

const present = (body: Record<string, unknown>, key: string): boolean => body[key] !== undefined;
const blank = (value: unknown): boolean => value === undefined || value === null || value === '';
/** `null` and `""` both mean "none" for customer strings (§4.2). */
const textOrEmpty = (value: unknown): string => (typeof value === 'string' ? value : '');

// ---------------------------------------------------------------------------------------------
// customers

/** Customer fields of a valid S1/S4 body, normalised; a key is present only when it was sent. */
export interface CustomerBody {
  firstname?: string;
  lastname?: string;
  company?: string;
  email?: string;
  phone?: string;
  reference?: string;
  notes?: string | null;
  cc_emails?: string[] | null;
  cc_sms?: string[] | null;
  /** `address_country` is upper-case alpha-3 or `""`. */
  address?: Partial<Record<StaxAddressField, string>>;
  options?: Record<string, unknown> | null;
  allow_invoice_credit_card_payments?: boolean;
}

/** The four name fields as the record would stand after the write (S4 checks the result, §4.5). */
export interface NameFields {
  firstname: string;
  lastname: string;
  email: string;
  company: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

export interface StaxValidators {
  customer(body: Record<string, unknown>, current: NameFields | null): Validated<CustomerBody>;
  paymentMethodCreate(body: Record<string, unknown>, now: number): PaymentMethodCreateCheck;
  paymentMethodUpdate(body: Record<string, unknown>, kind: 'card' | 'bank', now: number): Validated<PaymentMethodUpdateBody>;
}

function checkCountry(body: Record<string, unknown>, errors: FieldErrorCollector): void {
  const value = body.address_country;
  if (typeof value === 'string' && value !== '' && /^[A-Za-z]{3}$/.test(value) && alpha2FromAlpha3(value) === null) {
    errors.add('address_country', RANK.format, MESSAGES.country);
  }
}

function validateCustomer(check: ValidateFunction, raw: Record<string, unknown>, current: NameFields | null): Validated<CustomerBody> {
  const body = trimBody(raw);
  const errors = new FieldErrorCollector();
  check(body);
  collectSchemaErrors(check.errors, errors);
  checkCountry(body, errors);

  let options: Record<string, unknown> | null | undefined;
  if (present(body, 'options')) {
    const outcome = checkOptions(body.options);
    if (outcome.ok) options = outcome.options;
    else for (const issue of outcome.issues) errors.add(issue.path, issue.rank, issue.message);
  }

  // The at-least-one rule on the record as it would be (for S1 the "current" record is empty).
  const base: NameFields = current ?? { firstname: '', lastname: '', email: '', company: '' };
  const resulting = (key: keyof NameFields): string => (present(body, key) ? textOrEmpty(body[key]) : base[key]);
  if (['firstname', 'lastname', 'email', 'company'].every((key) => resulting(key as keyof NameFields) === '')) {
    errors.add('firstname', RANK.required, MESSAGES.atLeastOneName);
  }
  if (!errors.empty) return { ok: false, errors: errors.toJSON() };

  const out: CustomerBody = {};
  for (const key of ['firstname', 'lastname', 'company', 'email', 'phone', 'reference'] as const) {
    if (present(body, key)) out[key] = textOrEmpty(body[key]);
  }
  if (present(body, 'notes')) out.notes = blank(body.notes) ? null : (body.notes as string);
  if (present(body, 'cc_emails')) out.cc_emails = body.cc_emails as string[] | null;
  if (present(body, 'cc_sms')) out.cc_sms = body.cc_sms as string[] | null;
  for (const key of CUSTOMER_ADDRESS_FIELDS) {
    if (!present(body, key)) continue;
    const value = textOrEmpty(body[key]);
    out.address = { ...out.address, [key]: key === 'address_country' ? value.toUpperCase() : value };
  }
  if (options !== undefined) out.options = options;
  if (present(body, 'allow_invoice_credit_card_payments')) {
    out.allow_invoice_credit_card_payments = parseBooleanLike(body.allow_invoice_credit_card_payments) ?? true;
  }
  return { ok: true, value: out };
}

// ---------------------------------------------------------------------------------------------
// payment methods

/** Billing-address fields of a payment method (`null` clears, §4.12); country upper-case alpha-3. */
export type PaymentAddressBody = Partial<Record<StaxAddressField, string | null>>;

export interface CardInput {
  pan: string;
  brand: CardBrand;
  expMonth: number;
  expYear: number;
  cvcProvided: boolean;
}

export interface BankInput {
  accountNumber: string;
  routingNumber: string;
  bankName: string | null;
  accountType: 'checking' | 'savings';
  holderType: 'personal' | 'business';
}

export interface PaymentMethodCreateBody {
  customerId: string;
  personName?: string;
  card?: CardInput;
  bank?: BankInput;
  nickname?: string;
  isDefault?: boolean;
  address: PaymentAddressBody;
}

/**
 * S8's check: the field errors found without the store, and (when `customer_id` is a string) the id
 * the caller must still look up. The caller adds `customer_id` errors and decides.
 */
export type PaymentMethodCreateCheck =
  | { ok: true; value: PaymentMethodCreateBody }
  | { ok: false; errors: FieldErrorCollector; customerId: string | null };

export interface PaymentMethodUpdateBody {
  /** `null`: regenerate the nickname. */
  nickname?: string | null;
  isDefault?: boolean;
  personName?: string;
  exp?: { month: number; year: number };
  bankName?: string | null;
  accountType?: 'checking' | 'savings';
  holderType?: 'personal' | 'business';
  address: PaymentAddressBody;
}

/** `MMYY`, `MMYYYY`, `MM/YY` or `MM/YYYY`, month 01–12; a two-digit year is 20YY (§6.2). */
export function parseCardExp(value: string): { month: number; year: number } | null {
  const match = /^([0-9]{2})\/?([0-9]{2}|[0-9]{4})$/.exec(value);
  if (!match) return null;
  const month = Number(match[1]);
  if (month < 1 || month > 12) return null;
  const year = match[2].length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
  return { month, year };
}

function checkCardExp(value: unknown, now: number, errors: FieldErrorCollector): { month: number; year: number } | null {
  if (typeof value !== 'string') return null; // type errors come from the schema
  const exp = parseCardExp(value);
  if (!exp) {
    errors.add('card_exp', RANK.format, MESSAGES.cardExpFormat);
    return null;
  }
  if (isExpired(exp.month, exp.year, now)) {
    errors.add('card_exp', RANK.cross, MESSAGES.cardExpired);
    return null;
  }
  return exp;
}

function paymentAddress(body: Record<string, unknown>): PaymentAddressBody {
  const address: PaymentAddressBody = {};
  for (const key of CUSTOMER_ADDRESS_FIELDS) {
    if (!present(body, key)) continue;
    const value = body[key];
    address[key] = blank(value) ? null : key === 'address_country' ? (value as string).toUpperCase() : (value as string);
  }
  return address;
}

function validatePaymentMethodCreate(check: ValidateFunction, raw: Record<string, unknown>, now: number): PaymentMethodCreateCheck {
  const body = trimBody(raw);
  const method = body.method;
  // Card fields sent for a bank are ignored, and the reverse (§4.10); `card_type` is always derived.
  if (method === 'bank') for (const key of CARD_ONLY_FIELDS) delete body[key];
  else if (method === 'card') for (const key of BANK_ONLY_FIELDS) delete body[key];
  else for (const key of [...CARD_ONLY_FIELDS, ...BANK_ONLY_FIELDS]) delete body[key];

  const errors = new FieldErrorCollector();
  check(body);
  collectSchemaErrors(check.errors, errors);
  checkCountry(body, errors);

  if (blank(method)) errors.add('method', RANK.required, MESSAGES.methodRequired);
  if (blank(body.customer_id)) errors.add('customer_id', RANK.required, MESSAGES.customerIdRequired);

  let card: CardInput | undefined;
  let bank: BankInput | undefined;
  if (method === 'card') {
    for (const key of ['card_number', 'card_exp'] as const) {
      if (blank(body[key])) errors.add(key, RANK.required, `The ${fieldLabel(key)} field is required when method is card.`);
    }
    let pan: string | null = null;
    let brand: CardBrand = 'unknown';
    if (typeof body.card_number === 'string' && body.card_number !== '') {
      const digits = body.card_number.replace(/[ -]/g, '');
      if (!/^[0-9]{13,19}$/.test(digits) || !passesLuhn(digits)) errors.add('card_number', RANK.format, MESSAGES.invalidCardNumber);
      else {
        brand = cardBrand(digits);
        if (brand === 'unknown') errors.add('card_number', RANK.cross, MESSAGES.invalidCardType);
        else pan = digits;
      }
    }
    const exp = blank(body.card_exp) ? null : checkCardExp(body.card_exp, now, errors);
    if (pan !== null && exp !== null) card = { pan, brand, expMonth: exp.month, expYear: exp.year, cvcProvided: !blank(body.card_cvv) };
  } else if (method === 'bank') {
    for (const key of ['bank_account', 'bank_routing', 'bank_type', 'bank_holder_type'] as const) {
      if (blank(body[key])) errors.add(key, RANK.required, `The ${fieldLabel(key)} field is required when method is bank.`);
    }
    if (typeof body.bank_routing === 'string' && body.bank_routing !== '' && !passesAbaChecksum(body.bank_routing)) {
      errors.add('bank_routing', RANK.format, MESSAGES.bankRouting);
    }
    bank = {
      accountNumber: body.bank_account as string,
      routingNumber: body.bank_routing as string,
      bankName: blank(body.bank_name) ? null : (body.bank_name as string),
      accountType: body.bank_type as BankInput['accountType'],
      holderType: body.bank_holder_type as BankInput['holderType'],
    };
  }

  if (!errors.empty) return { ok: false, errors, customerId: typeof body.customer_id === 'string' && body.customer_id !== '' ? body.customer_id : null };
  const value: PaymentMethodCreateBody = { customerId: body.customer_id as string, address: paymentAddress(body) };
  if (card) value.card = card;
  if (bank) value.bank = bank;
  if (present(body, 'person_name')) value.personName = textOrEmpty(body.person_name);
  if (!blank(body.nickname)) value.nickname = body.nickname as string;
  if (present(body, 'is_default')) value.isDefault = parseBooleanLike(body.is_default) ?? false;
  return { ok: true, value };
}

const UPDATABLE_FIELDS = ['nickname', 'is_default', 'person_name', ...CUSTOMER_ADDRESS_FIELDS] as const;

function validatePaymentMethodUpdate(check: ValidateFunction, raw: Record<string, unknown>, kind: 'card' | 'bank', now: number): Validated<PaymentMethodUpdateBody> {
  // Only the fields of §4.12 can change; everything else is ignored, not rejected.
  const allowed: string[] = [...UPDATABLE_FIELDS, ...(kind === 'card' ? ['card_exp'] : ['bank_name', 'bank_type', 'bank_holder_type'])];
  const trimmed = trimBody(raw);
  const body: Record<string, unknown> = {};
  for (const key of allowed) if (present(trimmed, key)) body[key] = trimmed[key];

  const errors = new FieldErrorCollector();
  check(body);
  collectSchemaErrors(check.errors, errors);
  checkCountry(body, errors);
  let exp: { month: number; year: number } | null = null;
  if (present(body, 'card_exp')) {
    if (blank(body.card_exp)) errors.add('card_exp', RANK.format, MESSAGES.cardExpFormat);
    else exp = checkCardExp(body.card_exp, now, errors);
  }
  if (!errors.empty) return { ok: false, errors: errors.toJSON() };

  const value: PaymentMethodUpdateBody = { address: paymentAddress(body) };
  if (present(body, 'nickname')) value.nickname = blank(body.nickname) ? null : (body.nickname as string);
  if (present(body, 'is_default')) value.isDefault = parseBooleanLike(body.is_default) ?? false;
  if (present(body, 'person_name')) value.personName = textOrEmpty(body.person_name);
  if (exp) value.exp = exp;
  if (present(body, 'bank_name')) value.bankName = blank(body.bank_name) ? null : (body.bank_name as string);
  if (present(body, 'bank_type')) value.accountType = body.bank_type as 'checking' | 'savings';
  if (present(body, 'bank_holder_type')) value.holderType = body.bank_holder_type as 'personal' | 'business';
  return { ok: true, value };
}

/** Compiles the schemas once (at router build time) and returns the validators. */
export function createValidators(): StaxValidators {
  const ajv = createAjv();
  const customer = ajv.compile(customerSchema);
  const paymentMethodCreate = ajv.compile(paymentMethodCreateSchema);
  const paymentMethodUpdate = ajv.compile(paymentMethodUpdateSchema);
  return {
    customer: (body, current) => validateCustomer(customer, body, current),
    paymentMethodCreate: (body, now) => validatePaymentMethodCreate(paymentMethodCreate, body, now),
    paymentMethodUpdate: (body, kind, now) => validatePaymentMethodUpdate(paymentMethodUpdate, body, kind, now),
  };
}
