/**
 * Countries as Exact clients send and read them (contract §6.3): alpha-3, alpha-2 or an English
 * name in, upper-case alpha-3 out. ISO numeric codes are not in Exact's list, so they are refused.
 */
import { alpha2FromAlpha2, alpha2FromAlpha3, alpha2FromName, alpha3Of } from '../../core/countries';

export function exactCountryToAlpha2(value: string): string | null {
  if (value.trim() !== value || value === '') return null;
  return alpha2FromAlpha2(value) ?? alpha2FromAlpha3(value) ?? alpha2FromName(value);
}

/** The alpha-3 shown for a canonical alpha-2 country; null when there is none to show. */
export function exactCountryFromAlpha2(alpha2: string | null): string | null {
  if (!alpha2) return null;
  return alpha3Of(alpha2.toUpperCase());
}
