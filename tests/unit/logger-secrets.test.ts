/**
 * What the logger must never write, field by field and number by number. The expectations are
 * written out here (not read from the logger's own list), so a field dropped from the redaction
 * list or a narrowed digit pattern fails a line of this file.
 */
import { scrubDigits } from '../../core/logger';
import { captureLogger as capture } from '../support/logCapture';

const SECRET = 'S3cr3t-value-that-must-not-appear';

/**
 * Every field name a secret may sit under, top level and one level down (an object logged as
 * `{ card: { pan } }`): Authorization headers, API and master keys, card and account numbers, CVVs
 * and whole request bodies.
 */
const SECRET_FIELDS = [
  'authorization',
  'pan',
  'card_number',
  'number',
  'cvv',
  'cvv2',
  'cvc',
  'card_cvv',
  'accountNumber',
  'dda_number',
  'account_number',
  'bank_account',
  'body',
  'apiKey',
];
/** Only at the top level of a log entry (a `key` or `masterKey` field of a nested object is not a secret by name). */
const TOP_LEVEL_ONLY = ['key', 'masterKey'];

describe('logger: redacted fields', () => {
  it.each(SECRET_FIELDS.concat(TOP_LEVEL_ONLY))('redacts a top-level %s', (field) => {
    const { logger, text } = capture();
    logger.info({ [field]: SECRET, other: 'kept' }, 'entry');
    const line = JSON.parse(text());
    expect(line[field]).toBe('[redacted]');
    expect(line.other).toBe('kept');
    expect(text()).not.toContain(SECRET);
  });

  it.each(SECRET_FIELDS)('redacts %s one level down', (field) => {
    const { logger, text } = capture();
    logger.info({ thing: { [field]: SECRET, other: 'kept' } }, 'entry');
    const line = JSON.parse(text());
    expect(line.thing[field]).toBe('[redacted]');
    expect(line.thing.other).toBe('kept');
    expect(text()).not.toContain(SECRET);
  });

  it('redacts the Authorization header of a logged request', () => {
    for (const entry of [{ req: { headers: { authorization: SECRET } } }, { headers: { authorization: SECRET } }]) {
      const { logger, text } = capture();
      logger.info(entry, 'request');
      expect(text()).toContain('[redacted]');
      expect(text()).not.toContain(SECRET);
    }
  });
});

/**
 * Card numbers are 13 to 19 digits (Visa 13/16/19, Diners 14, American Express 15), written
 * together or in groups split by spaces or hyphens.
 */
const CARD_LIKE = [
  ['13 digits (old Visa)', '4222222222222'],
  ['14 digits (Diners)', '30569309025904'],
  ['15 digits (American Express)', '378282246310005'],
  ['15 digits, grouped 4-6-5', '3782 822463 10005'],
  ['15 digits, hyphenated', '3782-822463-10005'],
  ['16 digits', '4111111111111111'],
  ['16 digits, grouped', '4111 1111 1111 1111'],
  ['19 digits', '6011000990139424123'],
] as const;

describe('logger: card-like digit runs in free text', () => {
  it.each(CARD_LIKE)('scrubs %s from a string', (_what, number) => {
    expect(scrubDigits(`card ${number} refused`)).toBe('card [redacted] refused');
  });

  it.each(CARD_LIKE)('scrubs %s from messages, message arguments and error texts', (_what, number) => {
    const { logger, text } = capture();
    logger.error({ err: { message: `bad ${number}`, stack: `Error: bad ${number}\n    at x` } }, `failed for ${number}`);
    logger.info('charged %s', number);
    expect(text()).not.toContain(number);
    expect(text()).not.toContain(number.replace(/[ -]/g, ''));
    expect(text().match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(4);
  });

  it('leaves short numbers alone (amounts, counts, years)', () => {
    expect(scrubDigits('took 1234 ms for 12 rows in 2030')).toBe('took 1234 ms for 12 rows in 2030');
  });
});

describe('logger: line shape', () => {
  it('names the service on every line (log collectors filter on it)', () => {
    const { logger, text } = capture();
    logger.info('one');
    logger.warn({ a: 1 }, 'two');
    const lines = text().trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => line.service)).toEqual(['polyvault', 'polyvault']);
  });

  it('logs an entry whose err is null without failing', () => {
    const { logger, text } = capture();
    expect(() => logger.error({ err: null }, 'no error object')).not.toThrow();
    expect(JSON.parse(text()).msg).toBe('no error object');
  });
});
