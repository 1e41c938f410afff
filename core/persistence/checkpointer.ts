/**
 * SQLite WAL checkpoints on a worker thread instead of inside a request's COMMIT.
 *
 * With the default `wal_autocheckpoint`, every ~1,000 WAL pages one unlucky COMMIT copies the WAL
 * back into the database file and fsyncs it, on the event loop: the benchmark measured ~300 µs of
 * blocked time per create on average (a 630 µs transaction became 310 µs without it), and those
 * pauses land on whichever request commits at that moment. Here the gateway's connection never
 * checkpoints; a second connection on a worker thread runs PASSIVE checkpoints (they never block
 * the writer) ten times a second, pass after pass while frames are left.
 *
 * SQLite restarts the WAL from its beginning only when a transaction begins with every frame
 * copied, and under steady writes the gateway is nearly always inside a transaction that began
 * before the worker caught up. So once the WAL holds RESTART_FRAMES, the gateway holds its
 * connection idle between two transactions (its queue: requests still run, their database work
 * waits) while the worker copies the last frames and fsyncs; the gateway's next write restarts
 * the WAL. Copying that tail on the event loop itself, as before, cost a create ~80 µs (mostly the
 * fsync, measured by profile). Durability is unchanged: commits are in the WAL either way.
 *
 * If the worker dies, the gateway's connection takes automatic checkpoints back, so the WAL can
 * never grow without bound; if the worker does not answer in time, the gateway copies the tail.
 */
import { Worker } from 'node:worker_threads';

/** The little of better-sqlite3 used here. */
interface SqliteDatabase {
  pragma(statement: string): unknown;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
parentPort.postMessage({ ready: true });
const timer = setInterval(() => {
  try {
    // Each pass is shorter than the last: what is left for the gateway's pause is small.
    let [status] = db.pragma('wal_checkpoint(PASSIVE)');
    for (let pass = 1; pass < workerData.maxPasses && status && status.checkpointed < status.log; pass += 1) {
      [status] = db.pragma('wal_checkpoint(PASSIVE)');
    }
    // The WAL restarts from its beginning only when a transaction begins with every frame copied;
    // under steady writes that moment does not come by itself (see WalCheckpointer).
    if (status && status.log >= workerData.restartFrames) parentPort.postMessage({ frames: status.log });
  } catch (error) { parentPort.postMessage({ error: String(error && error.message) }); }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'finish') {
    // The gateway holds its connection idle until it hears back: copy the tail, fsync.
    try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage({ error: String(error && error.message) }); }
    parentPort.postMessage({ finished: true });
    return;
  }
  if (message !== 'stop') return;
  clearInterval(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } finally { db.close(); parentPort.close(); }
});
`;

const DEFAULT_AUTOCHECKPOINT = 1000;
/** Half of SQLite's default checkpoint size: a small WAL keeps reads' WAL-index look-ups short. */
const RESTART_FRAMES = 500;
/** Passes of the worker per tick at most, while frames are left behind. */
const MAX_PASSES = 8;
/** How long the gateway's connection waits for the worker to copy the tail before copying it itself. */
const FINISH_TIMEOUT_MS = 1000;

/** Gives the gateway's connection SQLite's own checkpoints back; a connection already closed needs none. */
function restoreAutocheckpoint(db: SqliteDatabase): void {
  try {
    db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
  } catch {
    // closed with its data source
  }
}

export class WalCheckpointer {
  private readonly worker: Worker;
  private stopped = false;
  private finishing = false;
  /** Set while the gateway waits for the worker to copy the tail; `true`: the gateway copies it. */
  private tailCopied: ((gatewayCopies: boolean) => void) | null = null;
  /** Settles once the worker has its connection open (or has failed to). */
  readonly ready: Promise<void>;

  private constructor(
    private readonly db: SqliteDatabase,
    path: string,
    intervalMs: number,
    onProblem: (message: string) => void,
    betweenTransactions: (work: () => Promise<void>) => Promise<void>,
  ) {
    // Bound the WAL file left on disk after a reset (pages are reused, the file is not shrunk otherwise).
    db.pragma('journal_size_limit = 67108864');
    db.pragma('wal_autocheckpoint = 0');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), path, intervalMs, restartFrames: RESTART_FRAMES, maxPasses: MAX_PASSES },
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
    });
    this.worker.unref();
    this.ready = new Promise((resolve) => {
      this.worker.once('message', () => resolve());
      this.worker.once('exit', () => resolve());
    });
    this.worker.on('message', (message: { error?: string; frames?: number; finished?: boolean }) => {
      if (message.error) onProblem(`WAL checkpoint failed: ${message.error}`);
      if (message.finished) this.tailCopied?.(false);
      if (message.frames && !this.finishing && !this.stopped) {
        this.finishing = true;
        void betweenTransactions(() => this.finishOnWorker())
          .catch((error: Error) => onProblem(`WAL checkpoint failed: ${error.message}`))
          .finally(() => (this.finishing = false));
      }
    });
    const fallBack = (why: string) => {
      this.tailCopied?.(true);
      if (this.stopped) return;
      this.stopped = true;
      restoreAutocheckpoint(db);
      onProblem(`WAL checkpoint worker stopped (${why}); checkpoints run in the gateway's commits again`);
    };
    this.worker.on('error', (error) => fallBack(error.message));
    this.worker.on('exit', (code) => fallBack(`exit code ${code}`));
  }

  /**
   * Runs between two of the gateway's transactions: the worker copies the WAL's tail while the
   * connection stays idle. Without an answer in time (or with no worker), the gateway copies it.
   */
  private finishOnWorker(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.tailCopied?.(true), FINISH_TIMEOUT_MS);
      this.tailCopied = (gatewayCopies) => {
        clearTimeout(timer);
        this.tailCopied = null;
        try {
          if (gatewayCopies) this.db.pragma('wal_checkpoint(PASSIVE)');
          resolve();
        } catch (error) {
          reject(error as Error);
        }
      };
      if (this.stopped) this.tailCopied(true);
      else this.worker.postMessage('finish');
    });
  }

  /** Starts background checkpoints for a file database in WAL mode; null for `:memory:`. */
  static start(
    db: SqliteDatabase,
    path: string,
    options: { onProblem: (message: string) => void; betweenTransactions: (work: () => Promise<void>) => Promise<void>; intervalMs?: number },
  ): WalCheckpointer | null {
    if (path === ':memory:' || path === '') return null;
    return new WalCheckpointer(db, path, options.intervalMs ?? 100, options.onProblem, options.betweenTransactions);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    // Referenced while stopping: an unreferenced worker would let the process end mid-await.
    this.worker.ref();
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage('stop');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000)))]);
    clearTimeout(timer);
    await this.worker.terminate();
    restoreAutocheckpoint(this.db);
  }
}
