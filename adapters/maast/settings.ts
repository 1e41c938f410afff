/**
 * The tenant's Maast settings: its merchant id (shown as `node_id`, accepted as `merchant_id` and
 * as the form-B user name), and the format of the dialect's API key.
 */
import { createHash, randomInt } from 'node:crypto';
import type { DialectSettings, Tenant } from '../../core/model';

/** A positive integer of up to 16 digits, as a decimal string without leading zeros; null otherwise. */
export function normalizeMerchantId(value: unknown): string | null {
  let digits: string;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) return null;
    digits = String(value);
  } else if (typeof value === 'string' && /^[0-9]+$/.test(value)) {
    digits = value.replace(/^0+/, '');
  } else {
    return null;
  }
  return /^[1-9][0-9]{0,15}$/.test(digits) ? digits : null;
}

/** A random 12-digit merchant id (the length of the provider's own, e.g. 210000000289). */
export function generateMerchantId(): string {
  return String(randomInt(1, 10)) + String(randomInt(0, 100_000)).padStart(5, '0') + String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export function initialMaastSettings(requested: Record<string, unknown>): DialectSettings {
  const wanted = requested.merchantId;
  if (wanted === undefined || wanted === null || wanted === '') return { enabled: true, merchantId: generateMerchantId() };
  const merchantId = normalizeMerchantId(wanted);
  if (merchantId === null) throw new Error('Maast merchant id must be a positive integer of up to 16 digits');
  return { enabled: true, merchantId };
}

/** The tenant's merchant id (decimal string); empty when the tenant has no Maast settings. */
export function merchantIdOf(tenant: Tenant): string {
  const value = tenant.dialects.maast?.merchantId;
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** Maast keys look like the provider's: 32 lowercase hex characters (`3888ab7bba98452987cdf69ae917561a`). */
export function formatMaastKey(random: string): string {
  return createHash('sha256').update(random).digest('hex').slice(0, 32);
}
