import { errorFacts } from '../../core/logger';
import { captureLogger as capture } from '../support/logCapture';

describe('logger redaction', () => {
  it('redacts authorization headers, keys, card numbers and CVVs in structured fields', () => {
    const { logger, text } = capture();
    logger.info({ req: { headers: { authorization: 'Basic OjM4ODhhYjdi' } }, card_number: '4111111111111111', cvv2: '152', apiKey: 'api_secret' }, 'x');
    expect(text()).not.toMatch(/OjM4ODhhYjdi|4111111111111111|"152"|api_secret/);
    expect(text()).toContain('[redacted]');
  });

  it('scrubs card-like digit runs from messages and error texts', () => {
    const { logger, text } = capture();
    logger.error({ err: { message: 'bad 4111 1111 1111 1111', stack: 'at 4111111111111111' } }, 'failed for 4111111111111111');
    expect(text()).not.toMatch(/4111[ -]?1111[ -]?1111[ -]?1111/);
  });
});

describe('errorFacts', () => {
  it('keeps an error’s type, code and message only, with the values a driver message quotes masked', () => {
    const driverError = Object.assign(new Error("Duplicate entry 'jane@example.com' for key 'customer.IDX_email'"), {
      code: 'ER_DUP_ENTRY',
      sql: 'INSERT INTO customer (email) VALUES (?)',
      parameters: ['jane@example.com'],
    });
    expect(errorFacts(driverError)).toEqual({ type: 'Error', code: 'ER_DUP_ENTRY', message: "Duplicate entry '…' for key 'customer.IDX_email'" });
    expect(errorFacts(new TypeError("Incorrect string value: '\\xF0\\x9F' for column 'notes'"))).toEqual({ type: 'TypeError', message: "Incorrect string value: '…' for column 'notes'" });
    expect(errorFacts('card 4111111111111111 refused')).toEqual({ type: 'string', message: 'card [redacted] refused' });
  });
});
