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
