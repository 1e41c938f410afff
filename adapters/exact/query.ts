/**
 * List query parameters (contract §4.3, §8.8): `$limit`, `$skip`, the three `$sort` forms and the
 * exact-match `name` / `email` / `phone` filters of E2, translated to a canonical customer query.
 */
import type { CustomerCondition, CustomerField } from '../../core/vault/commands';
import { splitName } from '../../core/names';
import type { Checked } from './requests';
import type { PathIssue } from './wire';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

export interface Paging {
  limit: number;
  skip: number;
}

export type QueryParams = Record<string, unknown>;

function nonNegativeInteger(name: string, raw: unknown, fallback: number): number | PathIssue {
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string') return { field: name, type: 'invalid_type', details: [`Expected number, received ${Array.isArray(raw) ? 'array' : 'object'}`] };
  const text = raw.trim();
  if (!/^-?[0-9]+(\.[0-9]+)?$/.test(text)) return { field: name, type: 'invalid_type', details: ['Expected number, received string'] };
  const value = Number(text);
  if (!Number.isInteger(value)) return { field: name, type: 'invalid_type', details: ['Expected integer, received float'] };
  if (value < 0) return { field: name, type: 'too_small', details: ['Number must be greater than or equal to 0'] };
  return value;
}

/** `$limit` (default 100, reduced to 1000) and `$skip` (default 0); anything else is a 400 on that parameter. */
export function parsePaging(query: QueryParams): Checked<Paging> {
  const limit = nonNegativeInteger('$limit', query.$limit, DEFAULT_LIMIT);
  const skip = nonNegativeInteger('$skip', query.$skip, 0);
  const issues = [limit, skip].filter((value): value is PathIssue => typeof value !== 'number');
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: { limit: Math.min(limit as number, MAX_LIMIT), skip: skip as number } };
}

export type ExactSortField = 'id' | 'name' | 'email' | 'phone' | 'createdAt' | 'updatedAt';
export interface SortKey {
  field: ExactSortField;
  dir: 'asc' | 'desc';
}

const SORT_FIELDS: readonly ExactSortField[] = ['id', 'name', 'email', 'phone', 'createdAt', 'updatedAt'];

function direction(value: string): 'asc' | 'desc' | null {
  switch (value.trim().toLowerCase()) {
    case '1':
    case 'asc':
    case 'ascending':
      return 'asc';
    case '-1':
    case 'desc':
    case 'descending':
      return 'desc';
    default:
      return null;
  }
}

function isSortField(value: string): value is ExactSortField {
  return (SORT_FIELDS as readonly string[]).includes(value);
}

/**
 * Reads `$sort` in any of its forms: `name:asc,createdAt:desc`; `-createdAt` / `name -createdAt`;
 * `$sort[createdAt]=-1` (as a bracketed key, or as an object when the query parser builds one).
 * Unknown fields and unreadable directions are ignored; a field named twice keeps its first direction.
 */
export function parseSort(query: QueryParams): SortKey[] {
  const keys: SortKey[] = [];
  const add = (field: string, dir: 'asc' | 'desc' | null): void => {
    if (dir && isSortField(field) && !keys.some((key) => key.field === field)) keys.push({ field, dir });
  };
  const fromText = (text: string): void => {
    for (const token of text.split(/[\s,]+/)) {
      if (token === '') continue;
      const colon = token.indexOf(':');
      if (colon >= 0) add(token.slice(0, colon), direction(token.slice(colon + 1)));
      else if (token.startsWith('-')) add(token.slice(1), 'desc');
      else if (token.startsWith('+')) add(token.slice(1), 'asc');
      else add(token, 'asc');
    }
  };
  const fromObject = (object: Record<string, unknown>): void => {
    for (const [field, value] of Object.entries(object)) if (typeof value === 'string' || typeof value === 'number') add(field, direction(String(value)));
  };
  for (const [param, value] of Object.entries(query)) {
    if (param === '$sort') {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (typeof item === 'string') fromText(item);
        else if (typeof item === 'object' && item !== null) fromObject(item as Record<string, unknown>);
      }
    } else {
      const bracket = /^\$sort\[([^\]]+)\]$/.exec(param);
      if (bracket) for (const item of Array.isArray(value) ? value : [value]) if (typeof item === 'string') add(bracket[1], direction(item));
    }
  }
  return keys;
}

/**
 * Canonical sort for the Exact keys. `name` sorts by the core's `fullName` (given + " " + family),
 * then the company (shown as the name when there is no person name); `id` is the object id, always added last as the
 * tie-breaker so pages are stable.
 */
export function canonicalSort(keys: SortKey[]): Array<{ field: CustomerField; dir: 'asc' | 'desc' }> {
  const effective = keys.length > 0 ? keys : [{ field: 'createdAt', dir: 'asc' } as SortKey];
  const sort: Array<{ field: CustomerField; dir: 'asc' | 'desc' }> = [];
  for (const key of effective) {
    if (key.field === 'name') sort.push({ field: 'fullName', dir: key.dir }, { field: 'company', dir: key.dir });
    else sort.push({ field: key.field === 'id' ? 'objectId' : key.field, dir: key.dir });
  }
  if (!sort.some((key) => key.field === 'objectId')) sort.push({ field: 'objectId', dir: 'asc' });
  return sort;
}

export interface CustomerFilters {
  name?: string;
  email?: string;
  phone?: string;
}

function single(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

export function parseFilters(query: QueryParams): CustomerFilters {
  const filters: CustomerFilters = {};
  const name = single(query.name);
  const email = single(query.email);
  const phone = single(query.phone);
  if (name !== undefined) filters.name = name;
  if (email !== undefined) filters.email = email;
  if (phone !== undefined) filters.phone = phone;
  return filters;
}

/**
 * The customers whose displayed name (`customerName`) can be `name`, as equalities on the indexed
 * name columns: a name kept as sent (its split parts), "given family" joined at any one of its
 * spaces, a given or family name alone, or the company of a customer without person names. A kept
 * name that no longer matches its parts makes this a superset; the caller keeps the exact matches.
 */
function displayedNameConditions(name: string): CustomerCondition {
  const names = (givenName: string | null, familyName: string | null): CustomerCondition => ({
    allOf: [
      { field: 'givenName', op: 'eq', value: givenName ?? '' },
      { field: 'familyName', op: 'eq', value: familyName ?? '' },
    ],
  });
  const kept = splitName(name);
  const anyOf: CustomerCondition[] = [names(kept.givenName, kept.familyName)];
  for (let at = name.indexOf(' '); at >= 0; at = name.indexOf(' ', at + 1)) {
    if (at > 0 && at < name.length - 1) anyOf.push(names(name.slice(0, at), name.slice(at + 1)));
  }
  if (name !== '') anyOf.push(names(name, null), names(null, name));
  anyOf.push({ allOf: [names(null, null), { field: 'company', op: 'eq', value: name }] });
  return { anyOf };
}

/** Canonical conditions for the filters: `email`/`phone` are exact, `name` see `displayedNameConditions`. */
export function filterConditions(filters: CustomerFilters): CustomerCondition[] {
  const where: CustomerCondition[] = [];
  if (filters.email !== undefined) where.push({ field: 'email', op: 'eq', value: filters.email });
  if (filters.phone !== undefined) where.push({ field: 'phone', op: 'eq', value: filters.phone });
  if (filters.name !== undefined) where.push(displayedNameConditions(filters.name));
  return where;
}
