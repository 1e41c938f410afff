/**
 * JSON Schemas of the Stax request bodies (contract §4.2, §4.10, §4.12, §7). They check types,
 * formats, enums and lengths; validate.ts compiles them once and turns ajv's errors into Stax's
 * `field → [message]` map. Rules a schema cannot say (alpha-3 codes that are assigned, the
 * at-least-one rule, custom-field conversion, Luhn, expiry, ABA checksum) live in validate.ts.
 *
 * `x-format` names the message of a failed `pattern` (§7.6): an email, a phone number or the
 * country. `enum` failures are answered as booleans or as "The selected … is invalid." by
 * `x-enum`.
 */

export type PatternRule = 'email' | 'phone' | 'country' | 'cvv' | 'bank_account';
export type EnumRule = 'boolean' | 'selection';

/** `local@domain.tld`, no spaces, exactly one `@` (§7.1). `""` means none. */
export const EMAIL_PATTERN = '^$|^[^\\s@]+@[^\\s@]+\\.[^\\s@.]+$';
/** 10–15 digits once spaces, hyphens, dots, parentheses and one leading `+` are removed (§7.2). */
export const PHONE_PATTERN = '^$|^\\+?[ .()-]*(?:[0-9][ .()-]*){10,15}$';
/** Shape only; whether the code is assigned is checked against the ISO table in validate.ts. */
export const ALPHA3_PATTERN = '^$|^[A-Za-z]{3}$';

/** Boolean-like values (§4.2 `allow_invoice_credit_card_payments`, §4.10 `is_default`). */
export const BOOLEAN_LIKE = [true, false, 1, 0, '1', '0', 'true', 'false'] as const;

const text = (maxLength: number) => ({ type: ['string', 'null'], maxLength });
const email = (maxLength: number) => ({ type: ['string', 'null'], pattern: EMAIL_PATTERN, 'x-format': 'email', maxLength });
const phone = { type: ['string', 'null'], pattern: PHONE_PATTERN, 'x-format': 'phone' };
const country = { type: ['string', 'null'], pattern: ALPHA3_PATTERN, 'x-format': 'country' };
const booleanLike = { enum: [...BOOLEAN_LIKE], 'x-enum': 'boolean' };
const selection = (values: string[]) => ({ enum: values, 'x-enum': 'selection' });

const addressProperties = {
  address_1: text(255),
  address_2: text(255),
  address_city: text(255),
  address_state: text(2),
  address_zip: text(16),
  address_country: country,
};

/** S1 and S4 (S4 is partial; the at-least-one rule is checked on the resulting record). */
export const customerSchema = {
  type: 'object',
  properties: {
    firstname: text(50),
    lastname: text(50),
    email: email(255),
    company: text(255),
    cc_emails: { type: ['array', 'null'], maxItems: 10, items: { type: 'string', pattern: EMAIL_PATTERN, 'x-format': 'email', maxLength: 255 } },
    cc_sms: { type: ['array', 'null'], maxItems: 10, items: { type: 'string', pattern: PHONE_PATTERN, 'x-format': 'phone' } },
    phone,
    ...addressProperties,
    reference: text(255),
    notes: text(5000),
    // `options` is checked by validate.ts (custom-field conversion, size, `""` as null).
    allow_invoice_credit_card_payments: booleanLike,
  },
} as const;

/** S8. Card fields are removed before validation when `method` is `bank`, and the reverse (§4.10). */
export const paymentMethodCreateSchema = {
  type: 'object',
  properties: {
    method: selection(['card', 'bank']),
    customer_id: { type: 'string' },
    person_name: text(100),
    card_number: { type: ['string', 'null'] },
    card_exp: { type: ['string', 'null'] },
    card_cvv: { type: ['string', 'null'], pattern: '^$|^[0-9]{3,4}$', 'x-format': 'cvv' },
    bank_account: { type: ['string', 'null'], pattern: '^$|^[0-9]{4,17}$', 'x-format': 'bank_account' },
    bank_routing: { type: ['string', 'null'] },
    bank_name: text(255),
    bank_type: selection(['checking', 'savings']),
    bank_holder_type: selection(['personal', 'business']),
    nickname: text(255),
    is_default: booleanLike,
    ...addressProperties,
  },
} as const;

/** S10: only these fields can change (§4.12); everything else is dropped before validation. */
export const paymentMethodUpdateSchema = {
  type: 'object',
  properties: {
    nickname: text(255),
    is_default: booleanLike,
    person_name: text(100),
    card_exp: { type: ['string', 'null'] },
    bank_name: text(255),
    bank_type: selection(['checking', 'savings']),
    bank_holder_type: selection(['personal', 'business']),
    ...addressProperties,
  },
} as const;

export const CARD_ONLY_FIELDS = ['card_number', 'card_exp', 'card_cvv'] as const;
export const BANK_ONLY_FIELDS = ['bank_account', 'bank_routing', 'bank_name', 'bank_type', 'bank_holder_type'] as const;
