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

export function adminSigningKey(config: Config): Uint8Array {
  if (config.adminSecret) return Buffer.from(config.adminSecret, 'base64');
  return createHmac('sha256', Buffer.from(config.masterKey.base64, 'base64')).update('polyvault:admin-token-signing').digest();
}

/** `ttl` in jose's form: `1h`, `15m`, `3600s`. */
export async function issueAdminToken(config: Config, ttl = '1h'): Promise<string> {
  return new SignJWT({ scope: 'admin' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('operator')
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(adminSigningKey(config));
}

export async function verifyAdminToken(config: Config, token: string): Promise<{ tokenId: string } | null> {
  try {
    const { payload } = await jwtVerify(token, adminSigningKey(config), { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
    if (payload.scope !== 'admin' || typeof payload.jti !== 'string') return null;
    return { tokenId: payload.jti };
  } catch {
    return null;
  }
}
