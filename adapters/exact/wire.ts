/**
 * Exact Payments wire types: what clients send and receive (contract §4; docs/dialects/exact.md,
 * "Contract notes"). Optional members are omitted when unset, never `null` (§6.5).
 */

export interface ExactAddress {
  label?: string;
  line1?: string;
  line2?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  /** Upper-case ISO alpha-3 on output; alpha-3, alpha-2 or an English name on input. */
  country?: string;
  isDefault?: boolean;
}

export interface ExactCustomer {
  id: string;
  token: string;
  createdAt: string;
  updatedAt: string;
  name: string;
  email?: string;
  phone?: string;
  addresses: ExactAddress[];
}

export interface ExactBillingAddress {
  line1?: string;
  line2?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
}

export interface ExactBillingDetails {
  name: string;
  email?: string;
  phone?: string;
  businessName?: string;
  address?: ExactBillingAddress;
}

export type ExactCardBrand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'diners' | 'jcb' | 'union pay';

export interface ExactCardDetails {
  brand?: ExactCardBrand;
  lastFour: string;
  checks: { cvcCheck: 'full-match' | 'not-verified'; addressCheck: 'not-verified' };
  expiry?: { month: number; year: number };
  tokenType: 'platform';
}

export interface ExactAchDetails {
  bankAccountType?: 'checking' | 'savings';
  lastFour: string;
  verified: true;
}

export interface ExactPaymentMethod {
  type: 'card' | 'ach';
  token: string;
  createdAt: string;
  updatedAt: string;
  billingDetails: ExactBillingDetails;
  card?: ExactCardDetails;
  ach?: ExactAchDetails;
  label?: string;
  isDefault?: boolean;
}

export interface ExactLookUpCustomer {
  type: 'customer';
  token: string;
  createdAt: string;
  updatedAt: string;
  customerId: string;
}

export type PathIssueType = 'invalid_type' | 'too_small' | 'too_big' | 'invalid_string' | 'invalid_enum_value' | 'unrecognized_keys' | 'custom';

export interface PathIssue {
  field: string;
  type: PathIssueType;
  details: string[];
}

export interface ExactErrorBody {
  code: string;
  message: string;
  type: string;
  requestId: string;
  pathIssues?: PathIssue[];
}
