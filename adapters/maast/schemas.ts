/**
 * JSON Schemas of the Maast request bodies (limits from the provider's OpenAPI document, as the
 * contract §4 tables restate them). Two annotations drive the dialect's own behaviour:
 * - `x-coerce` — the leniency of contract §7.1, applied by `coerce()` before ajv runs
 *   (`text`: a JSON number becomes its decimal text; `boolean`: "true"/"false" in any case;
 *   `integer`: a string of digits; `list`: a single string becomes a one-element array);
 * - `x-message` — the catalogue message (§3.6) for a `pattern` / `enum` failure.
 * Rules that span fields (name rule, card vs ACH, Luhn, brand) live in `validate.ts`.
 * `merchant_id` is absent on purpose: `scope.ts` reads it before validation (§3.5 step 4).
 */
export interface FieldSchema {
  type: 'string' | 'boolean' | 'integer' | 'array' | 'object';
  maxLength?: number;
  pattern?: string;
  enum?: string[];
  items?: FieldSchema;
  properties?: Record<string, FieldSchema>;
  'x-coerce'?: 'text' | 'boolean' | 'integer' | 'list';
  'x-message'?: string;
}

const text = (maxLength: number): FieldSchema => ({ type: 'string', maxLength, 'x-coerce': 'text' });
/** Strings where a JSON number could lose digits or leading zeros: no coercion (§7.1). */
const exact = (pattern: string, message: string): FieldSchema => ({ type: 'string', pattern, 'x-message': message });
const bool: FieldSchema = { type: 'boolean', 'x-coerce': 'boolean' };
const integer: FieldSchema = { type: 'integer', 'x-coerce': 'integer' };
// `""` passes the format patterns: it clears a field on update and means "not given" on add.
const zip4 = (field: string): FieldSchema => exact('^([0-9]{4})?$', `${field} must be exactly 4 digits`);
const countryCode = (field: string): FieldSchema => exact('^([A-Za-z0-9]{3})?$', `${field} must be exactly 3 letters or digits`);
const object = (properties: Record<string, FieldSchema>): FieldSchema => ({ type: 'object', properties });
const arrayOf = (items: FieldSchema): FieldSchema => ({ type: 'array', items });

const cardId = exact('^([A-Za-z0-9]{32})?$', 'card_id must be 32 letters or digits');

/** Billing details of an entry, shared by every billing schema. */
const billingDetails: Record<string, FieldSchema> = {
  billing_first_name: text(32),
  billing_last_name: text(32),
  billing_firm_name: text(64),
  billing_email: { type: 'array', items: text(128), 'x-coerce': 'list' },
  billing_addr1: text(128),
  billing_addr2: text(128),
  billing_city: text(64),
  billing_state: text(3),
  billing_zip: text(10),
  billing_zip4: zip4('billing_zip4'),
  billing_country: text(128),
  billing_country_code: countryCode('billing_country_code'),
  exp_date: exact('^((0[1-9]|1[0-2])[0-9]{2})?$', 'exp_date must be a valid MMYY date'),
  cvv2: exact('^[0-9]{0,4}$', 'cvv2 must be at most 4 digits'),
  verify: bool,
  primary: bool,
};

/** `AddBillingCardRequest`: a billing entry of an add (§4.0.4). Card number and account number formats are checked in code (masked values are allowed in update arrays). */
export const billingEntrySchema = object({
  card_number: { type: 'string' },
  type_id: { type: 'string', enum: ['C', 'S', 'K', 'V', ''], 'x-message': 'type_id must be one of C, S, K, V' },
  tr_number: exact('^([0-9]{9})?$', 'tr_number must be exactly 9 digits'),
  dda_number: { type: 'string' },
  card_id: cardId,
  ...billingDetails,
});

/** `UpdateBillingCardRequest` (§4.8): payment data is not part of it (ignored when sent). */
export const updateBillingSchema = object({ card_id: cardId, ...billingDetails });

/** `DeleteBillingCardRequest`, `SetPrimaryBillingCardRequest`. */
export const cardIdOnlySchema = object({ card_id: cardId });

const shippingFields: Record<string, FieldSchema> = {
  shipping_first_name: text(32),
  shipping_last_name: text(32),
  shipping_firm_name: text(64),
  shipping_addr1: text(128),
  shipping_addr2: text(128),
  shipping_city: text(64),
  // The add schema's "fixed length 3" / "fixed length 10" are applied as maxima (contract §9.28).
  shipping_state: text(3),
  shipping_zip: text(10),
  shipping_zip4: zip4('shipping_zip4'),
  shipping_country: text(128),
  shipping_country_code: countryCode('shipping_country_code'),
  primary: bool,
};

/** `AddShippingAddressRequest` (§4.0.5); `shipping_id` is ignored in adds. */
export const addShippingSchema = object(shippingFields);
/** `UpdateShippingAddressRequest` and update-customer array elements. */
export const updateShippingSchema = object({ shipping_id: integer, ...shippingFields });
/** `SetPrimaryShippingAddressRequest`. */
export const shippingIdOnlySchema = object({ shipping_id: integer });

const customerFields: Record<string, FieldSchema> = {
  customer_first_name: text(32),
  customer_last_name: text(32),
  customer_firm_name: text(64),
  customer_phone: text(16),
  customer_email: text(64),
  reference_id: text(128),
  comments: text(128),
};

/** `AddCustomerRequest` (§4.1). */
export const addCustomerSchema = object({
  customer_id: { type: 'string', maxLength: 32, pattern: '^[A-Za-z0-9]*$', 'x-coerce': 'text', 'x-message': 'customer_id must contain only letters and numbers' },
  auto_generate_customer_id: bool,
  ...customerFields,
  developer_id: text(32),
  shipping_addresses: arrayOf(addShippingSchema),
  billing_cards: arrayOf(billingEntrySchema),
});

/** `UpdateCustomerRequest` (§4.4): ids and `developer_id` are ignored (not part of it). */
export const updateCustomerSchema = object({
  ...customerFields,
  shipping_addresses: arrayOf(updateShippingSchema),
  billing_cards: arrayOf(billingEntrySchema),
});

export type RequestSchemaName =
  | 'addCustomer'
  | 'updateCustomer'
  | 'billingEntry'
  | 'updateBilling'
  | 'cardIdOnly'
  | 'addShipping'
  | 'updateShipping'
  | 'shippingIdOnly';

export const REQUEST_SCHEMAS: Record<RequestSchemaName, FieldSchema> = {
  addCustomer: addCustomerSchema,
  updateCustomer: updateCustomerSchema,
  billingEntry: billingEntrySchema,
  updateBilling: updateBillingSchema,
  cardIdOnly: cardIdOnlySchema,
  addShipping: addShippingSchema,
  updateShipping: updateShippingSchema,
  shippingIdOnly: shippingIdOnlySchema,
};
