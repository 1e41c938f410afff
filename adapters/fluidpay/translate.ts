/**
 * Pure translation between the FluidPay wire format and the canonical model (contract §4.0, §6).
 * Reads never decrypt: masks come from the stored bin / last4 / length.
 */
import { maskNumber } from '../../core/cards';
import { isoTimestamp } from '../../core/time';
import { objectIdToXid, xidToObjectId } from '../../core/ids';
import type { Address, AddressFields, CustomerAggregate, PaymentMethod } from '../../core/model';
import type { AddressPatch, NewAddress } from '../../core/vault/commands';
import type { AddressInput } from './inputs';

// ---------------------------------------------------------------- wire types (responses)

export interface WireAddress {
  id: string;
  first_name: string;
  last_name: string;
  company: string;
  line_1: string;
  line_2: string;
  city: string;
  state: string;
  postal_code: string;
  country: string;
  email: string;
  phone: string;
  fax: string;
  hash: string;
}

export interface WireCard {
  id: string;
  card_type: string;
  masked_number: string;
  expiration_date: string;
  flags: string[];
  processor_id: string;
}

export interface WireAch {
  id: string;
  account_type: string;
  sec_code: string;
  masked_account_number: string;
  routing_number: string;
  flags: string[];
  processor_id: string;
}

export interface WireDefaults {
  billing_address_id: string;
  shipping_address_id: string;
  payment_method_id: string;
  payment_method_type: '' | 'card' | 'ach';
}

export interface WireCustomer {
  addresses: WireAddress[];
  defaults: WireDefaults;
  description: string;
  notes: string;
  flags: string[];
  payments: { cards: WireCard[]; ach: WireAch[] };
}

export interface WireRecord {
  id: string;
  owner_id: string;
  data: { customer: WireCustomer };
  created_at: string;
  updated_at: string;
  created_address_id?: string;
  created_payment_method_id?: string;
}

// ---------------------------------------------------------------- ids and formats

/** FluidPay shows every address and payment method by the xid form of its object id. */
export const xidOf = (record: { objectId: string }): string => objectIdToXid(record.objectId);

/** The object id an xid names, or null when the text is not an xid (so it cannot name anything). */
export const objectIdOfXid = (xid: string): string | null => xidToObjectId(xid);

/** RFC 3339, UTC, milliseconds (§6.5). */
export const timestamp = (ms: number): string => isoTimestamp(ms);

const two = (n: number): string => String(n % 100).padStart(2, '0');

/** `MM/YY` (§6.4); `""` when the store holds no expiry (a card written by a dialect without one). */
export function expirationDate(pm: PaymentMethod): string {
  return pm.expMonth !== null && pm.expYear !== null ? `${two(pm.expMonth)}/${two(pm.expYear)}` : '';
}

// ---------------------------------------------------------------- canonical → wire

export function toWireAddress(address: Address): WireAddress {
  return {
    id: xidOf(address),
    first_name: address.givenName ?? '',
    last_name: address.familyName ?? '',
    company: address.company ?? '',
    line_1: address.line1 ?? '',
    line_2: address.line2 ?? '',
    city: address.city ?? '',
    state: address.state ?? '',
    postal_code: address.postalCode ?? '',
    country: address.country ?? '',
    email: address.emails[0] ?? '',
    phone: address.phone ?? '',
    fax: address.fax ?? '',
    hash: address.hash,
  };
}

export function toWireCard(pm: PaymentMethod): WireCard {
  return {
    id: xidOf(pm),
    card_type: pm.brand ?? 'unknown',
    masked_number: maskNumber(pm.bin ?? '', pm.last4, pm.numberLength, '*'),
    expiration_date: expirationDate(pm),
    flags: [...pm.flags],
    processor_id: '',
  };
}

export function toWireAch(pm: PaymentMethod): WireAch {
  return {
    id: xidOf(pm),
    account_type: pm.accountType ?? '',
    sec_code: (pm.secCode ?? '').toLowerCase(),
    masked_account_number: maskNumber('', pm.last4, pm.numberLength, 'X'),
    routing_number: pm.routingNumber ?? '',
    flags: [...pm.flags],
    processor_id: '',
  };
}

