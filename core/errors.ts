/**
 * Typed errors raised by the core. Each adapter maps them to its provider's documented envelope;
 * none of them carries internal detail (SQL, stack) in its message.
 */

export interface FieldIssue {
  /** Path of the failing value in the adapter's own terms (the adapter that raised it knows them). */
  path: string;
  /** Short machine-readable reason, e.g. `required`, `duplicate`, `invalid_number`. */
  reason: string;
  message?: string;
}

export abstract class VaultError extends Error {
  abstract readonly kind: 'validation' | 'not_found' | 'conflict' | 'forbidden';
}

export class ValidationError extends VaultError {
  readonly kind = 'validation' as const;
  constructor(readonly issues: FieldIssue[]) {
    super(`validation failed: ${issues.map((i) => i.path).join(', ')}`);
  }
}

export type ResourceName = 'customer' | 'address' | 'payment_method' | 'tenant' | 'api_key' | 'token';

export class NotFoundError extends VaultError {
  readonly kind = 'not_found' as const;
  constructor(readonly resource: ResourceName) {
    super(`${resource} not found`);
  }
}

/** A uniqueness or state rule was broken (duplicate id, duplicate card, token already used…). */
export class ConflictError extends VaultError {
  readonly kind = 'conflict' as const;
  constructor(
    readonly rule: 'duplicate_vault_id' | 'duplicate_payment_method' | 'duplicate_address' | 'token_unusable' | 'attached_elsewhere' | 'concurrent_request' | 'idempotency_mismatch' | 'duplicate_tenant_name',
    readonly path?: string,
  ) {
    super(`conflict: ${rule}`);
  }
}

export class ForbiddenError extends VaultError {
  readonly kind = 'forbidden' as const;
  constructor(readonly reason: string) {
    super(`forbidden: ${reason}`);
  }
}

/**
 * The database did not answer within its time limit, or kept refusing a transaction for transient
 * reasons (deadlocks, Galera certification failures, lost connections) after bounded retries. Not
 * a VaultError: every adapter answers it as its documented internal error (a 5xx without detail).
 */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  constructor(readonly reason: 'timeout' | 'transient') {
    super(reason === 'timeout' ? 'the database did not answer within its time limit' : 'the database kept refusing the transaction (transient errors, retries exhausted)');
  }
}
