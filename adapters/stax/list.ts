/**
 * S2, the customer list (contract §4.3, §8.7, §9.18–19): query parameters with their fallbacks,
 * the canonical query they become, and the Laravel paginator built from the request's own URL.
 * Parameters are read from the raw query string so that `keywords[]` works whatever query parser
 * the application uses.
 */
import type { CustomerCondition, CustomerField, CustomerQuery } from '../../core/vault/commands';
import type { StaxPaginator } from './wire';

export const DEFAULT_PER_PAGE = 50;
export const MAX_PER_PAGE = 200;

const SORTS: Record<string, CustomerField> = {
  firstname: 'givenName',
  lastname: 'familyName',
  company: 'company',
  email: 'email',
  created_at: 'createdAt',
  updated_at: 'updatedAt',
};

const FILTERS: Record<string, CustomerField> = {
  firstname: 'givenName',
  lastname: 'familyName',
  company: 'company',
  email: 'email',
  phone: 'phone',
  reference: 'reference',
};

/** The fields a keyword is looked for in (§4.3); `fullName` is "firstname lastname". */
const KEYWORD_FIELDS: CustomerField[] = ['givenName', 'familyName', 'fullName', 'company', 'email', 'phone', 'reference'];

/** Text sorts ignore letter case (§4.3). */
const TEXT_SORTS = new Set<CustomerField>(['givenName', 'familyName', 'company', 'email']);

export interface CustomerListParams {
  page: number;
  perPage: number;
  sort: CustomerField;
  order: 'asc' | 'desc';
  filters: Array<{ field: CustomerField; value: string }>;
  keywords: string[];
  includeDeleted: boolean;
}

function positiveInteger(value: string | null): number | null {
  if (value === null || !/^\s*[0-9]+\s*$/.test(value)) return null;
  const parsed = Number(value.trim());
  return Number.isSafeInteger(parsed) && parsed >= 1 ? parsed : null;
}

export function parseListParams(rawQuery: string): CustomerListParams {
  const query = new URLSearchParams(rawQuery);
  const first = (name: string): string | null => query.get(name);
  const page = positiveInteger(first('page')) ?? 1;
  const requestedPerPage = positiveInteger(first('per_page'));
  const perPage = requestedPerPage === null ? DEFAULT_PER_PAGE : Math.min(requestedPerPage, MAX_PER_PAGE);
  // Own keys only: `sort=constructor` must fall back like any unknown field, not reach Object.prototype.
  const requestedSort = first('sort') ?? '';
  const sort = Object.hasOwn(SORTS, requestedSort) ? SORTS[requestedSort] : 'createdAt';
  const order = (first('order') ?? '').toUpperCase() === 'ASC' ? 'asc' : 'desc';
  const filters: CustomerListParams['filters'] = [];
  for (const [name, field] of Object.entries(FILTERS)) {
    const value = (first(name) ?? '').trim();
    if (value !== '') filters.push({ field, value });
  }
  const keywords: string[] = [];
  for (const [name, value] of query) {
    if (name === 'keywords' || name === 'keywords[]' || /^keywords\[[0-9]+\]$/.test(name)) {
      const keyword = value.trim();
      if (keyword !== '') keywords.push(keyword);
    }
  }
  const includeDeleted = ['1', 'true'].includes((first('include_deleted') ?? '').trim().toLowerCase());
  return { page, perPage, sort, order, filters, keywords, includeDeleted };
}

/** Filters and keywords combined with AND; ties broken by `id` ascending (§9.18). */
export function customerQueryFrom(params: CustomerListParams): CustomerQuery {
  const where: CustomerCondition[] = params.filters.map(({ field, value }) => ({ field, op: 'eq', value, caseInsensitive: true }));
  for (const keyword of params.keywords) {
    where.push({ anyOf: KEYWORD_FIELDS.map((field) => ({ field, op: 'contains', value: keyword, caseInsensitive: true })) });
  }
  return {
    where,
    sort: [
      { field: params.sort, dir: params.order, caseInsensitive: TEXT_SORTS.has(params.sort) },
      { field: 'id', dir: 'asc' },
    ],
    limit: params.perPage,
    offset: (params.page - 1) * params.perPage,
    includeDeleted: params.includeDeleted,
    withDetails: true,
  };
}

/**
 * Page URLs: `path` + `?` + the raw query string without its `page=` pairs, then `&page=N`
 * (`path?page=N` when nothing else is left).
 */
export function pageUrl(path: string, rawQuery: string, page: number): string {
  const kept = rawQuery.split('&').filter((pair) => pair !== '' && pair.split('=')[0] !== 'page');
  return `${path}?${[...kept, `page=${page}`].join('&')}`;
}

export function paginate<T>(data: T[], total: number, params: Pick<CustomerListParams, 'page' | 'perPage'>, path: string, rawQuery: string): StaxPaginator<T> {
  const lastPage = Math.max(1, Math.ceil(total / params.perPage));
  const from = data.length > 0 ? (params.page - 1) * params.perPage + 1 : null;
  return {
    current_page: params.page,
    data,
    first_page_url: pageUrl(path, rawQuery, 1),
    from,
    last_page: lastPage,
    last_page_url: pageUrl(path, rawQuery, lastPage),
    next_page_url: params.page < lastPage ? pageUrl(path, rawQuery, params.page + 1) : null,
    path,
    per_page: params.perPage,
    prev_page_url: params.page > 1 ? pageUrl(path, rawQuery, params.page - 1) : null,
    to: from === null ? null : from + data.length - 1,
    total,
  };
}