export function toWireRecord(customer: CustomerAggregate, ownerId: string): WireRecord {
  const addressXid = (seq: number | null): string => {
    const address = seq === null ? undefined : customer.addresses.find((candidate) => candidate.seq === seq);
    return address ? xidOf(address) : '';
  };
  const defaultMethod = customer.defaultPaymentMethodSeq === null ? undefined : customer.paymentMethods.find((pm) => pm.seq === customer.defaultPaymentMethodSeq);
  return {
    id: customer.vaultId,
    owner_id: ownerId,
    data: {
      customer: {
        addresses: customer.addresses.map(toWireAddress),
        defaults: {
          billing_address_id: addressXid(customer.defaultBillingAddressSeq),
          shipping_address_id: addressXid(customer.defaultShippingAddressSeq),
          payment_method_id: defaultMethod ? xidOf(defaultMethod) : '',
          payment_method_type: defaultMethod ? defaultMethod.kind : '',
        },
        description: customer.description ?? '',
        notes: customer.notes ?? '',
        flags: [...customer.flags],
        payments: {
          cards: customer.paymentMethods.filter((pm) => pm.kind === 'card').map(toWireCard),
          ach: customer.paymentMethods.filter((pm) => pm.kind === 'ach').map(toWireAch),
        },
      },
    },
    created_at: timestamp(customer.createdAt),
    updated_at: timestamp(customer.updatedAt),
  };
}

// ---------------------------------------------------------------- wire → canonical

const orNull = (value: string | undefined): string | null => (value === undefined || value === '' ? null : value);

/** A new address from a FluidPay address input (every one of the twelve fields set, unset = null). */
export function toNewAddress(input: AddressInput): NewAddress {
  return {
    givenName: orNull(input.first_name),
    familyName: orNull(input.last_name),
    company: orNull(input.company),
    line1: orNull(input.line_1),
    line2: orNull(input.line_2),
    city: orNull(input.city),
    state: orNull(input.state),
    postalCode: orNull(input.postal_code),
    country: orNull(input.country),
    emails: input.email ? [input.email] : [],
    phone: orNull(input.phone),
    fax: orNull(input.fax),
  };
}

/**
 * The patch for an address update: only the fields present. FluidPay shows one e-mail, the first of
 * the canonical list; setting it replaces that first entry and keeps the others (another dialect's
 * extra billing e-mails), clearing it empties the list. Changing the postal code drops a ZIP+4 kept
 * apart (Maast `shipping_zip4`); changing the country drops the free-text
 * country name and code another dialect (Maast) may have stored, which would otherwise contradict it.
 */
export function toAddressPatch(input: AddressInput, current: Address): AddressPatch {
  const patch: AddressPatch = {};
  if (input.first_name !== undefined) patch.givenName = orNull(input.first_name);
  if (input.last_name !== undefined) patch.familyName = orNull(input.last_name);
  if (input.company !== undefined) patch.company = orNull(input.company);
  if (input.line_1 !== undefined) patch.line1 = orNull(input.line_1);
  if (input.line_2 !== undefined) patch.line2 = orNull(input.line_2);
  if (input.city !== undefined) patch.city = orNull(input.city);
  if (input.state !== undefined) patch.state = orNull(input.state);
  if (input.postal_code !== undefined) {
    patch.postalCode = orNull(input.postal_code);
    // A ZIP+4 extension kept apart by Maast belongs to the old postal code (Exact clears it the same way).
    if (patch.postalCode !== current.postalCode) patch.postalCodeExt = null;
  }
  if (input.country !== undefined) {
    const country = orNull(input.country);
    patch.country = country;
    if (country !== current.country) {
      patch.countryName = null;
      patch.countryCode = null;
    }
  }
  if (input.email !== undefined) {
    patch.emails = input.email === '' ? [] : [input.email, ...current.emails.slice(1).filter((email) => email !== input.email)];
  }
  if (input.phone !== undefined) patch.phone = orNull(input.phone);
  if (input.fax !== undefined) patch.fax = orNull(input.fax);
  return patch;
}

/** The address fields after a patch (for the duplicate check before writing). */
export function patchedAddressFields(current: Address, patch: AddressPatch): Partial<AddressFields> {
  return { ...addressFieldsOf(current), ...patch };
}

export function addressFieldsOf(address: Address): Partial<AddressFields> {
  const { givenName, familyName, company, line1, line2, city, state, postalCode, country, emails, phone, fax } = address;
  return { givenName, familyName, company, line1, line2, city, state, postalCode, country, emails, phone, fax };
}

/** True when the twelve fields FluidPay shows are all empty. */
export function isEmptyAddressFields(fields: Partial<AddressFields>): boolean {
  const strings = [fields.givenName, fields.familyName, fields.company, fields.line1, fields.line2, fields.city, fields.state, fields.postalCode, fields.country, fields.phone, fields.fax];
  return strings.every((value) => value === null || value === undefined || value === '') && (fields.emails ?? []).length === 0;
}
