/**
 * FluidPay error envelopes (contract §3.2–3.3, table F1–F11). Every failure is a FluidPayError carrying
 * the HTTP status and the exact `msg`; `toFluidPayError` maps anything else (core errors, bugs) onto the table.
 */
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors';

export interface FailureBody {
  status: 'failed';
  msg: string;
}

export class FluidPayError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly msg: string,
  ) {
    super(msg);
  }

  body(): FailureBody {
    return { status: 'failed', msg: this.msg };
  }
}

/** F1: every authentication refusal answers the same. */
export const unauthorized = (): FluidPayError => new FluidPayError(401, 'unauthorized');
/** F2, F3, F4: unknown route, customer, address or payment method (another tenant's ids included). */
export const notFound = (): FluidPayError => new FluidPayError(404, 'not found');
/** F6 (and F5, whose path is `body`): the first failing field, `<path>: <reason>`. */
export const invalidField = (path: string, reason: string): FluidPayError =>
  new FluidPayError(400, `bad request error: ${path}: ${reason}`);
/** F5. */
export const malformedJson = (): FluidPayError => invalidField('body', 'malformed JSON');
export const bodyNotObject = (): FluidPayError => invalidField('body', 'must be a JSON object');
/** Undocumented by the provider; polyvault: bodies above the gateway's limit. */
export const bodyTooLarge = (): FluidPayError => new FluidPayError(413, 'request entity too large');
/** Undocumented by the provider; polyvault: JSON nested deeper than the gateway accepts. */
export const bodyTooDeep = (): FluidPayError => invalidField('body', 'nested too deeply');
/** F7. */
export const duplicateCustomerId = (): FluidPayError => new FluidPayError(400, 'bad request error: customer id already exists');
/** F8. */
export const duplicateAddress = (): FluidPayError => new FluidPayError(400, 'invalid: would create a duplicate address');
/** F9. */
export const invalidToken = (): FluidPayError => new FluidPayError(400, 'bad request error: invalid token');
/** F10. */
export const walletNotConfigured = (): FluidPayError =>
  new FluidPayError(400, 'bad request error: wallet decryption is not configured for this account');
/** F11: never any detail. */
export const internalError = (): FluidPayError => new FluidPayError(500, 'internal server error');

/**
 * Maps an error thrown anywhere below a route to the table. The core's typed errors have a fixed
 * meaning here; anything else is a bug and becomes F11 (the caller logs it).
 */
export function toFluidPayError(error: unknown): FluidPayError {
  if (error instanceof FluidPayError) return error;
  if (error instanceof NotFoundError) {
    return ['customer', 'address', 'payment_method'].includes(error.resource) ? notFound() : error.resource === 'token' ? invalidToken() : internalError();
  }
  if (error instanceof ConflictError) {
    switch (error.rule) {
      case 'duplicate_vault_id':
        return duplicateCustomerId();
      case 'duplicate_address':
        return duplicateAddress();
      case 'token_unusable':
        return invalidToken();
      default:
        return internalError();
    }
  }
  if (error instanceof ValidationError && error.issues.length > 0) {
    const issue = error.issues[0];
    return invalidField(issue.path, issue.message ?? issue.reason);
  }
  return internalError();
}
