/**
 * The field rules of contract §7 that span more than one value (name rule, card vs ACH, Luhn,
 * brand, required-when), on top of the schema checks. Everything here is pure: each function reads
 * an already coerced body, adds one message per failing path to `issues`, and returns the typed
 * input the handlers write (only used when `issues` stays empty).
 */
import { cardBrand, passesLuhn } from '../../core/cards';
import type { PaymentMethod } from '../../core/model';
import { Issues, Message } from './errors';
import type { RequestSchemaName } from './schemas';
import type { SchemaChecker } from './schemaCheck';
import { cardTypeOfBrand } from './translate';
import {
  BILLING_TEXT_FIELDS,
  CUSTOMER_TEXT_FIELDS,
  SHIPPING_TEXT_FIELDS,
  type BillingTextField,
  type CustomerTextField,
  type MaastTypeId,
  type ShippingTextField,
} from './wire';

export type Body = Record<string, unknown>;

/** What the validators need besides the body. */
export interface RuleContext {
  schemas: SchemaChecker;
  /** The sandbox decline list of `verify: true` (contract §8.6). */
  declinesVerification(pan: string): boolean;
}

/** `billing_cards[0]` + `exp_date` → `billing_cards[0].exp_date`; top-level bodies use the plain name. */
export const at = (prefix: string, field: string): string => (prefix === '' ? field : `${prefix}.${field}`);

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isAbsentOrEmpty = (value: unknown): boolean => value === undefined || value === '';

export const Rule = {
  nameRule: 'Either customer_first_name and customer_last_name, or customer_firm_name, is required',
  idOrAuto: 'customer_id or auto_generate_customer_id is required',
  noPaymentData: 'card_number, card_id, or tr_number and dda_number is required',
  invalidCard: 'Invalid card number',
  unsupportedCard: 'Card type is not supported',
  expDateRequired: 'exp_date is required when card_number is present',
  ddaFormat: 'dda_number must be 5 to 17 digits',
  achName: (field: string) => `${field} is required for ACH accounts`,
  cardMismatch: 'card_number does not match card_id',
  achMismatch: (field: string) => `${field} does not match card_id`,
  declined: 'card verification declined',
  shippingIdTwice: 'shipping_id is listed more than once',
} as const;

/** Text values of the listed fields that are strings (type failures are already reported). */
function textOf<F extends string>(body: Body, fields: readonly F[]): Partial<Record<F, string>> {
  const out: Partial<Record<F, string>> = {};
  for (const field of fields) {
    const value = body[field];
    if (typeof value === 'string') out[field] = value;
  }
  return out;
}

function emailsOf(body: Body): string[] | undefined {
  const value = body.billing_email;
  return Array.isArray(value) ? value.filter((email): email is string => typeof email === 'string') : undefined;
}

const flag = (value: unknown): boolean => value === true;

// ---------------------------------------------------------------------------------------------
// billing entries

export type EntryKind = 'card' | 'ach' | 'reference' | 'none';

/** Contract §4.0.6: card number first, then ACH data, then a bare `card_id`. */
export function classifyEntry(entry: Body): EntryKind {
  if (entry.card_number !== undefined && entry.card_number !== '') return 'card';
  if (!isAbsentOrEmpty(entry.tr_number) || !isAbsentOrEmpty(entry.dda_number)) return 'ach';
  if (!isAbsentOrEmpty(entry.card_id)) return 'reference';
  return 'none';
}

/** Drops the fields the classification says are ignored (a card's ACH fields, an account's expiry and CVV). */
export function withoutIgnored(entry: Body, kind: EntryKind): Body {
  const copy = { ...entry };
  if (kind === 'card') {
    delete copy.type_id;
    delete copy.tr_number;
    delete copy.dda_number;
  } else if (kind === 'ach') {
    delete copy.exp_date;
    delete copy.cvv2;
  }
  return copy;
}

interface EntryCommon {
  /** Path prefix of the entry in the request (`billing_cards[1]`, or `''` on the billing routes). */
  path: string;
  text: Partial<Record<BillingTextField, string>>;
  emails: string[] | undefined;
  verify: boolean;
  primary: boolean;
}

export interface NewCardEntry extends EntryCommon {
  kind: 'card';
  pan: string;
  expDate: string;
  cvvGiven: boolean;
  /** A client-chosen `card_id` to keep when unused in the tenant (§4.0.6). */
  cardId: string | null;
}

export interface NewAchEntry extends EntryCommon {
  kind: 'ach';
  routing: string;
  account: string;
  typeId: MaastTypeId;
  cardId: string | null;
}

export type NewBillingEntry = NewCardEntry | NewAchEntry;

