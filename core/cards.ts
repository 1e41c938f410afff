/**
 * Card-number facts every dialect shares: Luhn, brand from the IIN, masks.
 *
 * The brand table is written out here rather than taken from a library on purpose: the four
 * dialect contracts fix the exact prefix ranges (docs/field-mapping.md, "Card brands"), and the maintained
 * libraries (e.g. credit-card-type) use wider or narrower ranges (Maestro, partial UnionPay
 * ranges) that would make polyvault disagree with the contracts.
 */
import type { CardBrand } from './model';

export function isDigits(value: string, min = 1, max = Number.MAX_SAFE_INTEGER): boolean {
  return value.length >= min && value.length <= max && /^[0-9]+$/.test(value);
}

export function passesLuhn(pan: string): boolean {
  if (!/^[0-9]+$/.test(pan)) return false;
  let sum = 0;
  let double = false;
  for (let i = pan.length - 1; i >= 0; i--) {
    let digit = pan.charCodeAt(i) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

function prefixIn(pan: string, length: number, from: number, to: number): boolean {
  if (pan.length < length) return false;
  const prefix = Number(pan.slice(0, length));
  return prefix >= from && prefix <= to;
}

/** Brand from the leading digits; the rows are the union of the dialect contracts' tables. */
export function cardBrand(pan: string): CardBrand {
  if (prefixIn(pan, 2, 34, 34) || prefixIn(pan, 2, 37, 37)) return 'amex';
  if (prefixIn(pan, 3, 300, 305) || prefixIn(pan, 2, 36, 36) || prefixIn(pan, 2, 38, 39)) return 'diners';
  if (prefixIn(pan, 4, 3528, 3589)) return 'jcb';
  if (pan.startsWith('4')) return 'visa';
  if (prefixIn(pan, 2, 51, 55) || prefixIn(pan, 4, 2221, 2720)) return 'mastercard';
  if (pan.startsWith('6011') || prefixIn(pan, 3, 644, 649) || pan.startsWith('65')) return 'discover';
  if (pan.startsWith('62')) return 'unionpay';
  return 'unknown';
}

/**
 * The masked form every dialect builds from stored facts only (the PAN itself is not decrypted to
 * answer a read): `head` shown digits, one `fill` per hidden digit, then the last four.
 */
export function maskNumber(head: string, last4: string, length: number, fill: string): string {
  const hidden = Math.max(0, length - head.length - last4.length);
  return head + fill.repeat(hidden) + last4;
}

/** ABA routing-number checksum: 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod 10). */
export function passesAbaChecksum(routing: string): boolean {
  if (!/^[0-9]{9}$/.test(routing)) return false;
  const d = [...routing].map((c) => c.charCodeAt(0) - 48);
  const sum = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8]);
  return sum % 10 === 0;
}

/** A card is expired when its (year, month) is before the current UTC (year, month). */
export function isExpired(expMonth: number, expYear: number, now: number): boolean {
  const today = new Date(now);
  const year = today.getUTCFullYear();
  const month = today.getUTCMonth() + 1;
  return expYear < year || (expYear === year && expMonth < month);
}
