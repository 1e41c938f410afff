/**
 * Request JSON Schemas of the Exact dialect (contract §4 field tables, §7 rules) and the mapping of
 * ajv's errors onto Exact's zod-style `pathIssues` (§3.4). Value rules that a schema keyword cannot
 * say (country names, Luhn, ABA checksum, digit-only numbers) are custom ajv keywords, so that every
 * problem of a body is found in one pass and reported together.
 */
import type Ajv from 'ajv';
import type { ErrorObject, SchemaObject, ValidateFunction } from 'ajv';
import { cardBrand, passesAbaChecksum, passesLuhn } from '../../core/cards';
import { exactCountryToAlpha2 } from './countries';
import type { PathIssue, PathIssueType } from './wire';

/** `local@domain.tld`: no spaces, exactly one `@`, a dot in the domain (§7.1). */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Card and bank numbers may be sent with spaces and hyphens (§6.5). */
export function stripNumber(value: string): string {
  return value.replace(/[ -]/g, '');
}

const str = (minLength: number, maxLength: number): SchemaObject => ({ type: 'string', minLength, maxLength });
const upTo = (maxLength: number): SchemaObject => ({ type: 'string', maxLength });
const email: SchemaObject = { type: 'string', maxLength: 254, format: 'exact-email' };
const country: SchemaObject = { type: 'string', exactCountry: true };

/** Read-only customer members: accepted with any value and ignored, so a fetched object can be sent back (§7.1). */
const READ_ONLY_CUSTOMER_KEYS = ['id', 'token', 'createdAt', 'updatedAt'] as const;
const readOnly = Object.fromEntries(READ_ONLY_CUSTOMER_KEYS.map((key) => [key, {}]));

export const customerAddressSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['label'],
  properties: {
    label: str(1, 50),
    line1: upTo(100),
    line2: upTo(100),
    city: upTo(50),
    state: upTo(50),
    postalCode: upTo(16),
    country,
    isDefault: { type: 'boolean' },
  },
};

const addresses: SchemaObject = { type: 'array', maxItems: 50, items: customerAddressSchema };

export const newCustomerSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { ...readOnly, name: str(1, 255), email, phone: str(1, 20), addresses },
};

/** Form A of E4, and the operand of `$set`: `null` removes the optional members (never `name`). */
const patchProperties: Record<string, SchemaObject> = {
  name: str(1, 255),
  email: { ...email, type: ['string', 'null'] },
  phone: { ...str(1, 20), type: ['string', 'null'] },
  addresses: { ...addresses, type: ['array', 'null'] },
};

export const customerPatchSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: { ...readOnly, ...patchProperties },
};

/** Form B of E4. Unsupported operators and plain keys are reported by the update parser (update.ts). */
export const updateOperatorsSchema: SchemaObject = {
  type: 'object',
  properties: {
    $set: { type: 'object', additionalProperties: false, properties: patchProperties },
    // `name` is listed so that its removal is reported as `custom` by the parser, not as unknown.
    $unset: { type: 'object', additionalProperties: false, properties: { name: {}, email: {}, phone: {}, addresses: {} } },
    $push: {
      type: 'object',
      additionalProperties: false,
      properties: {
        addresses: {
          if: { type: 'object', required: ['$each'] },
          then: { type: 'object', additionalProperties: false, properties: { $each: { type: 'array', items: customerAddressSchema } } },
          else: customerAddressSchema,
        },
      },
    },
    $pull: {
      type: 'object',
      additionalProperties: false,
      properties: {
        addresses: { type: 'object', additionalProperties: false, required: ['label'], properties: { label: { type: 'string' } } },
      },
    },
  },
};

const billingAddress: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['line1', 'city', 'state', 'postalCode'],
  properties: {
    line1: str(1, 30),
    line2: upTo(28),
    city: str(1, 20),
    state: str(1, 2),
    postalCode: str(1, 10),
    country,
    // A synonym of `country`, checked by the tokenization rules only when `country` is absent.
    countryCode: { type: 'string' },
  },
};

const cardBilling: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'address'],
  properties: { name: str(1, 100), email, phone: upTo(20), address: billingAddress },
};

const achBilling: SchemaObject = {
  ...cardBilling,
  required: ['name', 'email', 'address'],
  properties: { ...cardBilling.properties, businessName: upTo(100) },
};

const paymentMethodType: SchemaObject = { enum: ['card', 'ach'] };

const card: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['number', 'expiry'],
  properties: {
    number: { type: 'string', exactCardNumber: true },
    expiry: {
      type: 'object',
      additionalProperties: false,
      required: ['month', 'year'],
      properties: {
        month: { type: 'integer', minimum: 1, maximum: 12 },
        year: { type: 'integer', minimum: 1000, maximum: 9999, 'x-messages': { minimum: 'Expected a four-digit year', maximum: 'Expected a four-digit year' } },
      },
    },
    cvc: { type: 'string', pattern: '^[0-9]{3,4}$', 'x-messages': { pattern: 'CVC must be a string of 3 or 4 digits' } },
    cvcIndicator: { enum: ['present', 'not-present', 'illegible'] },
    tokenType: { enum: ['platform', 'network', 'gateway'] },
  },
};

