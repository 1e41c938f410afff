/**
 * One interface over the four dialects' real HTTP APIs, so the cross-dialect matrix is data:
 * each driver writes a canonical-looking input the way that dialect's client would, and reads a
 * customer back into one comparable shape. A field the dialect cannot show is `undefined` in its
 * view (never compared); `""` and `null` both read as `null`.
 */
import type { DialectId } from '../../../core/model';
import type { CreatedTenant, Harness } from '../../support/harness';

/** The customer-level fields the matrix compares. */
export const CUSTOMER_FIELDS = ['givenName', 'familyName', 'company', 'email', 'phone', 'notes', 'reference', 'description', 'customFields'] as const;
export type CustomerField = (typeof CUSTOMER_FIELDS)[number];

export interface CustomFieldValue {
  name: string;
  type: string;
  value: string;
}

export interface AddressInput {
  givenName: string;
  familyName: string;
  company: string;
  line1: string;
  line2: string;
  city: string;
  state: string;
  postalCode: string;
  /** US ZIP+4 extension (only Maast writes it apart: `shipping_zip4`). */
  postalCodeExt: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

export interface CustomerInput {
  givenName: string;
  familyName: string;
  company: string;
  email: string;
  phone: string;
  notes: string;
  reference: string;
  description: string;
  customFields: CustomFieldValue[];
  /** Dialect-only data a rich dialect writes (Maast `developer_id`, Stax `cc_emails`). */
  extras: { developerId: string; ccEmails: string[] };
  /** Creation order. `addresses[0]` carries the customer's own names and company (FluidPay derives them from it). */
  addresses: AddressInput[];
  /** Index of the default address. */
  defaultAddress: number;
}

/** The billing address of a payment method (Exact requires one; FluidPay has none). */
export interface BillingInput {
  email: string;
  line1: string;
  city: string;
  state: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

export interface CardInput {
  kind: 'card';
  number: string;
  expMonth: number;
  expYear: number;
  holderGiven: string;
  holderFamily: string;
  billing: BillingInput;
}

export interface BankInput {
  kind: 'ach';
  accountNumber: string;
  routingNumber: string;
  accountType: 'checking' | 'savings';
  holderGiven: string;
  holderFamily: string;
  billing: BillingInput;
}

export type PaymentInput = CardInput | BankInput;

export type CustomerChange = Partial<Pick<CustomerInput, 'givenName' | 'familyName' | 'company' | 'email' | 'phone' | 'notes' | 'reference' | 'description' | 'customFields'>>;

export interface AddressChange {
  line2: string;
  city: string;
  postalCode: string;
}

export interface AddressView {
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
  givenName?: string | null;
  familyName?: string | null;
  company?: string | null;
  /** ZIP+4 extension (Maast `shipping_zip4`; Exact joins it into `postalCode`). */
  postalCodeExt?: string | null;
  /** The address's e-mail and phone (FluidPay only). */
  email?: string | null;
  phone?: string | null;
  /** Whether the dialect presents this address as the customer's default (undefined: it has no such notion). */
  isDefault?: boolean;
}

export interface PaymentMethodView {
  kind: 'card' | 'ach';
  last4: string;
  /** First six digits of a card as its mask shows them (Maast, FluidPay); `null` for bank accounts. */
  bin?: string | null;
  brand: string | null;
  expMonth: number | null;
  expYear: number | null;
  /** Holder's name (Maast `billing_*_name`, Exact `billingDetails.name`, Stax `person_name`). */
  holder?: string | null;
  /** Billing postal code and country (alpha-2). */
  billingPostalCode?: string | null;
  billingCountry?: string | null;
  isDefault: boolean;
}

export interface CustomerView {
  givenName?: string | null;
  familyName?: string | null;
  company?: string | null;
  email?: string | null;
  phone?: string | null;
  notes?: string | null;
  reference?: string | null;
  description?: string | null;
  customFields?: CustomFieldValue[];
  developerId?: string | null;
  ccEmails?: string[];
  addresses: AddressView[];
  /** Ordered by last four digits (dialects list in creation or attachment order). */
  paymentMethods: PaymentMethodView[];
}

/** A customer as every dialect names it (found in the store once, after creation: test plumbing). */
export interface Handle {
  /** UUID: Stax `id`, Exact `token`. */
  id: string;
  /** 24 hex: Exact `id`. */
  objectId: string;
  /** Maast `customer_id`, FluidPay `id`. */
  vaultId: string;
}

export interface Capabilities {
  /** Customer fields a create through this dialect sets (FluidPay's come from its first address). */
  creates: readonly CustomerField[];
  /** Customer fields an update through this dialect can change. */
  updates: readonly CustomerField[];
  /** Customer fields its view shows. */
  shows: readonly CustomerField[];
  /** Dialect-only data it writes on create and shows. */
  extras: ReadonlyArray<'developerId' | 'ccEmails'>;
  /** `all`: every address of the input; `default`: only one address (Stax `address_*`). */
  writesAddresses: 'all' | 'default';
  showsAddresses: 'all' | 'default';
  /** Given/family name and company on addresses. */
  addressNames: boolean;
  /** ZIP+4 kept apart from the postal code: `write` and show (Maast), `show` only (Exact). */
  addressZip4?: 'write' | 'show';
  /** E-mail and phone on addresses (FluidPay; its create puts the customer's on its billing address). */
  addressContacts?: true;
  /** Whether a create sets the customer's default-address pointer. */
  setsDefaultAddress: boolean;
  /**
   * How its view marks the default address: `pointer-or-earliest` (Maast `primary`, contract §8.1;
   * Stax `address_*`), `pointer` (FluidPay `defaults.*_address_id`, `""` when unset), `none` (Exact:
   * its `isDefault` is a separate per-address flag, not the customer's default).
   */
  defaultAddress: 'pointer-or-earliest' | 'pointer' | 'none';
  /**
   * Maast only: an address update must carry both names (contract §4.13, `shipping_first_name` and
   * `shipping_last_name` required). Its client sends back the names it read, or, for an address written
   * without names (Exact, Stax), the customer's names, which the address then carries for every dialect.
   */
  addressUpdateNeedsNames?: true;
  /** Payment-method details its view shows: first six digits, holder name, billing postal code and country. */
  showsMethodDetails: ReadonlyArray<'bin' | 'holder' | 'billing'>;
  /** Holder name and billing address it can write on a payment method. */
  writesMethodDetails: ReadonlyArray<'holder' | 'billing'>;
  /** Whether it can delete one address of several (Stax shows and writes only the default one). */
  deletesAddresses: boolean;
  /** Whether it can change a stored card's expiry (Exact has no payment-method update). */
  updatesExpiry: boolean;
  /**
   * How its view marks the default payment method: `pointer-or-earliest` (Maast: exactly one
   * `primary` whenever there are entries, contract §8.1) or `pointer`.
   */
  defaultMethod: 'pointer-or-earliest' | 'pointer';
  /** Maast: deleting the primary entry makes the earliest remaining one the default (contract §8.1). */
  deletingDefaultPromotes: boolean;
}

export interface Driver {
  dialect: DialectId;
  caps: Capabilities;
  createCustomer(input: CustomerInput): Promise<Handle>;
  /** `null` when the dialect answers "not found" (or, for Stax, shows the customer as deleted). */
  readCustomer(handle: Handle): Promise<CustomerView | null>;
  updateCustomer(handle: Handle, change: CustomerChange): Promise<void>;
  /** Changes the address whose `line1` is given. */
  updateAddress(handle: Handle, line1: string, change: AddressChange): Promise<void>;
  /** Deletes the address whose `line1` is given (only when `caps.deletesAddresses`). */
  deleteAddress(handle: Handle, line1: string): Promise<void>;
  addPaymentMethod(handle: Handle, method: PaymentInput): Promise<void>;
  /** Deletes the customer's payment method ending in `last4`. */
  deletePaymentMethod(handle: Handle, last4: string): Promise<void>;
  /** Makes the payment method ending in `last4` the customer's default. */
  setDefaultPaymentMethod(handle: Handle, last4: string): Promise<void>;
  /** Changes a card's expiry (only when `caps.updatesExpiry`). */
  updateExpiry(handle: Handle, last4: string, month: number, year: number): Promise<void>;
  deleteCustomer(handle: Handle): Promise<void>;
}

export interface DriverContext {
  h: Harness;
  tenant: CreatedTenant;
}

export function nullable(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  return String(value);
}

export function byLast4(methods: PaymentMethodView[]): PaymentMethodView[] {
  return [...methods].sort((a, b) => a.last4.localeCompare(b.last4));
}

/** Throws with the answer when a request did not get the status a client expects. */
export function expectStatus(res: { status: number; body: unknown; text?: string }, status: number, what: string): void {
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body) || res.text}`);
}

/** The store's names for a customer (test plumbing: each dialect shows only its own). */
export async function handleOf(ctx: DriverContext, ref: { by: 'id'; id: string } | { by: 'objectId'; objectId: string } | { by: 'vaultId'; vaultId: string }): Promise<Handle> {
  const tenant = await ctx.h.context.tenants.get(ctx.tenant.tenant.id);
  const customer = await ctx.h.context.vault.forTenant(tenant, { dialect: 'stax', actorKeyId: null, requestId: null }).read((session) => session.findCustomer(ref));
  if (!customer) throw new Error(`customer ${JSON.stringify(ref)} not in the store`);
  return { id: customer.id, objectId: customer.objectId, vaultId: customer.vaultId };
}
