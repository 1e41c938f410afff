/**
 * The commands the core offers to adapters. An adapter never touches TypeORM: it opens a read or a
 * write on a TenantVault and calls these methods on the session it is handed. A write runs in one
 * transaction (with the customer rows it loads `forUpdate` locked) and records one audit event in
 * the same transaction.
 */
import type { IdempotencyFence } from '../idempotencyFence';
import type {
  AchAccountType,
  AchHolderType,
  Address,
  AddressFields,
  BillingDetails,
  Customer,
  CustomerAggregate,
  CustomerFields,
  DialectId,
  PaymentMethod,
  Tenant,
} from '../model';

/** How a dialect names a customer. */
export type CustomerRef =
  | { by: 'seq'; seq: number }
  | { by: 'id'; id: string } // UUID, case-insensitive
  | { by: 'objectId'; objectId: string } // 24 hex, case-insensitive
  | { by: 'vaultId'; vaultId: string }; // exact, case-sensitive; live customers only

export type PaymentMethodRef =
  | { by: 'seq'; seq: number }
  | { by: 'id'; id: string }
  | { by: 'objectId'; objectId: string }
  | { by: 'vaultRef'; vaultRef: string } // exact; live methods only
  | { by: 'singleUseToken'; token: string };

export type AddressRef = { by: 'seq'; seq: number } | { by: 'id'; id: string } | { by: 'objectId'; objectId: string };

export interface FindOptions {
  /** Also return soft-deleted records (never purged ones). */
  includeDeleted?: boolean;
  /** Lock the row for the rest of the write transaction (serialises concurrent writes on one customer). */
  forUpdate?: boolean;
}

export interface LoadOptions extends FindOptions {
  /**
   * `addresses`: read the addresses only, for an answer that shows no payment methods (Exact and
   * Stax customers); the aggregate's `paymentMethods` is then empty, not the customer's. Default: both.
   */
  details?: 'all' | 'addresses';
}

/**
 * Ids and times a record keeps from the store it was imported from, in place of new ones (see
 * docs/migration.md). The importer checks beforehand that no record of the tenant holds them.
 */
export interface KeptIdentity {
  id?: string;
  objectId?: string;
  createdAt?: number;
  updatedAt?: number;
  deletedAt?: number | null;
}

export interface NewCustomer extends Partial<CustomerFields> {
  kept?: KeptIdentity;
  /** The merchant-chosen id; omitted: the customer's xid is used. */
  vaultId?: string;
  /** Build the vault id from the new object id (FluidPay `id_format`), e.g. `(xid) => xid + '_visa_1111'`. */
  vaultIdFromXid?: (xid: string) => string;
}

export type CustomerPatch = Partial<CustomerFields> & {
  defaultBillingAddressSeq?: number | null;
  defaultShippingAddressSeq?: number | null;
  defaultPaymentMethodSeq?: number | null;
};

export type NewAddress = Partial<AddressFields> & { kept?: KeptIdentity & { sourceNumber?: number } };
export type AddressPatch = Partial<AddressFields>;

export interface NewCard {
  /** Digits only. Luhn and brand are the adapter's checks (rules differ per dialect); the core derives brand, BIN, mask data. */
  pan: string;
  expMonth: number | null;
  expYear: number | null;
  cvcProvided?: boolean;
}

export interface NewAch {
  accountNumber: string;
  routingNumber: string;
  accountType: AchAccountType | null;
  holderType?: AchHolderType | null;
  secCode?: string | null;
  bankName?: string | null;
}

export interface NewPaymentMethod {
  customerSeq: number | null;
  card?: NewCard;
  ach?: NewAch;
  billing?: Partial<BillingDetails>;
  label?: string | null;
  flags?: string[];
  /** Maast `card_id` to keep; ignored (a fresh one is used) when another live method of the tenant has it. */
  vaultRef?: string;
  verifiedAt?: number | null;
  source?: PaymentMethod['source'];
  /** FluidPay tokenizer: issue as an unattached single-use token with this lifetime. */
  singleUseTokenTtlMs?: number;
  extensions?: PaymentMethod['extensions'];
  /** Import: kept ids and times; `vaultRef` is then kept as given (the importer checked it is free). */
  kept?: KeptIdentity & { attachedAt?: number | null };
}