const ach: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['routingNumber', 'accountNumber', 'bankAccountType'],
  properties: {
    routingNumber: { type: 'string', exactRoutingNumber: true },
    accountNumber: { type: 'string', exactAccountNumber: true },
    bankAccountType: { enum: ['checking', 'savings'] },
    plaidToken: { type: 'string' },
  },
};

export const tokenizeCardSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'billingDetails', 'card'],
  properties: { type: paymentMethodType, billingDetails: cardBilling, card },
};

export const tokenizeAchSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'billingDetails', 'ach'],
  properties: { type: paymentMethodType, billingDetails: achBilling, ach },
};

/** When `type` is missing or unknown, the rest is checked only as far as both kinds agree. */
export const tokenizeUnknownTypeSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'billingDetails'],
  properties: { type: paymentMethodType, billingDetails: { ...achBilling, required: ['name', 'address'] }, card: { type: 'object' }, ach: { type: 'object' } },
};

export const attachSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['token'],
  properties: { token: { type: 'string' }, isDefault: { type: 'boolean' }, label: str(1, 50) },
};

// ---------------------------------------------------------------------------------------------
// Custom keywords

type KeywordVerdict = { type: PathIssueType; detail: string } | null;

function cardNumberVerdict(value: string): KeywordVerdict {
  const digits = stripNumber(value);
  if (!/^[0-9]*$/.test(digits)) return { type: 'invalid_string', detail: 'Card number must contain only digits' };
  if (digits.length < 13) return { type: 'too_small', detail: 'Card number must contain at least 13 digit(s)' };
  if (digits.length > 19) return { type: 'too_big', detail: 'Card number must contain at most 19 digit(s)' };
  if (!passesLuhn(digits)) return { type: 'invalid_string', detail: 'Invalid card number' };
  if (cardBrand(digits) === 'unknown') return { type: 'invalid_string', detail: 'Unsupported card brand' };
  return null;
}

function routingNumberVerdict(value: string): KeywordVerdict {
  const digits = stripNumber(value);
  if (!/^[0-9]{9}$/.test(digits)) return { type: 'invalid_string', detail: 'Routing number must be exactly 9 digits' };
  if (!passesAbaChecksum(digits)) return { type: 'invalid_string', detail: 'Invalid routing number' };
  return null;
}

function accountNumberVerdict(value: string): KeywordVerdict {
  const digits = stripNumber(value);
  if (!/^[0-9]*$/.test(digits)) return { type: 'invalid_string', detail: 'Account number must contain only digits' };
  if (digits.length < 4) return { type: 'too_small', detail: 'Account number must contain at least 4 digit(s)' };
  if (digits.length > 17) return { type: 'too_big', detail: 'Account number must contain at most 17 digit(s)' };
  return null;
}

function countryVerdict(value: string): KeywordVerdict {
  return exactCountryToAlpha2(value) ? null : { type: 'invalid_string', detail: 'Invalid country' };
}

function addStringKeyword(ajv: Ajv, keyword: string, verdict: (value: string) => KeywordVerdict): void {
  if (ajv.getKeyword(keyword)) return;
  ajv.addKeyword({
    keyword,
    type: 'string',
    schemaType: 'boolean',
    errors: true,
    validate: function check(this: unknown, enabled: boolean, data: string): boolean {
      const found = enabled ? verdict(data) : null;
      (check as unknown as { errors: Array<Partial<ErrorObject>> }).errors = found ? [{ keyword, message: found.detail, params: { issueType: found.type } }] : [];
      return found === null;
    },
  });
}

export interface ExactValidators {
  newCustomer: ValidateFunction;
  customerPatch: ValidateFunction;
  updateOperators: ValidateFunction;
  tokenizeCard: ValidateFunction;
  tokenizeAch: ValidateFunction;
  tokenizeUnknownType: ValidateFunction;
  attach: ValidateFunction;
}

/** Compiles every request schema once (at router construction). */
export function compileExactValidators(ajv: Ajv): ExactValidators {
  if (!ajv.formats['exact-email']) ajv.addFormat('exact-email', EMAIL_PATTERN);
  addStringKeyword(ajv, 'exactCountry', countryVerdict);
  addStringKeyword(ajv, 'exactCardNumber', cardNumberVerdict);
  addStringKeyword(ajv, 'exactRoutingNumber', routingNumberVerdict);
  addStringKeyword(ajv, 'exactAccountNumber', accountNumberVerdict);
  return {
    newCustomer: ajv.compile(newCustomerSchema),
    customerPatch: ajv.compile(customerPatchSchema),
    updateOperators: ajv.compile(updateOperatorsSchema),
    tokenizeCard: ajv.compile(tokenizeCardSchema),
    tokenizeAch: ajv.compile(tokenizeAchSchema),
    tokenizeUnknownType: ajv.compile(tokenizeUnknownTypeSchema),
    attach: ajv.compile(attachSchema),
  };
}

