/**
 * The Stax wire format (contract §4.1, §4.3, §4.9): what a Stax client sends and receives.
 * Field names and nullability follow the provider exactly; translate.ts maps them to core/model.ts.
 */

/** §4.1: customer strings are never null (unset is `""`); only the listed fields are nullable. */
export interface StaxCustomer {
  id: string;
  firstname: string;
  lastname: string;
  company: string;
  email: string;
  cc_emails: string[] | null;
  cc_sms: string[] | null;
  phone: string;
  address_1: string;
  address_2: string;
  address_city: string;
  address_state: string;
  address_zip: string;
  address_country: string;
  notes: string | null;
  reference: string;
  options: Record<string, unknown> | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  allow_invoice_credit_card_payments: boolean;
  gravatar: false | string;
  parent_merge: null;
  child_merges: never[];
}

export type StaxCardType = 'visa' | 'mastercard' | 'amex' | 'discover' | 'jcb' | 'diners';

/** §4.9: payment-method optional fields are `null` when unset. */
export interface StaxPaymentMethod {
  id: string;
  customer_id: string;
  merchant_id: string;
  method: 'card' | 'bank';
  card_type: StaxCardType | null;
  card_last_four: string;
  card_exp: string | null;
  bank_name: string | null;
  bank_type: 'checking' | 'savings' | null;
  bank_holder_type: 'personal' | 'business' | null;
  nickname: string;
  is_default: 0 | 1;
  has_cvv: boolean;
  person_name: string;
  address_1: string | null;
  address_2: string | null;
  address_city: string | null;
  address_state: string | null;
  address_zip: string | null;
  address_country: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** §4.3: Laravel's length-aware paginator, key order as Laravel serialises it. */
export interface StaxPaginator<T> {
  current_page: number;
  data: T[];
  first_page_url: string;
  from: number | null;
  last_page: number;
  last_page_url: string;
  next_page_url: string | null;
  path: string;
  per_page: number;
  prev_page_url: string | null;
  to: number | null;
  total: number;
}

/** The customer's `address_*` fields (request and response share the names). */
export const CUSTOMER_ADDRESS_FIELDS = ['address_1', 'address_2', 'address_city', 'address_state', 'address_zip', 'address_country'] as const;
export type StaxAddressField = (typeof CUSTOMER_ADDRESS_FIELDS)[number];

