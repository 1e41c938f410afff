import { alpha2FromAny, alpha3Of, nameOf, numericOf } from '../../core/countries';
import { displayName, splitName } from '../../core/names';

describe('countries', () => {
  it.each([
    ['US', 'US'],
    ['usa', 'US'],
    ['840', 'US'],
    ['United States', 'US'],
    ['United States of America', 'US'],
    ['Canada', 'CA'],
    ['GBR', 'GB'],
    ['Great Britain', 'GB'],
    ['Atlantis', null],
  ])('reads %s as %s', (input, alpha2) => {
    expect(alpha2FromAny(input)).toBe(alpha2);
  });

  it('writes alpha-3, numeric and the English name', () => {
    expect(alpha3Of('US')).toBe('USA');
    expect(numericOf('US')).toBe('840');
    expect(nameOf('US')).toBe('United States');
    expect(nameOf('CA')).toBe('Canada');
  });

  // Object.prototype's member names are not countries: a table indexed with them must find nothing.
  it.each(['__proto__', 'constructor', 'CONSTRUCTOR', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'isPrototypeOf'])('finds no country named %s', (word) => {
    expect([alpha2FromAny(word), alpha3Of(word), numericOf(word), nameOf(word)]).toEqual([null, null, null, null]);
  });
});

describe('names', () => {
  it('splits at the first space and joins back', () => {
    expect(splitName('steve tack')).toEqual({ givenName: 'steve', familyName: 'tack' });
    expect(splitName('Mary Ann Smith')).toEqual({ givenName: 'Mary', familyName: 'Ann Smith' });
    expect(splitName('Cher')).toEqual({ givenName: 'Cher', familyName: null });
    expect(displayName('Mary', 'Ann Smith')).toBe('Mary Ann Smith');
    expect(displayName(null, null, 'ACME')).toBe('ACME');
    expect(displayName(null, null, null)).toBe('');
  });
});
