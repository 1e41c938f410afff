/**
 * SQLite group commit: the writes that reach the connection in one turn of the event loop share
 * one transaction and one COMMIT, each of them inside its own savepoint.
 *
 * Why: a COMMIT writes one WAL frame (two `pwrite`s) for every page the transaction changed, and
 * a customer with a card changes ~27 pages (its row, the indexes every dialect's filters need, the
 * payment method's, the audit event's, the live count's). The benchmark measured the COMMIT at about
 * a fifth of a create's CPU. Writes committed together write the pages they share once (the tables'
 * last pages, the time-ordered indexes, the count) and pay BEGIN/COMMIT once.
 *
 * What does not change: a write's caller hears of success only after the COMMIT that made it
 * durable; a write that fails rolls back to its savepoint and leaves the other writes of its batch
 * alone; a COMMIT that fails fails every write of its batch, and none of them is in the database.
 * Nothing outside the batch sees its rows before the COMMIT: the store commits an open batch before
 * it runs a read or a checkpoint on the connection.
 */
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

interface Batch {
  /** Settles when the batch's COMMIT has succeeded or failed. */
  readonly done: Promise<void>;
  settle(error?: unknown): void;
}

/** The part of better-sqlite3 this needs: whether the connection is inside a transaction. */
interface SqliteConnection {
  readonly inTransaction: boolean;
}

export class GroupCommit {
  private batch: Batch | null = null;

  /**
   * `serialise` runs work on the connection one piece at a time (the store's queue); every method
   * here except `transaction` must be called inside it.
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly serialise: <T>(work: () => Promise<T>) => Promise<T>,
  ) {}

  /** The driver's query runner: better-sqlite3 has one connection, and TypeORM one runner for it. */
  private get runner(): QueryRunner {
    return this.dataSource.createQueryRunner();
  }

  private get connection(): SqliteConnection {
    return (this.dataSource.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
  }

  /** Runs `work` as one write of the open batch (opening one if none is), then waits for its COMMIT. */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const { result, batch } = await this.serialise(async () => {
      const batch = this.batch ?? (await this.open());
      const runner = this.runner;
      await runner.startTransaction(); // SAVEPOINT
      try {
        const result = await work(runner.manager);
        await runner.commitTransaction(); // RELEASE: kept until the batch commits
        return { result, batch };
      } catch (error) {
        await this.undo(batch, error);
        throw error;
      }
    });
    await batch.done;
    return result;
  }

  /** Commits the open batch, if any. */
  async commit(): Promise<void> {
    const batch = this.batch;
    if (!batch) return;
    this.batch = null;
    const runner = this.runner;
    try {
      await runner.commitTransaction();
      batch.settle();
    } catch (error) {
      if (this.connection.inTransaction) await runner.rollbackTransaction().catch(() => undefined);
      this.forgetTransaction(runner);
      batch.settle(error);
    }
  }

  private async open(): Promise<Batch> {
    await this.runner.startTransaction(); // BEGIN
    let settle!: Batch['settle'];
    const done = new Promise<void>((resolve, reject) => (settle = (error) => (error === undefined ? resolve() : reject(error))));
    // Each write awaits `done`; a batch whose writes all failed has nobody to hear a failed COMMIT.
    done.catch(() => undefined);
    const batch: Batch = { done, settle };
    this.batch = batch;
    // After the writes that arrived in this turn of the event loop (setImmediate runs after I/O).
    setImmediate(() => void this.serialise(() => (this.batch === batch ? this.commit() : Promise.resolve())));
    return batch;
  }

  /** Takes back one failed write. Should SQLite have rolled back the whole transaction (it does on some I/O errors), the batch has failed. */
  private async undo(batch: Batch, error: unknown): Promise<void> {
    const runner = this.runner;
    if (this.connection.inTransaction) {
      try {
        await runner.rollbackTransaction(); // ROLLBACK TO the savepoint
        return;
      } catch {
        await runner.query('ROLLBACK').catch(() => undefined);
      }
    }
    if (this.batch === batch) this.batch = null;
    this.forgetTransaction(runner);
    batch.settle(error);
  }

  /** With no transaction left on the connection, TypeORM's runner must not count one (or its savepoints) either. */
  private forgetTransaction(runner: QueryRunner): void {
    if (this.connection.inTransaction) return;
    const state = runner as unknown as { isTransactionActive: boolean; transactionDepth: number };
    state.isTransactionActive = false;
    state.transactionDepth = 0;
  }
}
