import { cardBrand, isExpired, maskNumber, passesAbaChecksum, passesLuhn } from '../../core/cards';

describe('card numbers', () => {
  it('accepts Luhn-valid numbers and refuses a changed digit', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('378282246310005')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
    expect(passesLuhn('41111111x1111111')).toBe(false);
  });

  it.each([
    ['4111111111111111', 'visa'],
    ['5454545454545454', 'mastercard'],
    ['2221000000000009', 'mastercard'],
    ['378282246310005', 'amex'],
    ['6011111111111117', 'discover'],
    ['30569309025904', 'diners'],
    ['3530111333300000', 'jcb'],
    ['6200000000000005', 'unionpay'],
    ['9999999999999995', 'unknown'],
  ])('derives the brand of %s as %s', (pan, brand) => {
    expect(cardBrand(pan)).toBe(brand);
  });

  it('masks with the number length kept', () => {
    expect(maskNumber('411111', '1111', 16, 'x')).toBe('411111xxxxxx1111');
    expect(maskNumber('378282', '0005', 15, '*')).toBe('378282*****0005');
    expect(maskNumber('', '6866', 10, 'X')).toBe('XXXXXX6866');
  });

  it('checks ABA routing numbers', () => {
    expect(passesAbaChecksum('011000015')).toBe(true);
    expect(passesAbaChecksum('011000016')).toBe(false);
  });

  it('treats a card as valid through the last day of its expiry month', () => {
    const may2024 = Date.UTC(2024, 4, 31, 23, 59);
    expect(isExpired(5, 2024, may2024)).toBe(false);
    expect(isExpired(4, 2024, may2024)).toBe(true);
    expect(isExpired(12, 2023, may2024)).toBe(true);
  });
});
