/**
 * Stax answers a 422 with one message per field: the message of the first rule that field failed,
 * in the order required → type → format → length → cross checks (contract §7.5), and at equal rank
 * the one reported first. A client shows that message to its user, so which one wins matters.
 */
import { FieldErrorCollector, RANK } from '../../adapters/stax/validate';

describe('Stax field errors: which message a field gets', () => {
  it('keeps the first message reported at equal rank', () => {
    const errors = new FieldErrorCollector();
    errors.add('email', RANK.format, 'first format message');
    errors.add('email', RANK.format, 'second format message');
    expect(errors.toJSON()).toEqual({ email: ['first format message'] });
  });

  it('lets a lower rank replace a higher one, never the other way round', () => {
    const errors = new FieldErrorCollector();
    errors.add('phone', RANK.length, 'too long');
    errors.add('phone', RANK.type, 'not a string');
    errors.add('phone', RANK.cross, 'cross check');
    expect(errors.toJSON()).toEqual({ phone: ['not a string'] });
  });

  it('keeps every field, each with its own message, and is empty only with none', () => {
    const errors = new FieldErrorCollector();
    expect(errors.empty).toBe(true);
    errors.add('firstname', RANK.required, 'required');
    errors.add('address_country', RANK.format, 'country');
    expect(errors.empty).toBe(false);
    expect(errors.toJSON()).toEqual({ firstname: ['required'], address_country: ['country'] });
  });
});
