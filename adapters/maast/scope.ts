/**
 * `merchant_id` ("on behalf of another merchant", contract §2.3). polyvault has no integrator
 * hierarchy: absent, `0` or the tenant's own id proceed; another merchant is E3 (403); a value
 * that is not an integer is reported with the other validation failures (§3.5 step 4 vs 6).
 */
import { isPlainObject } from '../shared/body';
import { Message, noAccess, type Issues, type MaastError } from './errors';

type Verdict = 'absent' | 'own' | 'other' | 'invalid';

function verdictOf(value: unknown, merchantId: string): Verdict {
  if (value === undefined || value === null) return 'absent';
  let digits: string;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return 'invalid';
    if (value < 0) return 'other';
    digits = BigInt(value).toString();
  } else if (typeof value === 'string' && /^[0-9]+$/.test(value)) {
    digits = value.replace(/^0+(?=[0-9])/, '');
  } else {
    return 'invalid';
  }
  return digits === '0' || digits === merchantId ? 'own' : 'other';
}

export interface ScopeCheck {
  /** E3 when any `merchant_id` names another merchant. */
  forbidden: MaastError | null;
  /** Paths of `merchant_id` values that are not integers (reported in step 6). */
  invalidPaths: string[];
}

/** Checks the query value and, for bodies, the top level and each element of both arrays. */
export function checkMerchantScope(merchantId: string, query: URLSearchParams, body: unknown): ScopeCheck {
  const found: Array<{ path: string; value: unknown }> = [];
  const fromQuery = query.getAll('merchant_id');
  if (fromQuery.length > 0) found.push({ path: 'merchant_id', value: fromQuery[fromQuery.length - 1] });
  if (isPlainObject(body)) {
    found.push({ path: 'merchant_id', value: body.merchant_id });
    for (const array of ['billing_cards', 'shipping_addresses']) {
      const elements = body[array];
      if (!Array.isArray(elements)) continue;
      elements.forEach((element, index) => {
        if (isPlainObject(element)) found.push({ path: `${array}[${index}].merchant_id`, value: element.merchant_id });
      });
    }
  }
  const invalidPaths: string[] = [];
  let forbidden: MaastError | null = null;
  for (const { path, value } of found) {
    const verdict = verdictOf(value, merchantId);
    if (verdict === 'other') forbidden = noAccess();
    if (verdict === 'invalid' && !invalidPaths.includes(path)) invalidPaths.push(path);
  }
  return { forbidden, invalidPaths };
}

export function reportInvalidMerchantIds(check: ScopeCheck, issues: Issues): void {
  for (const path of check.invalidPaths) issues.add(path, Message.merchantIdNotInteger);
}
