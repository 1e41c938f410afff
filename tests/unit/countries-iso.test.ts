/**
 * The product's country conversions against a written-out ISO 3166-1 table (tests/support/
 * isoCountries.ts), row by row: every dialect shows a country in one of these forms, and a wrong
 * mapping would show a customer's address in the wrong country.
 */
import { alpha2FromAlpha3, alpha2FromName, alpha2FromNumeric, alpha3Of, nameOf, numericOf } from '../../core/countries';
import { ISO_COUNTRIES } from '../support/isoCountries';

describe('country codes against ISO 3166-1', () => {
  it.each(ISO_COUNTRIES.map((c) => [c.alpha2, c]))('%s: alpha-3, numeric and name, both ways', (_code, country) => {
    const { alpha2, alpha3, numeric, name } = country;
    expect([alpha3Of(alpha2), numericOf(alpha2), nameOf(alpha2)]).toEqual([alpha3, numeric, name]);
    expect([alpha2FromAlpha3(alpha3), alpha2FromAlpha3(alpha3.toLowerCase()), alpha2FromNumeric(numeric), alpha2FromName(name), alpha2FromName(name.toUpperCase())]).toEqual([alpha2, alpha2, alpha2, alpha2, alpha2]);
  });
});
