/**
 * Stax's error bodies (contract §3.2) and the mapping of core errors onto them. Stax has no single
 * envelope; these are the only error bodies this dialect sends, and none carries internal detail.
 */
import type { Response } from 'express';
import type { GuardRefusal } from '../dialect';
import { VaultError, type NotFoundError, type ValidationError } from '../../core/errors';
import type { FieldErrors } from './validate';
import { fieldLabel } from './validate';
import { sendJson } from '../shared/send';

export const STAX_ERRORS = {
  invalidJson: { status: 400, body: { error: 'Invalid JSON body.' } },
  unauthenticated: { status: 401, body: { message: 'Unauthenticated.' } },
  unauthorized: { status: 403, body: { message: 'This action is unauthorized.' } },
  customerNotFound: { status: 404, body: { error: 'Customer not found' } },
  paymentMethodNotFound: { status: 404, body: { error: 'Payment method not found' } },
  routeNotFound: { status: 404, body: { error: 'Not found' } },
  methodNotAllowed: { status: 405, body: { error: 'Method not allowed' } },
  payloadTooLarge: { status: 413, body: { error: 'Payload too large' } },
  internal: { status: 500, body: { error: 'Internal Server Error' } },
  // The gateway's guards (only when the operator configures rate limits / clients send Idempotency-Key):
  // Laravel's throttle answer, which is what Stax's Laravel API sends with its 429.
  rateLimited: { status: 429, body: { message: 'Too Many Attempts.' } },
  idempotencyInFlight: { status: 409, body: { error: 'A request with this Idempotency-Key is still in progress.' } },
  idempotencyAnswerLost: { status: 409, body: { error: 'The request with this Idempotency-Key was carried out, but its response was lost; it is not carried out again.' } },
  idempotencyMismatch: { status: 422, body: { idempotency_key: ['The idempotency key must be 1 to 255 characters and may only be reused for the same request.'] } },
} as const;

export type StaxErrorName = keyof typeof STAX_ERRORS;

export function sendStaxError(res: Response, name: StaxErrorName): void {
  const { status, body } = STAX_ERRORS[name];
  sendJson(res, status, body);
}

export function sendFieldErrors(res: Response, errors: FieldErrors): void {
  sendJson(res, 422, errors);
}

/**
 * Thrown inside a write to roll it back and answer with a Stax error (a 404 on the path
 * resource, or a 422 found once the stored record is known).
 */
export class StaxRefusal extends Error {
  constructor(readonly answer: { kind: 'error'; name: StaxErrorName } | { kind: 'fields'; errors: FieldErrors }) {
    super('stax refusal');
  }

  static notFound(name: 'customerNotFound' | 'paymentMethodNotFound'): StaxRefusal {
    return new StaxRefusal({ kind: 'error', name });
  }

  static fields(errors: FieldErrors): StaxRefusal {
    return new StaxRefusal({ kind: 'fields', errors });
  }
}

/** A core validation error in Stax's words: its issue paths are already Stax field names. */
function fieldErrorsFromCore(error: ValidationError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    if (out[issue.path]) continue;
    out[issue.path] = [issue.message ?? `The ${fieldLabel(issue.path)} is invalid.`];
  }
  return out;
}

function notFoundName(error: NotFoundError): StaxErrorName {
  return error.resource === 'payment_method' || error.resource === 'token' ? 'paymentMethodNotFound' : 'customerNotFound';
}

/**
 * Answers any error raised while serving a request. Returns false when the error is unexpected,
 * so the caller logs it (without the body) before the 500.
 */
export function answerError(res: Response, error: unknown): boolean {
  if (error instanceof StaxRefusal) {
    if (error.answer.kind === 'fields') sendFieldErrors(res, error.answer.errors);
    else sendStaxError(res, error.answer.name);
    return true;
  }
  if (error instanceof VaultError) {
    switch (error.kind) {
      case 'validation':
        sendFieldErrors(res, fieldErrorsFromCore(error as ValidationError));
        return true;
      case 'not_found':
        sendStaxError(res, notFoundName(error as NotFoundError));
        return true;
      default:
        // Conflicts and refusals have no Stax form (Stax never merges or rejects duplicates).
        sendStaxError(res, 'internal');
        return false;
    }
  }
  sendStaxError(res, 'internal');
  return false;
}

/** A refusal of the gateway's guards in Stax's words (Retry-After is set by the gateway). */
export function sendGuardRefusal(res: Response, refusal: GuardRefusal): void {
  switch (refusal.kind) {
    case 'rate_limited':
      return sendStaxError(res, 'rateLimited');
    case 'idempotency_in_flight':
      return sendStaxError(res, 'idempotencyInFlight');
    case 'idempotency_mismatch':
      return sendStaxError(res, 'idempotencyMismatch');
    case 'idempotency_answer_lost':
      return sendStaxError(res, 'idempotencyAnswerLost');
  }
}
