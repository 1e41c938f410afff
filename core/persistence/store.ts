/**
 * The store: one DataSource plus the rule for running work on it. SQLite has one connection and
 * one writer, so work on it is queued, and the writes of one event-loop turn share a COMMIT (see
 * groupCommit.ts; a read never sees another request's uncommitted writes); MySQL work runs
 * concurrently, writes in transactions with row locks.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { WalCheckpointer } from './checkpointer';
import { GroupCommit } from './groupCommit';
import { DatabaseUnavailableError } from '../errors';
import { markDuringCommit, retryTransient, withinDeadline } from './transient';

class Mutex {
  private tail: Promise<void> = Promise.resolve();
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

export class Store {
  readonly kind: 'sqlite' | 'mysql';
  private readonly queue = new Mutex();
  /** MySQL pool connections whose session is already READ COMMITTED. */
  private readonly readCommittedSessions = new WeakSet<object>();

  private readonly optimizer?: NodeJS.Timeout;
  private readonly checkpointer: WalCheckpointer | null = null;
  /** SQLite: writes of one event-loop turn share a COMMIT (see groupCommit.ts). */
  private readonly group: GroupCommit | null = null;

  /** The time limit of one read or one whole transaction (retries included), in ms; a request's own deadline may end it sooner. */
  readonly timeoutMs: number;

  constructor(
    readonly dataSource: DataSource,
    options: { backgroundCheckpoints?: boolean; onProblem?: (message: string) => void; timeoutMs?: number } = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.kind = dataSource.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
    if (this.kind === 'sqlite') this.group = new GroupCommit(dataSource, (work) => this.queue.run(work));
    if (this.kind === 'sqlite' && options.backgroundCheckpoints) {
      const db = (dataSource.driver as unknown as { databaseConnection: { pragma(statement: string): unknown } }).databaseConnection;
      this.checkpointer = WalCheckpointer.start(db, String(dataSource.options.database), {
        onProblem: options.onProblem ?? (() => undefined),
        betweenTransactions: (work) => this.outsideTransactions(work),
      });
    }
    // A database that grows after start-up needs fresh SQLite statistics now and then (MySQL keeps its own).
    if (this.kind === 'sqlite') {
      this.optimizer = setInterval(() => void this.outsideTransactions(() => dataSource.query('PRAGMA optimize')).catch(() => undefined), 10 * 60_000);
      this.optimizer.unref();
    }
  }

  /** SQLite: work on the connection with no write batch open (a read never sees uncommitted rows). */
  private outsideTransactions<T>(work: () => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      await this.group?.commit();
      return work();
    });
  }

  /**
   * SQLite runs in this process (its waits are bounded by its busy timeout, set to the same limit);
   * on MySQL a read that does not answer in time is given up (its pooled connection comes back by
   * itself when the server answers), and one that lost its connection is read again.
   */
  read<T>(work: (manager: EntityManager) => Promise<T>, requestDeadline?: number): Promise<T> {
    if (this.kind === 'sqlite') return this.outsideTransactions(() => work(this.dataSource.manager));
    const deadline = this.callDeadline(requestDeadline);
    return retryTransient(() => (Date.now() < deadline ? withinDeadline(work(this.dataSource.manager), deadline) : Promise.reject(new DatabaseUnavailableError('timeout'))), deadline);
  }

  /**
   * On MySQL, READ COMMITTED: every statement sees the rows committed before it, so once a writer
   * holds the customer's row lock its duplicate and default checks see what the previous writer
   * committed. Under REPEATABLE READ the snapshot would be fixed by the transaction's first read
   * (which may come before the lock) and concurrent duplicates could slip through.
   */
  transaction<T>(work: (manager: EntityManager) => Promise<T>, requestDeadline?: number): Promise<T> {
    if (this.group) return this.group.transaction(work);
    // Transient failures (deadlocks, certification failures, a connection lost before COMMIT) run
    // the whole transaction again, bounded; the time limit covers all the tries together.
    const deadline = this.callDeadline(requestDeadline);
    return retryTransient(() => (Date.now() < deadline ? this.readCommittedTransaction(work, deadline) : Promise.reject(new DatabaseUnavailableError('timeout'))), deadline);
  }

  /**
   * When a database call starting now must end: its own limit, or the request's deadline if sooner
   * (a request making several calls against a frozen database still answers within one limit).
   */
  private callDeadline(requestDeadline: number | undefined): number {
    const own = Date.now() + this.timeoutMs;
    return requestDeadline === undefined ? own : Math.min(own, requestDeadline);
  }

  /**
   * TypeORM's `transaction('READ COMMITTED', …)` sends `SET TRANSACTION ISOLATION LEVEL` before every
   * `START TRANSACTION`: one more round trip per write (a create is eight statements). The level is
   * set once per pooled connection instead, for its session; it changes nothing for the single
   * statements that run outside transactions.
   */
  private readCommittedTransaction<T>(work: (manager: EntityManager) => Promise<T>, deadline: number): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    let expired = false;
    const attempt = (async () => {
      try {
        await runner.connect();
        // Given up while it waited for a pooled connection: hand the connection back unused.
        if (expired) throw new DatabaseUnavailableError('timeout');
        const connection = (runner as unknown as { databaseConnection: object }).databaseConnection;
        if (!this.readCommittedSessions.has(connection)) {
          await runner.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
          this.readCommittedSessions.add(connection);
        }
        await runner.startTransaction();
        try {
          const result = await work(runner.manager);
          await runner.commitTransaction().catch((error: unknown) => Promise.reject(markDuringCommit(error)));
          return result;
        } catch (error) {
          if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
          throw error;
        }
      } finally {
        await runner.release();
      }
    })();
    // A transaction given up at its deadline must never commit later: its connection is destroyed
    // (the server rolls back what it holds when it sees the connection go).
    return withinDeadline(attempt, deadline, () => {
      expired = true;
      (runner as unknown as { databaseConnection?: { destroy(): void } }).databaseConnection?.destroy();
    });
  }

  /** Settles when background checkpoints are running (at once when there are none). */
  get checkpointsReady(): Promise<void> {
    return this.checkpointer?.ready ?? Promise.resolve();
  }

  get supportsRowLocks(): boolean {
    return this.kind === 'mysql';
  }

  /** Whether the database answers a trivial query within `timeoutMs`. */
  async ping(timeoutMs = 1000): Promise<boolean> {
    try {
      await withinDeadline(this.dataSource.query('SELECT 1'), Date.now() + timeoutMs);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.optimizer) clearInterval(this.optimizer);
    if (this.group && this.dataSource.isInitialized) await this.outsideTransactions(async () => undefined);
    await this.checkpointer?.stop();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
