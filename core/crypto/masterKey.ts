/**
 * The master key wraps every tenant data key. It is handed to the process (environment or file)
 * and never stored in the database; only its short id is, next to each wrapped key.
 */
import { createHash } from 'node:crypto';

export interface MasterKey {
  /** First 16 hex characters of SHA-256 over the key: names the key without revealing it. */
  id: string;
  key: Buffer;
}

export function masterKeyFromBase64(text: string): MasterKey {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new Error('the master key must be 32 bytes, base64-encoded');
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 16), key };
}