// ---------------------------------------------------------------------------------------------
// ajv errors → pathIssues

function received(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'number' : 'float';
  return typeof value;
}

function pointerToSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function joinPath(segments: Array<string | number>): string {
  return segments.map(String).join('.');
}

function describeEnumValue(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : received(value);
}

/** One pathIssue for one ajv error; null for errors that only repeat another (`if`). */
export function issueFromAjvError(error: ErrorObject, prefix: string[] = []): PathIssue | null {
  const segments = [...prefix, ...pointerToSegments(error.instancePath)];
  const custom = (error.parentSchema as { 'x-messages'?: Record<string, string> } | undefined)?.['x-messages']?.[error.keyword];
  const params = error.params as Record<string, unknown>;
  const at = (extra: string[] = []): string => joinPath([...segments, ...extra]);
  switch (error.keyword) {
    case 'if':
      return null;
    case 'required':
      return { field: at([String(params.missingProperty)]), type: 'invalid_type', details: ['Required'] };
    case 'type': {
      const expected = String(params.type).split(',')[0];
      if (expected === 'integer' && typeof error.data === 'number') return { field: at(), type: 'invalid_type', details: ['Expected integer, received float'] };
      const word = expected === 'integer' ? 'number' : expected;
      return { field: at(), type: 'invalid_type', details: [`Expected ${word}, received ${received(error.data)}`] };
    }
    case 'minLength':
      return { field: at(), type: 'too_small', details: [custom ?? `String must contain at least ${String(params.limit)} character(s)`] };
    case 'maxLength':
      return { field: at(), type: 'too_big', details: [custom ?? `String must contain at most ${String(params.limit)} character(s)`] };
    case 'minimum':
      return { field: at(), type: 'too_small', details: [custom ?? `Number must be greater than or equal to ${String(params.limit)}`] };
    case 'maximum':
      return { field: at(), type: 'too_big', details: [custom ?? `Number must be less than or equal to ${String(params.limit)}`] };
    case 'minItems':
      return { field: at(), type: 'too_small', details: [`Array must contain at least ${String(params.limit)} element(s)`] };
    case 'maxItems':
      return { field: at(), type: 'too_big', details: [`Array must contain at most ${String(params.limit)} element(s)`] };
    case 'additionalProperties':
      return { field: at([String(params.additionalProperty)]), type: 'unrecognized_keys', details: [`Unrecognized key(s) in object: '${String(params.additionalProperty)}'`] };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((value) => `'${String(value)}'`).join(' | ');
      return { field: at(), type: 'invalid_enum_value', details: [`Invalid enum value. Expected ${allowed}, received ${describeEnumValue(error.data)}`] };
    }
    case 'format':
      return { field: at(), type: 'invalid_string', details: ['Invalid email'] };
    case 'pattern':
      return { field: at(), type: 'invalid_string', details: [custom ?? 'Invalid'] };
    default: {
      const issueType = params.issueType as PathIssueType | undefined;
      return { field: at(), type: issueType ?? 'custom', details: [error.message ?? 'Invalid'] };
    }
  }
}

export function issuesFromAjv(errors: ErrorObject[] | null | undefined, prefix: string[] = []): PathIssue[] {
  const issues: PathIssue[] = [];
  for (const error of errors ?? []) {
    const issue = issueFromAjvError(error, prefix);
    if (issue) issues.push(issue);
  }
  return issues;
}

/**
 * Puts issues in request-body order (§3.4): an issue on a value that is in the body sorts by where
 * that value is; a missing member sorts after everything its parent object holds. The sort is
 * stable, so issues at the same place keep the order in which they were found.
 */
export function sortIssuesByBodyOrder(issues: PathIssue[], body: unknown): PathIssue[] {
  const spans = new Map<string, { start: number; end: number }>();
  let counter = 0;
  const walk = (value: unknown, path: string): void => {
    const start = counter++;
    if (Array.isArray(value)) value.forEach((item, index) => walk(item, path === '' ? String(index) : `${path}.${index}`));
    else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) walk(item, path === '' ? key : `${path}.${key}`);
    }
    spans.set(path, { start, end: counter - 1 });
  };
  walk(body, '');
  const rank = (field: string): [number, number] => {
    const own = spans.get(field);
    if (own) return [own.start, 0];
    let parent = field;
    while (parent !== '') {
      const cut = parent.lastIndexOf('.');
      parent = cut < 0 ? '' : parent.slice(0, cut);
      const span = spans.get(parent);
      if (span) return [span.end, 1];
    }
    return [Number.MAX_SAFE_INTEGER, 1];
  };
  return issues
    .map((issue, index) => ({ issue, index, rank: rank(issue.field) }))
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.index - b.index)
    .map((entry) => entry.issue);
}
