/**
 * Validation of the create, tokenize and attach bodies: schema pass, then the rules that span
 * several values (country required on billing addresses, USA/CAN postal codes, expiry), all problems
 * reported together in body order (contract §3.4, §7).
 */
import type { ValidateFunction } from 'ajv';
import { isExpired } from '../../core/cards';
import { isPlainObject } from '../shared/body';
import { exactCountryToAlpha2 } from './countries';
import { issuesFromAjv, sortIssuesByBodyOrder, type ExactValidators } from './schemas';
import type { AddressInput, TokenizationInput } from './translate';
import type { PathIssue } from './wire';

export type Checked<T> = { ok: true; value: T } | { ok: false; issues: PathIssue[] };

/** The issue for a body that is not a JSON object (or absent). */
export function bodyShapeIssue(body: unknown, empty: boolean): PathIssue {
  if (empty || body === undefined) return { field: '', type: 'invalid_type', details: ['Required'] };
  const kind = body === null ? 'null' : Array.isArray(body) ? 'array' : typeof body;
  return { field: '', type: 'invalid_type', details: [`Expected object, received ${kind}`] };
}

export const MALFORMED_BODY_ISSUE: PathIssue = { field: '', type: 'invalid_type', details: ['Malformed JSON body'] };

function run<T>(validate: ValidateFunction, body: unknown): Checked<T> {
  if (!isPlainObject(body)) return { ok: false, issues: [bodyShapeIssue(body, false)] };
  if (validate(body)) return { ok: true, value: body as T };
  return { ok: false, issues: sortIssuesByBodyOrder(issuesFromAjv(validate.errors), body) };
}

export interface NewCustomerInput {
  name: string;
  email?: string;
  phone?: string;
  addresses?: AddressInput[];
}

export function checkNewCustomer(validators: ExactValidators, body: unknown): Checked<NewCustomerInput> {
  return run<NewCustomerInput>(validators.newCustomer, body);
}

export interface AttachInput {
  token: string;
  isDefault?: boolean;
  label?: string;
}

export function checkAttach(validators: ExactValidators, body: unknown): Checked<AttachInput> {
  return run<AttachInput>(validators.attach, body);
}

export interface CheckedTokenization {
  input: TokenizationInput;
  /** `card.tokenType: "network"`: valid, but answered 402 (§3.3). */
  networkToken: boolean;
}

const US_POSTAL = /^\d{5}(-\d{4})?$/;
const CA_POSTAL = /^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$/;

/** Month and year may be sent as digit strings (§4.7); they are read as numbers before the schema runs. */
function coerceExpiry(body: Record<string, unknown>): Record<string, unknown> {
  const card = body.card;
  if (!isPlainObject(card) || !isPlainObject(card.expiry)) return body;
  const expiry = { ...card.expiry };
  for (const part of ['month', 'year'] as const) {
    const value = expiry[part];
    if (typeof value === 'string' && /^[0-9]+$/.test(value)) expiry[part] = Number(value);
  }
  return { ...body, card: { ...card, expiry } };
}

export function checkTokenization(validators: ExactValidators, rawBody: unknown, now: number): Checked<CheckedTokenization> {
  if (!isPlainObject(rawBody)) return { ok: false, issues: [bodyShapeIssue(rawBody, false)] };
  const body = coerceExpiry(rawBody);
  const validate = body.type === 'card' ? validators.tokenizeCard : body.type === 'ach' ? validators.tokenizeAch : validators.tokenizeUnknownType;
  const issues = validate(body) ? [] : issuesFromAjv(validate.errors);
  const failed = (field: string): boolean => issues.some((issue) => issue.field === field || issue.field.startsWith(field + '.'));

  const address = isPlainObject(body.billingDetails) && isPlainObject(body.billingDetails.address) ? body.billingDetails.address : null;
  if (address) {
    const base = 'billingDetails.address';
    let alpha2: string | null = null;
    if (address.country === undefined && address.countryCode === undefined) {
      issues.push({ field: `${base}.country`, type: 'invalid_type', details: ['Required'] });
    } else if (address.country !== undefined) {
      if (typeof address.country === 'string') alpha2 = exactCountryToAlpha2(address.country);
    } else if (typeof address.countryCode === 'string') {
      alpha2 = exactCountryToAlpha2(address.countryCode);
      if (!alpha2) issues.push({ field: `${base}.countryCode`, type: 'invalid_string', details: ['Invalid country'] });
    }
    const postal = address.postalCode;
    if (typeof postal === 'string' && !failed(`${base}.postalCode`)) {
      if ((alpha2 === 'US' && !US_POSTAL.test(postal)) || (alpha2 === 'CA' && !CA_POSTAL.test(postal))) {
        issues.push({ field: `${base}.postalCode`, type: 'invalid_string', details: ['Invalid postal code'] });
      }
    }
  }

  const card = isPlainObject(body.card) ? body.card : null;
  if (body.type === 'card' && card && isPlainObject(card.expiry) && !failed('card.expiry')) {
    const { month, year } = card.expiry as { month: number; year: number };
    if (isExpired(month, year, now)) issues.push({ field: 'card.expiry', type: 'custom', details: ['Card is expired'] });
  }

  if (issues.length > 0) return { ok: false, issues: sortIssuesByBodyOrder(issues, body) };
  const input = body as unknown as TokenizationInput;
  return { ok: true, value: { input, networkToken: input.type === 'card' && input.card?.tokenType === 'network' } };
}
