/**
 * Country codes and names from the maintained ISO 3166-1 tables of `i18n-iso-countries`.
 * The canonical country is alpha-2; dialects show alpha-2 (FluidPay), alpha-3 (Exact, Stax) or
 * ISO numeric plus an English name (Maast).
 *
 * Every look-up goes through a Map built once from the library's tables: the library indexes plain
 * objects, where a client's `"constructor"` or `"__proto__"` finds `Object.prototype`'s members
 * (a function or an object stored as a country). A Map holds only what was put in it.
 */
import countries from 'i18n-iso-countries';
// eslint-disable-next-line @typescript-eslint/no-require-imports
countries.registerLocale(require('i18n-iso-countries/langs/en.json'));

const withoutThe = (name: string) => name.replace(/\s*\(the\)$/i, '');

const ALPHA3_BY_ALPHA2 = new Map(Object.entries(countries.getAlpha2Codes()));
const ALPHA2_BY_ALPHA3 = new Map([...ALPHA3_BY_ALPHA2].map(([alpha2, alpha3]) => [alpha3, alpha2]));
const ALPHA2_BY_NUMERIC = new Map(Object.entries(countries.getNumericCodes()));
const NUMERIC_BY_ALPHA2 = new Map([...ALPHA2_BY_NUMERIC].map(([numeric, alpha2]) => [alpha2, numeric]));

/** Lower-cased English name → alpha-2: every ISO name as written, then as written without "(the)". */
const ALPHA2_BY_NAME = ((): Map<string, string> => {
  const names = Object.entries(countries.getNames('en', { select: 'all' }));
  const byName = new Map<string, string>();
  for (const [code, list] of names) for (const name of list) if (!byName.has(name.toLowerCase())) byName.set(name.toLowerCase(), code);
  for (const [code, list] of names) for (const name of list) if (!byName.has(withoutThe(name).toLowerCase())) byName.set(withoutThe(name).toLowerCase(), code);
  return byName;
})();

/** Common short names clients send that are not the ISO short name (Exact contract §6.3). */
const SHORT_FORMS = new Map<string, string>([
  ['united states', 'US'],
  ['united kingdom', 'GB'],
  ['great britain', 'GB'],
  ['russia', 'RU'],
  ['south korea', 'KR'],
  ['north korea', 'KP'],
  ['vietnam', 'VN'],
  ['iran', 'IR'],
  ['syria', 'SY'],
  ['laos', 'LA'],
  ['bolivia', 'BO'],
  ['venezuela', 'VE'],
  ['tanzania', 'TZ'],
  ['moldova', 'MD'],
  ['taiwan', 'TW'],
  ['czech republic', 'CZ'],
]);

export function alpha2FromAlpha2(code: string): string | null {
  const upper = code.toUpperCase();
  return ALPHA3_BY_ALPHA2.has(upper) ? upper : null;
}

export function alpha2FromAlpha3(code: string): string | null {
  return ALPHA2_BY_ALPHA3.get(code.toUpperCase()) ?? null;
}

export function alpha2FromNumeric(code: string): string | null {
  return ALPHA2_BY_NUMERIC.get(code) ?? null;
}

/** English name (ISO short name, any case, trailing "(the)" optional) or a common short form. */
export function alpha2FromName(name: string): string | null {
  const cleaned = withoutThe(name.trim()).toLowerCase();
  if (cleaned === '') return null;
  return SHORT_FORMS.get(cleaned) ?? ALPHA2_BY_NAME.get(cleaned) ?? null;
}

/** Any of alpha-2, alpha-3, numeric or an English name. */
export function alpha2FromAny(value: string): string | null {
  return alpha2FromAlpha2(value) ?? alpha2FromAlpha3(value) ?? alpha2FromNumeric(value) ?? alpha2FromName(value);
}

export function alpha3Of(alpha2: string): string | null {
  return ALPHA3_BY_ALPHA2.get(alpha2) ?? null;
}

export function numericOf(alpha2: string): string | null {
  return NUMERIC_BY_ALPHA2.get(alpha2) ?? null;
}

/** The English short name without a trailing "(the)", with the common form for the US ("United States"). */
export function nameOf(alpha2: string): string | null {
  if (alpha2 === 'US') return 'United States';
  if (!ALPHA3_BY_ALPHA2.has(alpha2)) return null;
  const name = countries.getName(alpha2, 'en', { select: 'official' });
  return name ? withoutThe(name) : null;
}
