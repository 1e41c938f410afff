/**
 * A request's time limit on the database as a whole. Each read or transaction has its own limit
 * (the store's `timeoutMs`), and inside a request it also ends at the request's deadline, so that a
 * request making several database calls against a frozen database still answers within one limit,
 * not one limit per call. The gateway sets the deadline per request; work outside a request (the
 * CLI, start-up) has only the per-call limits.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const deadlines = new AsyncLocalStorage<number>();

export function withRequestDeadline<T>(deadline: number, work: () => T): T {
  return deadlines.run(deadline, work);
}

/** Runs `work` without the request's deadline (only the per-call limits apply). */
export function outsideRequestDeadline<T>(work: () => T): T {
  return deadlines.exit(work);
}

/** When a database call starting now must end: its own limit, or the request's deadline if sooner. */
export function callDeadline(limitMs: number): number {
  const own = Date.now() + limitMs;
  const request = deadlines.getStore();
  return request === undefined ? own : Math.min(own, request);
}
