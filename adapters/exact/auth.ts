/**
 * Exact credentials (contract §2): the key goes in `Authorization` either raw (the provider's form,
 * no scheme word) or as `Bearer <key>` (a gateway addition, `Bearer` in any case). Partner-context
 * paths name the tenant's own 24-hex account id.
 */

/** The key in an `Authorization` header value, or null when there is none. */
export function keyFromAuthorization(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  const value = header.trim();
  if (value === '') return null;
  // `Bearer` must be followed by at least one whitespace character; `Bearerabc` is a raw key.
  // A lone `Bearer` (the key left out) carries no key either.
  const bearer = /^bearer(?:\s+([\s\S]*))?$/i.exec(value);
  const key = bearer ? (bearer[1] ?? '').trim() : value;
  return key === '' ? null : key;
}

const ACCOUNT_ID = /^[0-9a-f]{24}$/i;

/** Whether a path's `{accountId}` is the tenant's own account id (case-insensitive; malformed ids never match). */
export function accountMatches(pathAccountId: string, tenantAccountId: unknown): boolean {
  if (typeof tenantAccountId !== 'string' || !ACCOUNT_ID.test(pathAccountId)) return false;
  return pathAccountId.toLowerCase() === tenantAccountId.toLowerCase();
}

export function isAccountId(value: unknown): value is string {
  return typeof value === 'string' && ACCOUNT_ID.test(value);
}
