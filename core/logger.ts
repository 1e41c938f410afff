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

/**
 * What a log line says about an error: its type, code and message (see `errorFacts`). Logged under
 * `error`, not `err`: pino's `err` serializer would rebuild it as an error (type "Object", a stack).
 */
export interface ErrorFacts {
  type: string;
  code?: string | number;
  message: string;
}

/**
 * The error as a log may hold it: type, code and message, never the object itself. A driver's error
 * carries the statement and its parameters (names, e-mails, ciphertext) as properties, and some
 * driver messages quote a value (MySQL's "Duplicate entry 'jane@example.com' for key …"); those
 * quoted values are replaced by `'…'`, the column and key names stay.
 */
export function errorFacts(error: unknown): ErrorFacts {
  if (!(error instanceof Error)) return { type: typeof error, message: scrubDigits(quotedValuesMasked(String(error))) };
  const code = (error as { code?: unknown }).code;
  const facts: ErrorFacts = { type: error.constructor?.name || error.name, message: scrubDigits(quotedValuesMasked(error.message)) };
  if (typeof code === 'string' || typeof code === 'number') facts.code = code;
  return facts;
}

function quotedValuesMasked(message: string): string {
  return message.replace(/\b(entry|value:?)( +)'(?:[^'\\]|\\.)*'/gi, "$1$2'…'");
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
