/**
 * Stax credentials (contract §2): `Authorization: Bearer <API key>`, the scheme word in any case.
 * The key is looked up by the gateway's services; this module only reads the header and turns the
 * outcome into Stax's answers (401 for anything but a disabled dialect, which is 403).
 */
import type { Request } from 'express';
import type { DialectServices, Principal } from '../dialect';
import type { StaxErrorName } from './errors';

/** The bearer token, or null when the header is missing or uses another scheme. */
export function bearerKey(header: string | undefined): string | null {
  if (typeof header !== 'string') return null;
  const match = /^\s*bearer\s+(\S.*?)\s*$/i.exec(header);
  return match ? match[1] : null;
}

export type StaxAuth = { ok: true; principal: Principal } | { ok: false; refusal: StaxErrorName };

export async function authenticateStax(req: Request, services: DialectServices): Promise<StaxAuth> {
  const key = bearerKey(req.headers.authorization);
  if (key === null) return { ok: false, refusal: 'unauthenticated' };
  const outcome = await services.authenticate(key, 'stax', 'secret', req);
  if (outcome.ok) return { ok: true, principal: outcome.principal };
  // A disabled dialect is the only refusal Stax words differently; a disabled tenant's keys are
  // as unusable as revoked ones.
  return { ok: false, refusal: outcome.reason === 'dialect_disabled' ? 'unauthorized' : 'unauthenticated' };
}
