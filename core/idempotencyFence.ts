/**
 * The fence that makes an Idempotency-Key's write happen at most once. The gateway hands a request
 * that holds an idempotency record its fence; the request's vault (core/vault/tenantVault.ts) carries
 * it, and every write transaction of that request first claims the record — `in_flight` →
 * `committed`, in the same transaction as the write — and rolls back when the record is gone or
 * belongs to another request by now (a retry took it over). Adapters need not know: the gateway
 * builds the request's vault. (Passed explicitly, not through AsyncLocalStorage: on Node 20 an
 * AsyncLocalStorage turns on promise hooks for every promise of the process, measured at 2.5× the
 * cost of a bare `await`.)
 *
 * On MySQL the claim also locks the record's row first thing in the transaction, so a retry's
 * locking read of the record waits for what this transaction commits instead of guessing.
 */
import type { EntityManager } from 'typeorm';
import { sqlRunner } from './persistence/rawRows';

export interface IdempotencyFence {
  /** The idempotency record's id: the request's fence token (a takeover gives the record a new one). */
  readonly recordId: string;
  /** Set when a write of this request found the record taken over and rolled back. */
  lost: boolean;
  /** The gateway's clock: a claimed record's `created_at` becomes the time of its write. */
  readonly now: () => number;
  /** Tests only (config `crashAfterIdempotentCommit`): die right after the write commits, before the answer is stored. */
  readonly crashAfterCommit?: boolean;
}

/** Thrown inside the write transaction when the fence is lost; rolls the write back. */
export class IdempotencyTakenOverError extends Error {
  override readonly name = 'IdempotencyTakenOverError';
  constructor() {
    super('another request holds this Idempotency-Key now');
  }
}

/** The first statement of a write transaction: claims the request's idempotency record, if it has one. */
export async function claimIdempotencyRecord(manager: EntityManager, fence: IdempotencyFence | undefined): Promise<void> {
  if (!fence) return;
  // The time of the write: a committed record still without its answer a minute after it is
  // taken for one whose process died (core/idempotency.ts). A second write of the same request
  // matches again (rows found, not changed, on both databases).
  const { affected } = await sqlRunner(manager.connection).write(manager, "UPDATE idempotency_record SET state = 'committed', created_at = ? WHERE id = ?", [
    fence.now(),
    fence.recordId,
  ]);
  if (affected === 0) {
    fence.lost = true;
    throw new IdempotencyTakenOverError();
  }
}

/** After a fenced write committed. */
export function afterIdempotentCommit(fence: IdempotencyFence | undefined): void {
  // The scenario the fence exists for, reproduced by tests with a real process: killed between the
  // COMMIT and the storing of the answer. Only reachable with the test hook, refused in production.
  if (fence?.crashAfterCommit) process.kill(process.pid, 'SIGKILL');
}
