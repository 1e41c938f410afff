/** Entity rows ↔ canonical objects. */
import type { Address, Customer, PaymentMethod } from '../model';
import type { AddressEntity, CustomerEntity, PaymentMethodEntity } from './entities';

export function toCustomer(row: CustomerEntity): Customer {
  return {
    seq: row.seq,
    id: row.id,
    objectId: row.objectId,
    tenantId: row.tenantId,
    vaultId: row.vaultId,
    givenName: row.givenName,
    familyName: row.familyName,
    company: row.company,
    email: row.email,
    phone: row.phone,
    description: row.description,
    notes: row.notes,
    reference: row.reference,
    integratorId: row.integratorId,
    flags: row.flags ?? [],
    customFields: row.customFields,
    extensions: row.extensions ?? {},
    defaultBillingAddressSeq: row.defaultBillingAddressSeq,
    defaultShippingAddressSeq: row.defaultShippingAddressSeq,
    defaultPaymentMethodSeq: row.defaultPaymentMethodSeq,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
    purgedAt: row.purgedAt,
  };
}

export function toAddress(row: AddressEntity): Address {
  return {
    seq: row.seq,
    id: row.id,
    objectId: row.objectId,
    customerSeq: row.customerSeq,
    sourceNumber: row.sourceNumber ?? null,
    label: row.label,
    givenName: row.givenName,
    familyName: row.familyName,
    company: row.company,
    line1: row.line1,
    line2: row.line2,
    city: row.city,
    state: row.state,
    postalCode: row.postalCode,
    postalCodeExt: row.postalCodeExt,
    country: row.country,
    countryName: row.countryName,
    countryCode: row.countryCode,
    emails: row.emails ?? [],
    phone: row.phone,
    fax: row.fax,
    isDefault: row.isDefault,
    hash: row.hash,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
  };
}

export function toPaymentMethod(row: PaymentMethodEntity): PaymentMethod {
  return {
    seq: row.seq,
    id: row.id,
    objectId: row.objectId,
    tenantId: row.tenantId,
    vaultRef: row.vaultRef,
    customerSeq: row.customerSeq,
    kind: row.kind as PaymentMethod['kind'],
    brand: row.brand as PaymentMethod['brand'],
    bin: row.bin,
    last4: row.last4,
    numberLength: row.numberLength,
    expMonth: row.expMonth,
    expYear: row.expYear,
    routingNumber: row.routingNumber,
    accountType: row.accountType as PaymentMethod['accountType'],
    holderType: row.holderType as PaymentMethod['holderType'],
    secCode: row.secCode,
    bankName: row.bankName,
    billing: {
      givenName: row.billingGivenName,
      familyName: row.billingFamilyName,
      company: row.billingCompany,
      emails: row.billingEmails ?? [],
      phone: row.billingPhone,
      line1: row.billingLine1,
      line2: row.billingLine2,
      city: row.billingCity,
      state: row.billingState,
      postalCode: row.billingPostalCode,
      postalCodeExt: row.billingPostalCodeExt,
      country: row.billingCountry,
      countryName: row.billingCountryName,
      countryCode: row.billingCountryCode,
    },
    label: row.label,
    flags: row.flags ?? [],
    verifiedAt: row.verifiedAt,
    cvcProvided: row.cvcProvided,
    source: row.source as PaymentMethod['source'],
    attachedAt: row.attachedAt,
    singleUseToken: row.singleUseToken,
    tokenExpiresAt: row.tokenExpiresAt,
    extensions: row.extensions ?? {},
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
    purgedAt: row.purgedAt,
  };
}

const BILLING_COLUMNS = {
  givenName: 'billingGivenName',
  familyName: 'billingFamilyName',
  company: 'billingCompany',
  emails: 'billingEmails',
  phone: 'billingPhone',
  line1: 'billingLine1',
  line2: 'billingLine2',
  city: 'billingCity',
  state: 'billingState',
  postalCode: 'billingPostalCode',
  postalCodeExt: 'billingPostalCodeExt',
  country: 'billingCountry',
  countryName: 'billingCountryName',
  countryCode: 'billingCountryCode',
} as const;

/** Writes the present keys of a partial BillingDetails onto a payment-method row. */
export function applyBilling(row: PaymentMethodEntity, billing: Partial<Record<keyof typeof BILLING_COLUMNS, unknown>>): void {
  for (const [key, column] of Object.entries(BILLING_COLUMNS) as Array<[keyof typeof BILLING_COLUMNS, (typeof BILLING_COLUMNS)[keyof typeof BILLING_COLUMNS]]>) {
    if (!(key in billing) || billing[key] === undefined) continue;
    (row as unknown as Record<string, unknown>)[column] = key === 'emails' ? cleanList(billing[key]) : clean(billing[key]);
  }
}

/** Canonical strings: `""` (and whitespace-free emptiness) is stored as null. */
export function clean(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value);
  return text === '' ? null : text;
}

export function cleanList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item) => item !== null && item !== undefined && item !== '').map(String);
}
