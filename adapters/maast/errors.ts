/**
 * The Maast `{code,message,data}` envelope for failures, and the table that maps every failure
 * (our own checks and the core's typed errors) onto the contract's error table E1–E13.
 */
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors';

/**
 * The six platform response codes the provider publishes (contract §3.2), and polyvault's own for
 * Idempotency-Key conflicts (a gateway guard the provider does not document; not 99, which tells a
 * client the server failed).
 */
export const MaastCode = { success: 0, validation: 2, forbidden: 6, notFound: 7, credentials: 11, internal: 99, idempotencyConflict: 409 } as const;

export interface MaastErrorBody {
  code: number;
  message: string;
  /** Present only for code 2: field path → message. */
  data?: Record<string, string>;
}

/** A failure already in the dialect's terms; thrown inside a write to roll it back. */
export class MaastError extends Error {
  constructor(
    readonly status: number,
    readonly body: MaastErrorBody,
  ) {
    super(body.message);
  }
}

/** Field path → message, keeping the first message per path ("the first rule the field breaks"). */
export class Issues {
  private readonly entries = new Map<string, string>();

  add(path: string, message: string): void {
    if (!this.entries.has(path)) this.entries.set(path, message);
  }

  has(path: string): boolean {
    return this.entries.has(path);
  }

  toData(): Record<string, string> {
    return Object.fromEntries(this.entries);
  }

  /** Throws E7 (code 2) when anything was collected. */
  throwIfAny(): void {
    if (this.entries.size > 0) throw validationFailed(this.toData());
  }
}

export const invalidCredentials = (): MaastError => new MaastError(401, { code: MaastCode.credentials, message: 'Invalid credentials' });
export const noAccess = (): MaastError => new MaastError(403, { code: MaastCode.forbidden, message: 'API key does not have access to this resource' });
export const serviceNotFound = (): MaastError => new MaastError(404, { code: MaastCode.notFound, message: 'Service not found' });
export const customerNotFound = (): MaastError => new MaastError(404, { code: MaastCode.notFound, message: 'Customer not found' });
export const internalError = (): MaastError => new MaastError(500, { code: MaastCode.internal, message: 'Internal Error' });
export const validationFailed = (data: Record<string, string>): MaastError =>
  new MaastError(400, { code: MaastCode.validation, message: 'Request Validation Failed', data });
export const fieldFailed = (path: string, message: string): MaastError => validationFailed({ [path]: message });

/** Messages of the catalogue (§3.6) that several modules use. */
export const Message = {
  required: (field: string) => `${field} is required`,
  duplicateCustomerId: 'customer_id already exists',
  duplicatePaymentMethod: 'Duplicate card is not permitted for this customer',
  cardIdNotFound: 'card_id not found',
  shippingIdNotFound: 'shipping_id not found',
  malformedBody: 'Malformed JSON body',
  notAnObject: 'Request body must be a JSON object',
  merchantIdNotInteger: 'merchant_id must be an integer',
} as const;

/**
 * Maps anything thrown while serving a request to the dialect's answer. The core's typed errors
 * only reach here when a rule the adapter already checked is broken by a concurrent request (a
 * customer id or card taken in between); anything else is E13 without detail.
 */
export function toMaastError(error: unknown): MaastError {
  if (error instanceof MaastError) return error;
  if (error instanceof ValidationError) {
    const issues = new Issues();
    for (const issue of error.issues) issues.add(issue.path, issue.message ?? issue.reason);
    return validationFailed(issues.toData());
  }
  if (error instanceof ConflictError) {
    if (error.rule === 'duplicate_vault_id') return fieldFailed('customer_id', Message.duplicateCustomerId);
    if (error.rule === 'duplicate_payment_method') return fieldFailed(error.path ?? 'card_number', Message.duplicatePaymentMethod);
    return internalError();
  }
  if (error instanceof NotFoundError) {
    if (error.resource === 'customer') return customerNotFound();
    if (error.resource === 'payment_method') return fieldFailed('card_id', Message.cardIdNotFound);
    if (error.resource === 'address') return fieldFailed('shipping_id', Message.shippingIdNotFound);
    return internalError();
  }
  if (error instanceof ForbiddenError) return noAccess();
  return internalError();
}