export interface PaymentMethodPatch {
  expMonth?: number | null;
  expYear?: number | null;
  billing?: Partial<BillingDetails>;
  label?: string | null;
  flags?: string[];
  verifiedAt?: number | null;
  accountType?: AchAccountType | null;
  holderType?: AchHolderType | null;
  secCode?: string | null;
  bankName?: string | null;
  extensions?: PaymentMethod['extensions'];
  /** Replace the card number (re-encrypted; brand, BIN, last four, length and fingerprint recomputed). Cards only. */
  card?: { pan: string };
  /** Replace the bank account number and/or routing number (re-encrypted; facts recomputed). ACH only. */
  ach?: { accountNumber?: string; routingNumber?: string };
}

/** Canonical customer fields a list can filter and sort on. */
export type CustomerField =
  | 'seq'
  | 'id'
  | 'objectId'
  | 'vaultId'
  | 'givenName'
  | 'familyName'
  | 'company'
  | 'email'
  | 'phone'
  | 'description'
  | 'notes'
  | 'reference'
  | 'integratorId'
  | 'createdAt'
  | 'updatedAt'
  | 'deletedAt'
  | 'defaultBillingAddressSeq'
  | 'defaultShippingAddressSeq'
  | 'defaultPaymentMethodSeq'
  /** Pseudo field: given name, one space, family name (unset parts as ""). Filter/sort only. */
  | 'fullName';

export type AddressField = 'givenName' | 'familyName' | 'company' | 'line1' | 'line2' | 'city' | 'state' | 'postalCode' | 'country' | 'email' | 'phone' | 'fax';

/**
 * Conditions of a customer list. String fields treat unset as `""` (so `eq ''` matches unset and
 * `ne 'x'` matches unset). Comparisons are by code point (case-sensitive) unless `caseInsensitive`.
 * On the nullable integer fields (`default*Seq`, `deletedAt`), `eq ''` / `ne ''` mean IS NULL / IS NOT NULL.
 */
export type CustomerCondition =
  | { field: CustomerField; op: 'eq' | 'ne' | 'gt' | 'lt' | 'gte' | 'lte' | 'contains'; value: string | number; caseInsensitive?: boolean }
  | { field: CustomerField; op: 'in'; values: Array<string | number>; caseInsensitive?: boolean }
  | { field: CustomerField; op: 'between'; from: string | number; to: string | number }
  /** Any live address of the customer matches (`eq`), or none does (`ne`). */
  | { address: AddressField; op: 'eq' | 'ne'; value: string; caseInsensitive?: boolean }
  /** At least one of the alternatives holds (e.g. Stax `keywords[]` over several fields). */
  | { anyOf: CustomerCondition[] }
  /** Every one of the conditions holds (a branch of an `anyOf` that needs two columns). */
  | { allOf: CustomerCondition[] }
  /** Customers that have at least one live payment method of this kind (`ne`: none). */
  | { paymentKind: 'card' | 'ach'; op: 'eq' | 'ne' }
  /** The kind of the customer's default payment method equals (`eq`) or differs from (`ne`) this; `null` = no default. */
  | { defaultPaymentKind: 'card' | 'ach' | null; op: 'eq' | 'ne' };

export interface CustomerQuery {
  where?: CustomerCondition[];
  /** Applied in order; `seq` in the direction of the first key is always added as the last tie-breaker unless listed. */
  sort?: Array<{ field: CustomerField; dir: 'asc' | 'desc'; caseInsensitive?: boolean }>;
  limit: number;
  offset?: number;
  includeDeleted?: boolean;
  /**
   * Load addresses and payment methods (in two extra queries, never one per customer), `addresses`
   * for the addresses only (a dialect whose customer shows no payment methods). Default true.
   */
  withDetails?: boolean | 'addresses';
}

export interface CustomerPage {
  items: CustomerAggregate[];
  total: number;
}

export interface VaultSession {
  readonly tenant: Tenant;

