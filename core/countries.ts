/**
 * Country codes and names from the maintained ISO 3166-1 tables of `i18n-iso-countries`.
 * The canonical country is alpha-2; dialects show alpha-2 (FluidPay), alpha-3 (Exact, Stax) or
 * ISO numeric plus an English name (Maast).
 */
import countries from 'i18n-iso-countries';
// eslint-disable-next-line @typescript-eslint/no-require-imports
countries.registerLocale(require('i18n-iso-countries/langs/en.json'));

/** Common short names clients send that are not the ISO short name (Exact contract §6.3). */
const SHORT_FORMS: Record<string, string> = {
  'united states': 'US',
  'united kingdom': 'GB',
  'great britain': 'GB',
  russia: 'RU',
  'south korea': 'KR',
  'north korea': 'KP',
  vietnam: 'VN',
  iran: 'IR',
  syria: 'SY',
  laos: 'LA',
  bolivia: 'BO',
  venezuela: 'VE',
  tanzania: 'TZ',
  moldova: 'MD',
  taiwan: 'TW',
  'czech republic': 'CZ',
};

export function alpha2FromAlpha2(code: string): string | null {
  const upper = code.toUpperCase();
  return /^[A-Z]{2}$/.test(upper) && countries.isValid(upper) ? upper : null;
}

export function alpha2FromAlpha3(code: string): string | null {
  const upper = code.toUpperCase();
  if (!/^[A-Z]{3}$/.test(upper)) return null;
  return countries.alpha3ToAlpha2(upper) ?? null;
}

export function alpha2FromNumeric(code: string): string | null {
  if (!/^[0-9]{3}$/.test(code)) return null;
  return countries.numericToAlpha2(code) ?? null;
}

/** English name (ISO short name, any case, trailing "(the)" optional) or a common short form. */
export function alpha2FromName(name: string): string | null {
  const cleaned = name.trim().replace(/\s*\(the\)$/i, '').toLowerCase();
  if (cleaned === '') return null;
  if (SHORT_FORMS[cleaned]) return SHORT_FORMS[cleaned];
  const hit = countries.getAlpha2Code(cleaned, 'en');
  if (hit) return hit;
  for (const [code, names] of Object.entries(countries.getNames('en', { select: 'all' }))) {
    for (const candidate of names) {
      if (candidate.replace(/\s*\(the\)$/i, '').toLowerCase() === cleaned) return code;
    }
  }
  return null;
}

/** Any of alpha-2, alpha-3, numeric or an English name. */
export function alpha2FromAny(value: string): string | null {
  return alpha2FromAlpha2(value) ?? alpha2FromAlpha3(value) ?? alpha2FromNumeric(value) ?? alpha2FromName(value);
}

export function alpha3Of(alpha2: string): string | null {
  return countries.alpha2ToAlpha3(alpha2) ?? null;
}

export function numericOf(alpha2: string): string | null {
  return countries.alpha2ToNumeric(alpha2) ?? null;
}

/** The English short name without a trailing "(the)", with the common form for the US ("United States"). */
export function nameOf(alpha2: string): string | null {
  if (alpha2 === 'US') return 'United States';
  const name = countries.getName(alpha2, 'en', { select: 'official' });
  return name ? name.replace(/\s*\(the\)$/i, '') : null;
}
