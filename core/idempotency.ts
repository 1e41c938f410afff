/**
 * Idempotency-Key bookkeeping, in the database so that it holds across gateway processes. The scope
 * is (tenant, dialect, method, path, key); the first completed response is kept for 24 hours.
 *
 * Exactly once: a record goes `in_flight` → `committed` (in the same transaction as the request's
 * write, see idempotencyFence.ts) → `completed` (its answer stored). The record's id is the owning request's
 * fence token: a retry that takes a stale in-flight record over gives it a new id, so the old
 * request's write, should it still come, finds no record to claim and rolls back. What committed
 * decides: a record marked `committed` is never written for again, whatever the clock says.
 */
import { createHash } from 'node:crypto';
import { LessThan } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { newUuid } from './ids';
import { IdempotencyRecordEntity } from './persistence/entities';
import { sqlRunner } from './persistence/rawRows';
import type { Store } from './persistence/store';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * An in-flight record older than this may be taken over by a retry (its request probably died; if
 * it did not, its write will fail the fence). A committed record whose answer is still missing after
 * this long belongs to a request that died between its COMMIT and storing its answer.
 */
export const IN_FLIGHT_TIMEOUT_MS = 60_000;

export interface IdempotencyScope {
  tenantId: string;
  dialect: string;
  method: string;
  path: string;
  key: string;
}

export type IdempotencyStart =
  | { kind: 'proceed'; recordId: string }
  | { kind: 'replay'; status: number; headers: Record<string, string>; body: string }
  | { kind: 'mismatch' }
  | { kind: 'in_flight' }
  /** The write committed but its answer was never stored (the process died in between): never run again. */
  | { kind: 'answer_lost' };

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export function requestFingerprint(method: string, path: string, body: Buffer): string {
  return createHash('sha256').update(`${method} ${path}\n`).update(body).digest('hex');
}

export class IdempotencyStore {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  async begin(scope: IdempotencyScope, requestHash: string): Promise<IdempotencyStart> {
    const scopeHash = sha256(JSON.stringify([scope.tenantId, scope.dialect, scope.method, scope.path, scope.key]));
    try {
      return await this.store.transaction(async (manager) => {
        const now = this.now();
        const qb = manager.createQueryBuilder(IdempotencyRecordEntity, 'r').where('r.scope_hash = :scopeHash', { scopeHash });
        if (this.store.supportsRowLocks) qb.setLock('pessimistic_write');
        const existing = await qb.getOne();
        const fresh = () =>
          Object.assign(new IdempotencyRecordEntity(), {
            id: newUuid(),
            scopeHash,
            tenantId: scope.tenantId,
            requestHash,
            state: 'in_flight',
            responseStatus: null,
            responseHeaders: null,
            responseBody: null,
            createdAt: now,
            expiresAt: now + IDEMPOTENCY_TTL_MS,
          });
        if (!existing || existing.expiresAt <= now) {
          if (existing) await manager.delete(IdempotencyRecordEntity, { id: existing.id });
          const record = fresh();
          await manager.insert(IdempotencyRecordEntity, record);
          return { kind: 'proceed', recordId: record.id };
        }
        if (existing.requestHash !== requestHash) return { kind: 'mismatch' };
        if (existing.state === 'completed') {
          return { kind: 'replay', status: existing.responseStatus!, headers: existing.responseHeaders ?? {}, body: existing.responseBody ?? '' };
        }
        // created_at: when the record was begun or taken over, or, once committed, when its write committed.
        const stale = now - existing.createdAt > IN_FLIGHT_TIMEOUT_MS;
        if (existing.state === 'committed') return { kind: stale ? 'answer_lost' : 'in_flight' };
        if (stale) {
          // Take over with a new fence token: the old request, if it still runs, can no longer commit.
          const recordId = newUuid();
          await this.run(manager, 'UPDATE idempotency_record SET id = ?, created_at = ? WHERE id = ?', [recordId, now, existing.id]);
          return { kind: 'proceed', recordId };
        }
        return { kind: 'in_flight' };
      });
    } catch (error) {
      // Two first requests raced to insert the same scope: the loser sees the winner in flight.
      if (/UNIQUE|Duplicate entry/i.test(String((error as Error).message))) return { kind: 'in_flight' };
      throw error;
    }
  }

  private run(manager: EntityManager, sql: string, parameters: unknown[]): Promise<{ affected: number }> {
    return sqlRunner(this.store.dataSource).write(manager, sql, parameters);
  }

  /** Stores the answer of the request that holds `recordId` (nothing, if another request took the record over). */
  async complete(recordId: string, status: number, headers: Record<string, string>, body: string): Promise<void> {
    await this.store.transaction((manager) =>
      manager.update(IdempotencyRecordEntity, { id: recordId }, { state: 'completed', responseStatus: status, responseHeaders: headers, responseBody: body }),
    );
  }

  /**
   * Forget a request that ended in a server error, so that a retry runs again — unless its write
   * committed (the 5xx came later): then a retry must not write again, and the record stays.
   */
  async abandon(recordId: string): Promise<void> {
    await this.store.transaction((manager) => this.run(manager, "DELETE FROM idempotency_record WHERE id = ? AND state = 'in_flight'", [recordId]));
  }

  async purgeExpired(): Promise<number> {
    const result = await this.store.transaction((manager) => manager.delete(IdempotencyRecordEntity, { expiresAt: LessThan(this.now()) }));
    return result.affected ?? 0;
  }
}
