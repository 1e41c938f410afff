/**
 * A written-out slice of ISO 3166-1 for the tests: alpha-2, alpha-3, numeric and the English name
 * the Maast wire uses. Tests build their expected country codes from these rows, never from the
 * product's own country module (core/countries.ts), so a wrong mapping there cannot agree with
 * itself and pass. A country a test needs that is not here is an error, not a silent fallback.
 */
export interface IsoCountry {
  alpha2: string;
  alpha3: string;
  numeric: string;
  name: string;
}

export const ISO_COUNTRIES: readonly IsoCountry[] = [
  { alpha2: 'US', alpha3: 'USA', numeric: '840', name: 'United States' },
  { alpha2: 'CA', alpha3: 'CAN', numeric: '124', name: 'Canada' },
  { alpha2: 'GB', alpha3: 'GBR', numeric: '826', name: 'United Kingdom' },
  { alpha2: 'DE', alpha3: 'DEU', numeric: '276', name: 'Germany' },
  { alpha2: 'FR', alpha3: 'FRA', numeric: '250', name: 'France' },
  { alpha2: 'MX', alpha3: 'MEX', numeric: '484', name: 'Mexico' },
  { alpha2: 'JP', alpha3: 'JPN', numeric: '392', name: 'Japan' },
  { alpha2: 'AU', alpha3: 'AUS', numeric: '036', name: 'Australia' },
  { alpha2: 'IE', alpha3: 'IRL', numeric: '372', name: 'Ireland' },
  { alpha2: 'NL', alpha3: 'NLD', numeric: '528', name: 'Netherlands' },
  { alpha2: 'BR', alpha3: 'BRA', numeric: '076', name: 'Brazil' },
  { alpha2: 'IN', alpha3: 'IND', numeric: '356', name: 'India' },
  { alpha2: 'ZA', alpha3: 'ZAF', numeric: '710', name: 'South Africa' },
  { alpha2: 'NZ', alpha3: 'NZL', numeric: '554', name: 'New Zealand' },
  { alpha2: 'CH', alpha3: 'CHE', numeric: '756', name: 'Switzerland' },
  { alpha2: 'SE', alpha3: 'SWE', numeric: '752', name: 'Sweden' },
  { alpha2: 'ES', alpha3: 'ESP', numeric: '724', name: 'Spain' },
  { alpha2: 'IT', alpha3: 'ITA', numeric: '380', name: 'Italy' },
  { alpha2: 'PR', alpha3: 'PRI', numeric: '630', name: 'Puerto Rico' },
];

function row(alpha2: string): IsoCountry {
  const found = ISO_COUNTRIES.find((country) => country.alpha2 === alpha2);
  if (!found) throw new Error(`tests/support/isoCountries.ts has no row for ${alpha2}: add it`);
  return found;
}

/** A wire value no row matches reads as this marker, so the comparison that follows fails and shows it. */
const unknown = (value: string) => `<not ISO in tests: ${value}>`;

export const alpha3Of = (alpha2: string): string => row(alpha2).alpha3;
export const numericOf = (alpha2: string): string => row(alpha2).numeric;
export const nameOf = (alpha2: string): string => row(alpha2).name;
export const alpha2FromAlpha3 = (alpha3: string): string => ISO_COUNTRIES.find((country) => country.alpha3 === alpha3.toUpperCase())?.alpha2 ?? unknown(alpha3);
export const alpha2FromNumeric = (numeric: string): string => ISO_COUNTRIES.find((country) => country.numeric === numeric)?.alpha2 ?? unknown(numeric);
export const alpha2FromName = (name: string): string => ISO_COUNTRIES.find((country) => country.name.toLowerCase() === name.trim().toLowerCase())?.alpha2 ?? unknown(name);
