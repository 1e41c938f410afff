/**
 * Search (contract §4.3): the body's filters, read in table order, then turned into the core's
 * canonical list conditions. Ids that FluidPay shows (address ids, payment method ids, default
 * pointers) are resolved to the store's integer keys first, so the core filters on indexed columns.
 */
import type { AddressField, CustomerCondition, CustomerQuery } from '../../core/vault/commands';
import { invalidField } from './errors';
import { FieldReader, type JsonObject } from './fields';

export type Operator = 'eq' | 'ne';
export interface StringFilter {
  op: Operator;
  value: string;
}

/** Address-based filters and the canonical address field each compares with. */
export const ADDRESS_FILTERS: ReadonlyArray<readonly [string, AddressField]> = [
  ['first_name', 'givenName'],
  ['last_name', 'familyName'],
  ['company', 'company'],
  ['address_line_1', 'line1'],
  ['address_line_2', 'line2'],
  ['city', 'city'],
  ['state', 'state'],
  ['postal_code', 'postalCode'],
  ['country', 'country'],
  ['email', 'email'],
  ['phone', 'phone'],
  ['fax', 'fax'],
];

export interface SearchInput {
  id?: StringFilter;
  addressId?: StringFilter;
  address: Array<{ field: AddressField; filter: StringFilter }>;
  paymentMethodType?: StringFilter;
  paymentMethodId?: StringFilter;
  billingAddressId?: StringFilter;
  shippingAddressId?: StringFilter;
  description?: StringFilter;
  notes?: StringFilter;
  createdAt: { from?: number; to?: number };
  updatedAt: { from?: number; to?: number };
  limit: number;
  offset: number;
}

