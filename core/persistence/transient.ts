/**
 * Which database failures are worth running the whole transaction again, and the bounded, jittered
 * retry that does it. A retry re-runs the caller's work from the start on a fresh transaction, so
 * only failures after which the database has certainly rolled back qualify.
 */
import { DatabaseUnavailableError } from '../errors';

/**
 * MySQL/MariaDB error numbers after which the server has rolled the transaction back:
 * 1213 deadlock (Galera reports a certification failure with the same number), 1205 lock wait
 * timeout (MariaDB rolls back the statement; we roll back the rest), 1180 "error during COMMIT"
 * (the COMMIT itself was refused), 1047 "WSREP has not yet prepared node" (a Galera node rejoining).
 */
const ROLLED_BACK_ERRNOS = new Set([1213, 1205, 1180, 1047]);
/** Connection failures: safe to retry only when no COMMIT was sent on the lost connection. */
const CONNECTION_LOST_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ER_CON_COUNT_ERROR']);

/** Errors raised by the COMMIT statement itself: a lost connection there leaves the outcome unknown. */
const duringCommit = new WeakSet<object>();

export function markDuringCommit(error: unknown): unknown {
  if (error !== null && typeof error === 'object') duringCommit.add(error);
  return error;
}

export function isTransient(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const { errno, code } = error as { errno?: unknown; code?: unknown };
  if (typeof errno === 'number' && ROLLED_BACK_ERRNOS.has(errno)) return true;
  return typeof code === 'string' && CONNECTION_LOST_CODES.has(code) && !duringCommit.has(error);
}

export interface RetryPolicy {
  /** Tries in all, the first included. */
  tries: number;
  /** The first pause's upper bound; each later pause may be twice as long (full jitter). */
  baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { tries: 8, baseDelayMs: 8 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it succeeds, fails for a reason that is not transient, or the tries or the
 * time until `deadline` run out; then a transient failure becomes DatabaseUnavailableError. Random
 * pauses (full jitter) keep the writers that deadlocked each other from meeting again in step.
 */
export async function retryTransient<T>(attempt: () => Promise<T>, deadline: number, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> {
  for (let tried = 1; ; tried += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!isTransient(error)) throw error;
      const pause = Math.random() * policy.baseDelayMs * 2 ** (tried - 1);
      if (tried >= policy.tries || Date.now() + pause >= deadline) throw new DatabaseUnavailableError('transient');
      await sleep(pause);
    }
  }
}

/**
 * Settles as `work` does, or rejects with DatabaseUnavailableError('timeout') at `deadline`, after
 * calling `onExpire` (which must make sure the abandoned work can no longer commit).
 */
export function withinDeadline<T>(work: Promise<T>, deadline: number, onExpire?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onExpire?.();
      reject(new DatabaseUnavailableError('timeout'));
    }, Math.max(0, deadline - Date.now()));
    // A deadline alone must not keep the process alive (a CLI command ending, a test worker closing).
    timer.unref();
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
