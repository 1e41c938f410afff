/**
 * The Exact error envelope (contract §3): one table of every error the dialect sends, and the
 * rendering of an error into `{code, message, type, requestId[, pathIssues]}` with the same request
 * id as the `X-Request-Id` header.
 */
import type { Response } from 'express';
import type { ExactErrorBody, PathIssue } from './wire';
import { sendJson } from '../shared/send';

export type ExactErrorName =
  | 'validation'
  | 'unauthorized'
  | 'network_tokens'
  | 'account_not_found'
  | 'no_permission'
  | 'customer_not_found'
  | 'payment_method_not_found'
  | 'route_not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'idempotency_in_flight'
  | 'idempotency_answer_lost'
  | 'rate_limited'
  | 'unhandled';

interface ErrorRow {
  status: number;
  code: string;
  message: string;
  type: string;
}

/** Contract §3.3, complete. */
export const EXACT_ERRORS: Readonly<Record<ExactErrorName, ErrorRow>> = {
  validation: { status: 400, code: 'validation-error', message: 'Client request body failed validation', type: 'invalid-request-error' },
  unauthorized: { status: 401, code: 'unauthorized', message: 'Unauthorized', type: 'authentication-error' },
  network_tokens: { status: 402, code: 'network-tokens-not-enabled-error', message: 'Network tokens feature not enabled', type: 'invalid-request-error' },
  account_not_found: { status: 403, code: 'payments-forbidden-error', message: 'Account not found', type: 'authorization-error' },
  no_permission: { status: 403, code: 'payments-forbidden-error', message: 'You do not have permission to access this resource', type: 'authorization-error' },
  customer_not_found: { status: 404, code: 'customer-not-found-error', message: 'customer-not-found', type: 'resource-not-found-error' },
  payment_method_not_found: { status: 404, code: 'payment-method-not-found-error', message: 'payment-method-not-found', type: 'resource-not-found-error' },
  route_not_found: { status: 404, code: 'not-found-error', message: 'Not Found', type: 'resource-not-found-error' },
  method_not_allowed: { status: 405, code: 'method-not-allowed-error', message: 'Method Not Allowed', type: 'invalid-request-error' },
  payload_too_large: { status: 413, code: 'payload-too-large-error', message: 'Payload Too Large', type: 'invalid-request-error' },
  // Not in the provider's table: polyvault's gateway guards (Idempotency-Key, rate limits; docs/security.md).
  idempotency_in_flight: { status: 409, code: 'idempotency-conflict-error', message: 'A request with this Idempotency-Key is in progress', type: 'invalid-request-error' },
  idempotency_answer_lost: { status: 409, code: 'idempotency-conflict-error', message: 'The request with this Idempotency-Key was carried out, but its response was lost; it is not carried out again', type: 'invalid-request-error' },
  rate_limited: { status: 429, code: 'rate-limit-error', message: 'Too Many Requests', type: 'invalid-request-error' },
  unhandled: { status: 500, code: 'unhandled', message: 'Internal Server Error', type: 'system-error' },
};

/** Thrown by handlers (and inside vault writes, to roll back) to answer with one of the table's errors. */
export class ExactError extends Error {
  constructor(
    readonly errorName: ExactErrorName,
    readonly pathIssues?: PathIssue[],
    /** Extra headers, e.g. `Allow` on a 405. */
    readonly headers?: Record<string, string>,
  ) {
    super(`exact error: ${errorName}`);
  }

  get status(): number {
    return EXACT_ERRORS[this.errorName].status;
  }
}

export function validationError(issues: PathIssue[]): ExactError {
  return new ExactError('validation', issues);
}

export function errorBody(name: ExactErrorName, requestId: string, pathIssues?: PathIssue[]): ExactErrorBody {
  const row = EXACT_ERRORS[name];
  const body: ExactErrorBody = { code: row.code, message: row.message, type: row.type, requestId };
  if (name === 'validation') body.pathIssues = pathIssues ?? [];
  return body;
}

export function sendError(res: Response, name: ExactErrorName, requestId: string, pathIssues?: PathIssue[], headers?: Record<string, string>): void {
  res.setHeader('X-Request-Id', requestId);
  for (const [header, value] of Object.entries(headers ?? {})) res.setHeader(header, value);
  sendJson(res, EXACT_ERRORS[name].status, errorBody(name, requestId, pathIssues));
}
