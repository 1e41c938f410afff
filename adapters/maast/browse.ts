/**
 * GET /platform/vault/customer query parameters (contract §4.2) → a canonical customer query.
 * `node_id` is the same on every customer of the tenant, so a condition on it is decided here:
 * it either holds for all customers (dropped) or for none (`matchesNothing`).
 */
import type { CustomerCondition, CustomerField } from '../../core/vault/commands';
import type { Issues } from './errors';

type WireField =
  | 'customer_id'
  | 'rec_id'
  | 'node_id'
  | 'customer_first_name'
  | 'customer_last_name'
  | 'customer_firm_name'
  | 'customer_phone'
  | 'customer_email'
  | 'reference_id'
  | 'comments'
  | 'developer_id';

const CANONICAL: Record<Exclude<WireField, 'node_id'>, CustomerField> = {
  customer_id: 'vaultId',
  rec_id: 'seq',
  customer_first_name: 'givenName',
  customer_last_name: 'familyName',
  customer_firm_name: 'company',
  customer_phone: 'phone',
  customer_email: 'email',
  reference_id: 'reference',
  comments: 'notes',
  developer_id: 'integratorId',
};

const FIELDS = new Set<string>([...Object.keys(CANONICAL), 'node_id']);
const NUMERIC = new Set<string>(['rec_id', 'node_id']);
type Operator = 'IS' | 'IS_NOT' | 'CONTAINS' | 'GREATER_THAN' | 'LESS_THAN' | 'BETWEEN' | 'IS_IN';
const OPERATORS = new Set<string>(['IS', 'IS_NOT', 'CONTAINS', 'GREATER_THAN', 'LESS_THAN', 'BETWEEN', 'IS_IN']);

export interface Filter {
  field: WireField;
  op: Operator;
  /** One value, two for BETWEEN, one or more for IS_IN. Numeric fields hold integers as digit strings. */
  values: string[];
}

export interface BrowseQuery {
  count: number;
  page: number;
  orderOn: WireField;
  direction: 'asc' | 'desc';
  filters: Filter[];
}

const last = (query: URLSearchParams, name: string): string | null => {
  const all = query.getAll(name);
  return all.length > 0 ? all[all.length - 1] : null;
};

function parseFilter(raw: string, issues: Issues): Filter | null {
  const first = raw.indexOf(',');
  const second = first < 0 ? -1 : raw.indexOf(',', first + 1);
  if (second < 0) {
    issues.add('filter', `Invalid filter: ${raw}`);
    return null;
  }
  const field = raw.slice(0, first);
  const op = raw.slice(first + 1, second).toUpperCase();
  const value = raw.slice(second + 1);
  if (!FIELDS.has(field)) {
    issues.add('filter', `Unknown filter field: ${field}`);
    return null;
  }
  if (!OPERATORS.has(op)) {
    issues.add('filter', `Unknown filter operator: ${raw.slice(first + 1, second)}`);
    return null;
  }
  const values = op === 'BETWEEN' || op === 'IS_IN' ? value.split('|') : [value];
  const fits =
    (op !== 'BETWEEN' || values.length === 2) &&
    (!NUMERIC.has(field) || op === 'CONTAINS' || values.every((v) => /^-?[0-9]{1,18}$/.test(v)));
  if (!fits) {
    issues.add('filter', `Invalid filter value for ${op}`);
    return null;
  }
  return { field: field as WireField, op: op as Operator, values };
}

