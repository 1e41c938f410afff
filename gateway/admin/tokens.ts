/**
 * Admin tokens: short-lived JWTs (HS256, jose) issued by `polyvault admin token`. The signing
 * secret is POLYVAULT_ADMIN_SECRET, or else derived from the master key, so any process holding
 * the master key can issue and check them and nothing extra has to be distributed.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { Config } from '../../config';

const ISSUER = 'polyvault';
const AUDIENCE = 'polyvault-admin';
/** The longest an admin token may live: one that never expires is a standing credential nobody tracks. */
export const MAX_ADMIN_TOKEN_SECONDS = 24 * 3600;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `15m`, `1h`, `3600s`, `1d` → seconds; throws unless it is a positive lifetime of at most 24 h. */
export function adminTokenLifetime(ttl: string): number {
  const match = /^(\d+)\s*(s|m|h|d)$/.exec(ttl.trim());
  if (!match) throw new Error('--ttl looks like 15m, 1h or 3600s');
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2]];
  if (seconds < 1 || seconds > MAX_ADMIN_TOKEN_SECONDS) throw new Error(`--ttl must be between 1s and ${MAX_ADMIN_TOKEN_SECONDS / 3600}h`);
  return seconds;
}

export function adminSigningKey(config: Config): Uint8Array {
  if (config.adminSecret) return Buffer.from(config.adminSecret, 'base64');
  return createHmac('sha256', Buffer.from(config.masterKey.base64, 'base64')).update('polyvault:admin-token-signing').digest();
}

/** `ttl`: `1h`, `15m`, `3600s` (at most 24 h). */
export async function issueAdminToken(config: Config, ttl = '1h'): Promise<string> {
  const issuedAt = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: 'admin' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('operator')
    .setJti(randomUUID())
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + adminTokenLifetime(ttl))
    .sign(adminSigningKey(config));
}

export async function verifyAdminToken(config: Config, token: string): Promise<{ tokenId: string } | null> {
  try {
    const { payload } = await jwtVerify(token, adminSigningKey(config), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'iat'],
      maxTokenAge: MAX_ADMIN_TOKEN_SECONDS,
    });
    if (payload.scope !== 'admin' || typeof payload.jti !== 'string') return null;
    // Signed by someone holding the secret, but for longer than any token polyvault issues.
    if (payload.exp! - payload.iat! > MAX_ADMIN_TOKEN_SECONDS) return null;
    return { tokenId: payload.jti };
  } catch {
    return null;
  }
}
