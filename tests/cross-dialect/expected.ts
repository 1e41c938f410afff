/**
 * What the store should hold after each step of a scenario, and what a given dialect should show of
 * it. The rules are the dialects' documented contracts (docs/dialects/*.md), stated once here so
 * the matrix itself is plain loops.
 */
import {
  CUSTOMER_FIELDS,
  type AddressChange,
  type Capabilities,
  type CustomerChange,
  type CustomerField,
  type CustomerInput,
  type CustomerView,
  type PaymentInput,
} from './drivers/types';

export interface StoredAddress {
  line1: string;
  line2: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
  givenName: string | null;
  familyName: string | null;
  company: string | null;
  postalCodeExt: string | null;
  email: string | null;
  phone: string | null;
}

export interface StoredMethod {
  kind: 'card' | 'ach';
  last4: string;
  bin: string | null;
  brand: string | null;
  expMonth: number | null;
  expYear: number | null;
  holder: string | null;
  billingPostalCode: string | null;
  billingCountry: string | null;
}

export interface Stored {
  fields: Record<CustomerField, unknown>;
  developerId: string | null;
  ccEmails: string[];
  addresses: StoredAddress[];
  /** Index of the customer's default address, `null` when no pointer is set. */
  defaultAddress: number | null;
  methods: StoredMethod[];
  defaultMethod: string | null;
}

const BRAND_OF: Record<string, string> = { '4': 'visa', '5': 'mastercard', '3': 'amex', '6': 'discover' };

/** The state a create through `writer` leaves: what it could express, nothing else. */
export function afterCreate(input: CustomerInput, writer: Capabilities): Stored {
  const fields = {} as Record<CustomerField, unknown>;
  for (const field of CUSTOMER_FIELDS) {
    const empty = field === 'customFields' ? [] : null;
    fields[field] = writer.creates.includes(field) ? input[field] : empty;
  }
  const written = writer.writesAddresses === 'all' ? input.addresses : [input.addresses[input.defaultAddress]];
  return {
    fields,
    developerId: writer.extras.includes('developerId') ? input.extras.developerId : null,
    ccEmails: writer.extras.includes('ccEmails') ? input.extras.ccEmails : [],
    addresses: written.map((a, i) => ({
      line1: a.line1,
      line2: a.line2,
      city: a.city,
      state: a.state,
      postalCode: a.postalCode,
      country: a.country,
      givenName: writer.addressNames ? a.givenName : null,
      familyName: writer.addressNames ? a.familyName : null,
      company: writer.addressNames ? a.company : null,
      postalCodeExt: writer.addressZip4 === 'write' ? a.postalCodeExt : null,
      // FluidPay's create puts the customer's e-mail and phone on its billing address, the first one.
      email: writer.addressContacts && i === 0 ? input.email : null,
      phone: writer.addressContacts && i === 0 ? input.phone : null,
    })),
    defaultAddress: !writer.setsDefaultAddress ? null : writer.writesAddresses === 'all' ? input.defaultAddress : 0,
    methods: [],
    defaultMethod: null,
  };
}

/** Every dialect makes the first payment method of a customer without a default its default. */
export function afterAddingMethod(state: Stored, method: PaymentInput, writer: Capabilities): Stored {
  const details = {
    holder: writer.writesMethodDetails.includes('holder') ? `${method.holderGiven} ${method.holderFamily}` : null,
    billingPostalCode: writer.writesMethodDetails.includes('billing') ? method.billing.postalCode : null,
    billingCountry: writer.writesMethodDetails.includes('billing') ? method.billing.country : null,
  };
  const stored: StoredMethod =
    method.kind === 'card'
      ? {
          kind: 'card',
          last4: method.number.slice(-4),
          bin: method.number.slice(0, 6),
          brand: BRAND_OF[method.number[0]] ?? null,
          expMonth: method.expMonth,
          expYear: method.expYear,
          ...details,
        }
      : { kind: 'ach', last4: method.accountNumber.slice(-4), bin: null, brand: null, expMonth: null, expYear: null, ...details };
  return { ...state, methods: [...state.methods, stored], defaultMethod: state.defaultMethod ?? stored.last4 };
}

export function afterDefaultMoved(state: Stored, last4: string): Stored {
  return { ...state, defaultMethod: last4 };
}

export function afterExpiryChange(state: Stored, last4: string, expMonth: number, expYear: number): Stored {
  return { ...state, methods: state.methods.map((m) => (m.last4 === last4 ? { ...m, expMonth, expYear } : m)) };
}