export function parseBrowseQuery(query: URLSearchParams, issues: Issues): BrowseQuery {
  const countText = last(query, 'count');
  const pageText = last(query, 'page');
  const orderOn = last(query, 'order_on') ?? 'customer_id';
  const orderBy = (last(query, 'order_by') ?? 'desc').toLowerCase();
  const count = countText === null ? 10 : /^[0-9]{1,3}$/.test(countText) ? Number(countText) : NaN;
  if (!(count >= 1 && count <= 100)) issues.add('count', 'count must be an integer between 1 and 100');
  const page = pageText === null ? 0 : /^[0-9]{1,9}$/.test(pageText) ? Number(pageText) : NaN;
  if (!(page >= 0)) issues.add('page', 'page must be an integer of 0 or more');
  if (!FIELDS.has(orderOn)) issues.add('order_on', 'order_on is not a sortable field');
  if (orderBy !== 'asc' && orderBy !== 'desc') issues.add('order_by', 'order_by must be asc or desc');
  const filters: Filter[] = [];
  for (const raw of query.getAll('filter')) {
    const filter = parseFilter(raw, issues);
    if (filter) filters.push(filter);
  }
  return { count, page, orderOn: orderOn as WireField, direction: orderBy === 'asc' ? 'asc' : 'desc', filters };
}

// ---------------------------------------------------------------------------------------------
// evaluation

/** Compares numbers numerically and strings by code point (unset = ""), as the contract fixes. */
function compare(a: string | bigint, b: string | bigint): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether one stored value satisfies a filter (node_id, the same for every customer of the tenant). */
export function matches(stored: string | bigint, filter: Filter): boolean {
  const numeric = typeof stored === 'bigint';
  const operand = (v: string): string | bigint => (numeric ? BigInt(v) : v);
  switch (filter.op) {
    case 'IS':
      return compare(stored, operand(filter.values[0])) === 0;
    case 'IS_NOT':
      return compare(stored, operand(filter.values[0])) !== 0;
    case 'CONTAINS':
      return String(stored).includes(filter.values[0]);
    case 'GREATER_THAN':
      return compare(stored, operand(filter.values[0])) > 0;
    case 'LESS_THAN':
      return compare(stored, operand(filter.values[0])) < 0;
    case 'BETWEEN':
      return compare(stored, operand(filter.values[0])) >= 0 && compare(stored, operand(filter.values[1])) <= 0;
    case 'IS_IN':
      return filter.values.some((v) => compare(stored, operand(v)) === 0);
  }
}

function conditionOf(filter: Filter): CustomerCondition {
  const field = CANONICAL[filter.field as keyof typeof CANONICAL];
  const value = (v: string): string | number => (filter.field === 'rec_id' ? Number(v) : v);
  switch (filter.op) {
    case 'IS':
      return { field, op: 'eq', value: value(filter.values[0]) };
    case 'IS_NOT':
      return { field, op: 'ne', value: value(filter.values[0]) };
    case 'CONTAINS':
      return { field, op: 'contains', value: filter.values[0] };
    case 'GREATER_THAN':
      return { field, op: 'gt', value: value(filter.values[0]) };
    case 'LESS_THAN':
      return { field, op: 'lt', value: value(filter.values[0]) };
    case 'BETWEEN':
      return { field, op: 'between', from: value(filter.values[0]), to: value(filter.values[1]) };
    case 'IS_IN':
      return { field, op: 'in', values: filter.values.map(value) };
  }
}

export interface BrowsePlan {
  /** A node_id condition no customer of the tenant can meet. */
  matchesNothing: boolean;
  /** Conditions the core evaluates. */
  where: CustomerCondition[];
  sort: Array<{ field: CustomerField; dir: 'asc' | 'desc' }>;
}

export function planBrowse(query: BrowseQuery, merchantId: string): BrowsePlan {
  const nodeId = BigInt(merchantId === '' ? '0' : merchantId);
  const plan: BrowsePlan = { matchesNothing: false, where: [], sort: [] };
  for (const filter of query.filters) {
    if (filter.field === 'node_id') {
      if (!matches(nodeId, filter)) plan.matchesNothing = true;
    } else plan.where.push(conditionOf(filter));
  }
  const dir = query.direction;
  // node_id is constant: sorting on it leaves the customer_id tie-breaker.
  if (query.orderOn !== 'node_id' && query.orderOn !== 'customer_id') plan.sort.push({ field: CANONICAL[query.orderOn], dir });
  plan.sort.push({ field: 'vaultId', dir });
  return plan;
}