/** Validates a billing entry that creates a payment method (add contexts, new update-array elements). */
export function checkNewEntry(entry: Body, path: string, kind: 'card' | 'ach', rules: RuleContext, issues: Issues): NewBillingEntry {
  const body = withoutIgnored(entry, kind);
  rules.schemas.check('billingEntry', body, issues, path);
  const common: EntryCommon = {
    path,
    text: textOf(body, BILLING_TEXT_FIELDS),
    emails: emailsOf(body),
    verify: flag(body.verify),
    primary: flag(body.primary),
  };
  const cardId = nonEmpty(body.card_id) ? body.card_id : null;
  if (kind === 'card') {
    const pan = body.card_number;
    if (typeof pan === 'string') {
      if (!/^[0-9]{13,16}$/.test(pan) || !passesLuhn(pan)) issues.add(at(path, 'card_number'), Rule.invalidCard);
      else if (!cardTypeOfBrand(cardBrand(pan))) issues.add(at(path, 'card_number'), Rule.unsupportedCard);
      else if (common.verify && rules.declinesVerification(pan)) issues.add(at(path, 'card_number'), Rule.declined);
    }
    if (isAbsentOrEmpty(body.exp_date)) issues.add(at(path, 'exp_date'), Rule.expDateRequired);
    if (isAbsentOrEmpty(body.billing_zip)) issues.add(at(path, 'billing_zip'), Message.required('billing_zip'));
    return {
      ...common,
      kind: 'card',
      pan: typeof pan === 'string' ? pan : '',
      expDate: typeof body.exp_date === 'string' ? body.exp_date : '',
      cvvGiven: nonEmpty(body.cvv2),
      cardId,
    };
  }
  if (isAbsentOrEmpty(body.tr_number)) issues.add(at(path, 'tr_number'), Message.required('tr_number'));
  const account = body.dda_number;
  if (isAbsentOrEmpty(account)) issues.add(at(path, 'dda_number'), Message.required('dda_number'));
  else if (typeof account !== 'string') issues.add(at(path, 'dda_number'), 'dda_number must be a string');
  else if (!/^[0-9]{5,17}$/.test(account)) issues.add(at(path, 'dda_number'), Rule.ddaFormat);
  for (const name of ['billing_first_name', 'billing_last_name'] as const) {
    if (isAbsentOrEmpty(body[name])) issues.add(at(path, name), Rule.achName(name));
  }
  return {
    ...common,
    kind: 'ach',
    routing: typeof body.tr_number === 'string' ? body.tr_number : '',
    account: typeof account === 'string' ? account : '',
    typeId: nonEmpty(body.type_id) ? (body.type_id as MaastTypeId) : 'C',
    cardId,
  };
}

/** Changes to an existing payment method (PUT …/billing, referenced update-array elements). */
export interface BillingMerge {
  path: string;
  text: Partial<Record<BillingTextField, string>>;
  emails: string[] | undefined;
  expDate: string | undefined;
  verify: boolean;
  primary: boolean;
}

/** Merge semantics: present fields replace, `""` clears, except a card's zip and an account's names (§4.4, §4.8). */
export function checkMerge(entry: Body, path: string, existing: PaymentMethod, schema: RequestSchemaName, rules: RuleContext, issues: Issues): BillingMerge {
  // Payment data never changes on an existing entry; the referencing checks are done by the caller.
  const body = { ...entry };
  delete body.card_number;
  delete body.tr_number;
  delete body.dda_number;
  delete body.type_id;
  if (existing.kind === 'ach') {
    delete body.exp_date;
    delete body.cvv2;
  }
  rules.schemas.check(schema, body, issues, path);
  if (existing.kind === 'card' && body.billing_zip === '') issues.add(at(path, 'billing_zip'), Message.required('billing_zip'));
  if (existing.kind === 'ach') {
    for (const name of ['billing_first_name', 'billing_last_name'] as const) {
      if (body[name] === '') issues.add(at(path, name), Rule.achName(name));
    }
  }
  return {
    path,
    text: textOf(body, BILLING_TEXT_FIELDS),
    emails: emailsOf(body),
    expDate: nonEmpty(body.exp_date) ? body.exp_date : undefined,
    verify: flag(body.verify),
    primary: flag(body.primary),
  };
}

// ---------------------------------------------------------------------------------------------
// shipping addresses

export interface ShippingEntry {
  path: string;
  shippingId: number | undefined;
  text: Partial<Record<ShippingTextField, string>>;
  primary: boolean;
}

/**
 * A shipping address of a request. Names are required on new addresses and on PUT …/shipping;
 * on a referenced array element they may be left out but not cleared.
 */
export function checkShipping(entry: Body, path: string, schema: 'addShipping' | 'updateShipping', names: 'required' | 'not-cleared', rules: RuleContext, issues: Issues): ShippingEntry {
  rules.schemas.check(schema, entry, issues, path);
  for (const name of ['shipping_first_name', 'shipping_last_name'] as const) {
    const value = entry[name];
    if (names === 'required' ? isAbsentOrEmpty(value) : value === '') issues.add(at(path, name), Message.required(name));
  }
  return {
    path,
    shippingId: typeof entry.shipping_id === 'number' ? entry.shipping_id : undefined,
    text: textOf(entry, SHIPPING_TEXT_FIELDS),
    primary: flag(entry.primary),
  };
}

// ---------------------------------------------------------------------------------------------
// customers

export type CustomerText = Partial<Record<CustomerTextField, string>>;

export function customerTextOf(body: Body): CustomerText {
  return textOf(body, CUSTOMER_TEXT_FIELDS);
}

type Name = string | null | undefined;
const filled = (value: Name): boolean => value !== null && value !== undefined && value !== '';

/** Firm name, or first and last name (V4). */
export function meetsNameRule(first: Name, last: Name, firm: Name): boolean {
  return filled(firm) || (filled(first) && filled(last));
}

/** V4, reported on each empty personal name. */
export function checkNameRule(first: Name, last: Name, firm: Name, issues: Issues): void {
  if (meetsNameRule(first, last, firm)) return;
  if (!filled(first)) issues.add('customer_first_name', Rule.nameRule);
  if (!filled(last)) issues.add('customer_last_name', Rule.nameRule);
}

/** Two new entries with the same card number or bank account in one request: E9 on the later one. */
export function samePaymentData(a: NewBillingEntry, b: NewBillingEntry): boolean {
  if (a.kind === 'card' && b.kind === 'card') return a.pan === b.pan;
  if (a.kind === 'ach' && b.kind === 'ach') return a.routing === b.routing && a.account === b.account;
  return false;
}

export const duplicatePath = (entry: { path: string; kind: 'card' | 'ach' }): string => at(entry.path, entry.kind === 'card' ? 'card_number' : 'dda_number');
