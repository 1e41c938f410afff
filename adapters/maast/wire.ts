/**
 * The Maast Customer Vault wire format: what clients send (after the coercions of contract §7.1)
 * and what polyvault answers. Field names are the provider's.
 */

/** `CustomerVault` (contract §4.0.1). Optional strings are omitted when empty (§6.6). */
export interface WireCustomer {
  customer_id: string;
  rec_id: number;
  /** The tenant's merchant id; rendered as a JSON number (see `envelope.ts` for ids beyond 2^53). */
  node_id: number | string;
  customer_first_name?: string;
  customer_last_name?: string;
  customer_firm_name?: string;
  customer_phone?: string;
  customer_email?: string;
  reference_id?: string;
  comments?: string;
  developer_id?: string;
  primary_card_number?: string;
  shipping_addresses: WireShippingAddress[];
  billing_cards: WireBillingCard[];
}

export type MaastCardType = 'VS' | 'MC' | 'AM' | 'DS' | 'JC' | 'AP';
export type MaastTypeId = 'C' | 'S' | 'K' | 'V';

/** `BillingCard` (contract §4.0.2). */
export interface WireBillingCard {
  card_id: string;
  card_number: string;
  card_type?: MaastCardType;
  exp_date?: string;
  type_id?: MaastTypeId;
  tr_number?: string;
  billing_first_name?: string;
  billing_last_name?: string;
  billing_firm_name?: string;
  billing_email?: string[];
  billing_addr1?: string;
  billing_addr2?: string;
  billing_city?: string;
  billing_state?: string;
  billing_zip?: string;
  billing_zip4?: string;
  billing_country?: string;
  billing_country_code?: string;
  primary: boolean;
  verified_date?: string;
}

/** `ShippingAddress` (contract §4.0.3). */
export interface WireShippingAddress {
  shipping_id: number;
  shipping_first_name?: string;
  shipping_last_name?: string;
  shipping_firm_name?: string;
  shipping_addr1?: string;
  shipping_addr2?: string;
  shipping_city?: string;
  shipping_state?: string;
  shipping_zip?: string;
  shipping_zip4?: string;
  shipping_country?: string;
  shipping_country_code?: string;
  primary: boolean;
}

/** Billing text fields shared by request and response (everything but the payment data). */
export const BILLING_TEXT_FIELDS = [
  'billing_first_name',
  'billing_last_name',
  'billing_firm_name',
  'billing_addr1',
  'billing_addr2',
  'billing_city',
  'billing_state',
  'billing_zip',
  'billing_zip4',
  'billing_country',
  'billing_country_code',
] as const;
export type BillingTextField = (typeof BILLING_TEXT_FIELDS)[number];

export const SHIPPING_TEXT_FIELDS = [
  'shipping_first_name',
  'shipping_last_name',
  'shipping_firm_name',
  'shipping_addr1',
  'shipping_addr2',
  'shipping_city',
  'shipping_state',
  'shipping_zip',
  'shipping_zip4',
  'shipping_country',
  'shipping_country_code',
] as const;
export type ShippingTextField = (typeof SHIPPING_TEXT_FIELDS)[number];

export const CUSTOMER_TEXT_FIELDS = [
  'customer_first_name',
  'customer_last_name',
  'customer_firm_name',
  'customer_phone',
  'customer_email',
  'reference_id',
  'comments',
] as const;
export type CustomerTextField = (typeof CUSTOMER_TEXT_FIELDS)[number];