  // customers
  findCustomer(ref: CustomerRef, options?: FindOptions): Promise<Customer | null>;
  /** The customer with its live addresses and payment methods; null when unknown. */
  loadCustomer(ref: CustomerRef, options?: LoadOptions): Promise<CustomerAggregate | null>;
  listCustomers(query: CustomerQuery): Promise<CustomerPage>;
  isVaultIdTaken(vaultId: string): Promise<boolean>;
  createCustomer(input: NewCustomer): Promise<Customer>;
  /**
   * `touch: false` leaves `updatedAt` alone (Exact: moving the default payment method does not
   * change the customer's `updatedAt`). Default: every update sets it.
   */
  updateCustomer(seq: number, patch: CustomerPatch, options?: { touch?: boolean }): Promise<Customer>;
  /** Bump `updatedAt` (a write to a sub-resource changes the customer's `updatedAt` in some dialects). */
  touchCustomer(seq: number): Promise<void>;
  /**
   * `soft`: set the delete mark, keep links and secrets (Exact, Stax; restorable).
   * `purge`: the customer, its addresses and payment methods are gone for good; card and account numbers are destroyed (Maast, FluidPay).
   */
  deleteCustomer(seq: number, mode: 'soft' | 'purge'): Promise<void>;
  restoreCustomer(seq: number): Promise<Customer>;

  // addresses
  findAddress(ref: AddressRef, options?: FindOptions): Promise<Address | null>;
  listAddresses(customerSeq: number): Promise<Address[]>;
  addAddress(customerSeq: number, input: NewAddress): Promise<Address>;
  updateAddress(seq: number, patch: AddressPatch): Promise<Address>;
  /** Removes the address and clears any customer default that pointed at it. */
  deleteAddress(seq: number): Promise<void>;
  /** The keyed hash the core would give these address fields (FluidPay duplicate check before writing). */
  addressHash(fields: Partial<AddressFields>): string;

  // payment methods
  findPaymentMethod(ref: PaymentMethodRef, options?: FindOptions): Promise<PaymentMethod | null>;
  /** Live methods of one customer, in creation order. */
  listPaymentMethods(customerSeq: number): Promise<PaymentMethod[]>;
  /** Whether the customer already holds a live method with this card number / bank account (keyed fingerprint). */
  hasSameNumber(customerSeq: number, number: { pan: string } | { routingNumber: string; accountNumber: string }, exceptSeq?: number): Promise<boolean>;
  addPaymentMethod(input: NewPaymentMethod): Promise<PaymentMethod>;
  updatePaymentMethod(seq: number, patch: PaymentMethodPatch): Promise<PaymentMethod>;
  /** Attach to a customer (or detach with null); sets `attachedAt`. Clears the single-use token. */
  attachPaymentMethod(seq: number, customerSeq: number | null): Promise<PaymentMethod>;
  /**
   * Moves the number of `sourceSeq` (an unattached single-use-token method of this tenant, of the same kind)
   * onto `targetSeq` with its facts (cards: brand, BIN, last four, expiry; ACH: routing number, account type,
   * SEC code), then purges `sourceSeq` so its token can never be used again. The target keeps its ids,
   * position, flags, label and default status.
   */
  replaceFromToken(targetSeq: number, sourceSeq: number): Promise<PaymentMethod>;
  /** `soft`: mark deleted, keep the secret. `purge`: mark deleted and destroy the secret. Clears a customer default pointing at it. */
  deletePaymentMethod(seq: number, mode: 'soft' | 'purge'): Promise<void>;
  /**
   * Runs a check on a stored number inside the core and returns only its yes/no answer (the sandbox
   * decline list on a re-verification that carries no number). False when the number was destroyed.
   */
  testStoredNumber(seq: number, predicate: (number: string) => boolean): Promise<boolean>;
}

export interface AuditContext {
  dialect: DialectId | 'admin' | 'cli';
  actorKeyId: string | null;
  requestId: string | null;
}

/** Who acts (for the audit trail) and, inside an HTTP request, the request's limits. */
export interface RequestContext extends AuditContext {
  /** When the request's database calls must have ended (epoch ms); each call also has the store's own limit. */
  deadline?: number;
  /** The request's Idempotency-Key record, claimed by each of its write transactions (core/idempotencyFence.ts). */
  idempotencyFence?: IdempotencyFence;
}

export interface TenantVault {
  readonly tenant: Tenant;
  read<T>(work: (session: VaultSession) => Promise<T>): Promise<T>;
  /**
   * Runs `work` in one transaction and records one audit event (`operation`, the ids it touched,
   * the outcome) in the same transaction. A thrown error rolls everything back.
   */
  write<T>(operation: string, work: (session: VaultSession) => Promise<T>): Promise<T>;
}

export type { Address, Customer, CustomerAggregate, PaymentMethod };