function readFilter(reader: FieldReader, key: string): StringFilter | undefined {
  const filter = reader.object_(key);
  if (!filter) return undefined;
  const operator = filter.string('operator') ?? '';
  const value = filter.string('value') ?? '';
  if (operator === '' && value === '') return undefined; // the documented defaults: no filter
  if (operator === '' || operator === '=') return { op: 'eq', value };
  if (operator === '!=') return { op: 'ne', value };
  throw invalidField(filter.path('operator'), 'invalid operator');
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validCalendarDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** RFC 3339 or `YYYY-MM-DD` (start of day for a start, last millisecond of the day for an end). */
export function parseSearchDate(value: string, edge: 'start' | 'end'): number | null {
  const day = CALENDAR_DATE.exec(value);
  if (day) {
    const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
    if (!validCalendarDay(year, month, date)) return null;
    const start = Date.UTC(year, month - 1, date);
    return edge === 'start' ? start : start + 86_400_000 - 1;
  }
  const stamp = RFC3339.exec(value);
  if (!stamp) return null;
  const [year, month, date, hour, minute, second] = stamp.slice(1, 7).map(Number);
  if (!validCalendarDay(year, month, date) || hour > 23 || minute > 59 || second > 60) return null;
  const ms = Date.parse(value.replace(' ', 'T'));
  return Number.isNaN(ms) ? null : ms;
}

function readDates(reader: FieldReader, key: string): { from?: number; to?: number } {
  const range = reader.object_(key);
  if (!range) return {};
  const out: { from?: number; to?: number } = {};
  for (const [field, edge] of [
    ['start_date', 'start'],
    ['end_date', 'end'],
  ] as const) {
    const text = range.string(field);
    if (text === undefined || text === '') continue;
    const ms = parseSearchDate(text, edge);
    if (ms === null) throw invalidField(range.path(field), 'invalid date');
    if (edge === 'start') out.from = ms;
    else out.to = ms;
  }
  return out;
}

export const DEFAULT_LIMIT = 10;

export function readSearch(body: JsonObject): SearchInput {
  const reader = new FieldReader(body);
  const input: SearchInput = { address: [], createdAt: {}, updatedAt: {}, limit: DEFAULT_LIMIT, offset: 0 };
  input.id = readFilter(reader, 'id');
  input.addressId = readFilter(reader, 'address_id');
  for (const [key, field] of ADDRESS_FILTERS) {
    const filter = readFilter(reader, key);
    if (filter) input.address.push({ field, filter });
  }
  input.paymentMethodType = readFilter(reader, 'payment_method_type');
  input.paymentMethodId = readFilter(reader, 'payment_method_id');
  input.billingAddressId = readFilter(reader, 'billing_address_id');
  input.shippingAddressId = readFilter(reader, 'shipping_address_id');
  input.description = readFilter(reader, 'description');
  input.notes = readFilter(reader, 'notes');
  input.createdAt = readDates(reader, 'created_at');
  input.updatedAt = readDates(reader, 'updated_at');
  const limit = reader.integer('limit');
  if (limit !== undefined) {
    if (limit < 0 || limit > 100) throw invalidField('limit', 'must be between 1 and 100');
    if (limit > 0) input.limit = limit;
  }
  const offset = reader.integer('offset');
  if (offset !== undefined) {
    if (offset < 0 || offset > 1000) throw invalidField('offset', 'must be between 0 and 1000');
    input.offset = offset;
  }
  return input;
}

/** Resolves FluidPay ids (xids) to the store's integer keys; null when no live object of the tenant has it. */
export interface SearchResolver {
  /** The address's seq and its customer's seq. */
  address(id: string): Promise<{ seq: number; customerSeq: number } | null>;
  /** The attached payment method's customer seq. */
  paymentMethodCustomer(id: string): Promise<number | null>;
}

/** A condition no customer satisfies (seq values start at 1). */
const NOTHING: CustomerCondition = { field: 'seq', op: 'eq', value: 0 };

/**
 * `=` on an id that names nothing matches no customer; `!=` on it matches every customer (so adds no
 * condition). `value` is the resolved key, or null when unresolved.
 */
function idCondition(field: 'seq' | 'defaultBillingAddressSeq' | 'defaultShippingAddressSeq', filter: StringFilter, value: number | null): CustomerCondition[] {
  if (value === null) return filter.op === 'eq' ? [NOTHING] : [];
  // `!=` on a default pointer also matches customers with no default at all (SQL `<>` would drop NULLs).
  if (filter.op === 'ne' && field !== 'seq') return [{ anyOf: [{ field, op: 'ne', value }, { field, op: 'eq', value: '' }] }];
  return [{ field, op: filter.op, value }];
}

export async function toCustomerQuery(input: SearchInput, resolve: SearchResolver): Promise<CustomerQuery> {
  const where: CustomerCondition[] = [];
  if (input.id) where.push({ field: 'vaultId', op: input.id.op, value: input.id.value });
  if (input.addressId) {
    const address = input.addressId.value === '' ? null : await resolve.address(input.addressId.value);
    where.push(...idCondition('seq', input.addressId, address?.customerSeq ?? null));
  }
  for (const { field, filter } of input.address) where.push({ address: field, op: filter.op, value: filter.value });
  if (input.paymentMethodType) {
    // Compared with `defaults.payment_method_type`: the kind of the default method, "" = no default.
    const { op, value } = input.paymentMethodType;
    if (value === 'card' || value === 'ach' || value === '') where.push({ defaultPaymentKind: value === '' ? null : value, op });
    else if (op === 'eq') where.push(NOTHING);
  }
  if (input.paymentMethodId) {
    const customerSeq = input.paymentMethodId.value === '' ? null : await resolve.paymentMethodCustomer(input.paymentMethodId.value);
    where.push(...idCondition('seq', input.paymentMethodId, customerSeq));
  }
  for (const [filter, field] of [
    [input.billingAddressId, 'defaultBillingAddressSeq'],
    [input.shippingAddressId, 'defaultShippingAddressSeq'],
  ] as const) {
    if (!filter) continue;
    if (filter.value === '') {
      where.push({ field, op: filter.op, value: '' });
      continue;
    }
    const address = await resolve.address(filter.value);
    where.push(...idCondition(field, filter, address?.seq ?? null));
  }
  if (input.description) where.push({ field: 'description', op: input.description.op, value: input.description.value });
  if (input.notes) where.push({ field: 'notes', op: input.notes.op, value: input.notes.value });
  for (const [range, field] of [
    [input.createdAt, 'createdAt'],
    [input.updatedAt, 'updatedAt'],
  ] as const) {
    if (range.from !== undefined) where.push({ field, op: 'gte', value: range.from });
    if (range.to !== undefined) where.push({ field, op: 'lte', value: range.to });
  }
  return {
    where,
    sort: [{ field: 'createdAt', dir: 'desc' }],
    limit: input.limit,
    offset: input.offset,
  };
}
