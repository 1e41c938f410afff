/**
 * The one logger. Everything goes through pino with redaction of the paths where secrets could sit,
 * plus a last-line scrubber for card-like digit runs in free text.
 */
import pino from 'pino';

export type Logger = pino.Logger;

const REDACT_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  '*.authorization',
  'key',
  'apiKey',
  '*.apiKey',
  'masterKey',
  'pan',
  '*.pan',
  'card_number',
  '*.card_number',
  'number',
  '*.number',
  'cvv',
  'cvv2',
  'cvc',
  '*.cvv',
  '*.cvv2',
  '*.cvc',
  'card_cvv',
  '*.card_cvv',
  'accountNumber',
  '*.accountNumber',
  'dda_number',
  '*.dda_number',
  'account_number',
  '*.account_number',
  'bank_account',
  '*.bank_account',
  'body',
  '*.body',
];

/** Replaces runs of 12–19 digits (optionally split by spaces or hyphens) that could be a PAN. */
export function scrubDigits(text: string): string {
  return text.replace(/\b(?:\d[ -]?){12,18}\d\b/g, '[redacted]');
}

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { service: 'polyvault' },
      formatters: {
        log(object) {
          if (typeof object.msg === 'string') object.msg = scrubDigits(object.msg);
          if (typeof object.err === 'object' && object.err !== null) {
            const err = object.err as { message?: unknown; stack?: unknown };
            if (typeof err.message === 'string') err.message = scrubDigits(err.message);
            if (typeof err.stack === 'string') err.stack = scrubDigits(err.stack);
          }
          return object;
        },
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubDigits(arg) : arg)) as typeof args;
          return method.apply(this, scrubbed);
        },
      },
    },
    options.destination,
  );
}
