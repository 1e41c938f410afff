/**
 * HTTP Basic credentials as Maast clients send them (contract §2): the API key as the password
 * with an empty user name (form A) or with the merchant id as user name (form B), or as the user
 * name with an empty password (form C).
 */
import type { Request } from 'express';
import type { DialectServices, Principal } from '../dialect';
import { invalidCredentials, noAccess, type MaastError } from './errors';
import { merchantIdOf } from './settings';

export interface BasicCredentials {
  key: string;
  /** Form B: the user name that must equal the tenant's merchant id; null for forms A and C. */
  merchantUser: string | null;
}

const BASIC = /^basic +([A-Za-z0-9+/]+={0,2})$/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses the `Authorization` header; null when it is not usable Basic credentials (E1). */
export function parseBasicCredentials(header: string | undefined): BasicCredentials | null {
  if (header === undefined) return null;
  const match = BASIC.exec(header);
  if (!match) return null;
  const encoded = match[1].replace(/=+$/, '');
  if (encoded.length % 4 === 1) return null; // not a whole number of bytes
  let decoded: string;
  try {
    decoded = utf8.decode(Buffer.from(encoded, 'base64'));
  } catch {
    return null;
  }
  const colon = decoded.indexOf(':');
  // A value without a colon is a user name with an empty password (form C without the colon).
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  if (password !== '') return { key: password, merchantUser: user === '' ? null : user };
  if (user !== '') return { key: user, merchantUser: null };
  return null;
}

/** Resolves the caller or the E1/E2 refusal. The form-B user name is checked after the look-up: the merchant id belongs to the key's tenant. */
export async function resolvePrincipal(services: DialectServices, req: Request): Promise<Principal | MaastError> {
  const credentials = parseBasicCredentials(req.headers.authorization);
  if (!credentials) return invalidCredentials();
  const outcome = await services.authenticate(credentials.key, 'maast', 'secret', req);
  if (!outcome.ok) return outcome.reason === 'dialect_disabled' ? noAccess() : invalidCredentials();
  if (credentials.merchantUser !== null && credentials.merchantUser !== merchantIdOf(outcome.principal.tenant)) return invalidCredentials();
  return outcome.principal;
}