/** An update through `updater` changes exactly the fields it can express. */
export function afterUpdate(state: Stored, change: CustomerChange, updater: Capabilities): Stored {
  const fields = { ...state.fields };
  for (const [field, value] of Object.entries(change) as Array<[CustomerField, unknown]>) {
    if (updater.updates.includes(field)) fields[field] = value;
  }
  return { ...state, fields };
}

/** The address every dialect can reach: the default, else the first (the one Stax shows as `address_*`). */
export function reachableAddress(state: Stored): number {
  return state.defaultAddress ?? 0;
}

export function afterAddressChange(state: Stored, index: number, change: AddressChange, updater: Capabilities): Stored {
  const names = (a: StoredAddress) =>
    updater.addressUpdateNeedsNames && a.givenName === null && a.familyName === null
      ? { givenName: state.fields.givenName as string | null, familyName: state.fields.familyName as string | null }
      : {};
  // A ZIP+4 kept apart belongs to the postal code it was given with: a dialect that changes the postal
  // code without knowing of extensions drops it. Maast keeps it (absent fields are unchanged, §4.13).
  const ext = (a: StoredAddress) => (updater.addressZip4 !== 'write' && change.postalCode !== a.postalCode ? { postalCodeExt: null } : {});
  return { ...state, addresses: state.addresses.map((a, i) => (i === index ? { ...a, ...names(a), ...ext(a), ...change } : a)) };
}

/** Removes a non-default address; the default pointer follows its address. */
export function afterAddressDeleted(state: Stored, index: number): Stored {
  if (index === state.defaultAddress) throw new Error('the matrix deletes only a non-default address');
  const addresses = state.addresses.filter((_, i) => i !== index);
  const defaultAddress = state.defaultAddress === null ? null : state.defaultAddress > index ? state.defaultAddress - 1 : state.defaultAddress;
  return { ...state, addresses, defaultAddress };
}

/** Deleting the default clears the pointer, except through Maast, which promotes the earliest remaining method. */
export function afterMethodDeleted(state: Stored, last4: string, deleter: Capabilities): Stored {
  const methods = state.methods.filter((m) => m.last4 !== last4);
  const lostDefault = state.defaultMethod === last4;
  const defaultMethod = !lostDefault ? state.defaultMethod : deleter.deletingDefaultPromotes ? (methods[0]?.last4 ?? null) : null;
  return { ...state, methods, defaultMethod };
}

/** What `reader` shows of the stored state, in its normalised view. */
export function viewOf(state: Stored, reader: Capabilities): CustomerView {
  const view: CustomerView = { addresses: [], paymentMethods: [] };
  for (const field of reader.shows) (view as unknown as Record<string, unknown>)[field] = state.fields[field];
  if (reader.extras.includes('developerId')) view.developerId = state.developerId;
  if (reader.extras.includes('ccEmails')) view.ccEmails = state.ccEmails;

  const shownDefault = reader.defaultAddress === 'pointer-or-earliest' ? reachableAddress(state) : state.defaultAddress;
  const addressView = (a: StoredAddress, i: number) => ({
    line1: a.line1,
    line2: a.line2,
    city: a.city,
    state: a.state,
    postalCode: a.postalCode,
    country: a.country,
    ...(reader.addressNames ? { givenName: a.givenName, familyName: a.familyName, company: a.company } : {}),
    ...(reader.addressZip4 ? { postalCodeExt: a.postalCodeExt } : {}),
    ...(reader.addressContacts ? { email: a.email, phone: a.phone } : {}),
    ...(reader.defaultAddress === 'none' ? {} : { isDefault: i === shownDefault }),
  });
  if (reader.showsAddresses === 'all') view.addresses = state.addresses.map(addressView);
  else if (state.addresses.length > 0) view.addresses = [addressView(state.addresses[reachableAddress(state)], reachableAddress(state))];

  const shownMethod = reader.defaultMethod === 'pointer-or-earliest' ? (state.defaultMethod ?? state.methods[0]?.last4) : state.defaultMethod;
  const shows = reader.showsMethodDetails;
  view.paymentMethods = [...state.methods]
    .sort((a, b) => a.last4.localeCompare(b.last4))
    .map((m) => ({
      kind: m.kind,
      last4: m.last4,
      ...(shows.includes('bin') ? { bin: m.bin } : {}),
      brand: m.brand,
      expMonth: m.expMonth,
      expYear: m.expYear,
      ...(shows.includes('holder') ? { holder: m.holder } : {}),
      ...(shows.includes('billing') ? { billingPostalCode: m.billingPostalCode, billingCountry: m.billingCountry } : {}),
      isDefault: m.last4 === shownMethod,
    }));
  return view;
}
