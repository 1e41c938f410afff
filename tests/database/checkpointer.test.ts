/**
 * SQLite WAL checkpoints run on a worker thread, not in the gateway's commits: the gateway's
 * connection never checkpoints, the worker keeps the WAL from growing, and if the worker is gone
 * the gateway's connection checkpoints again.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../core/persistence/dataSource';
import { Store } from '../../core/persistence/store';

type Pragma = { pragma(statement: string, options?: { simple: boolean }): unknown };
const connectionOf = (store: Store) => (store.dataSource.driver as unknown as { databaseConnection: Pragma }).databaseConnection;

describe('SQLite WAL checkpoints on a worker thread', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'polyvault-wal-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function fill(store: Store, rows: number): Promise<void> {
    await store.transaction((m) => m.query('CREATE TABLE IF NOT EXISTS filler (n INTEGER PRIMARY KEY, body TEXT)'));
    for (let i = 0; i < rows; i += 1) {
      await store.transaction((m) => m.query('INSERT INTO filler (body) VALUES (?)', ['x'.repeat(3000)]));
      // Requests leave the event loop between their transactions; so does this loop (≤ ~10 commits per ms).
      if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  it('leaves the gateway connection without automatic checkpoints and checkpoints the WAL in the background', async () => {
    const problems: string[] = [];
    const store = new Store(await openStore(`sqlite:${join(dir, 'db.sqlite')}`), { backgroundCheckpoints: true, onProblem: (m) => problems.push(m) });
    try {
      expect(connectionOf(store).pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      await store.checkpointsReady;
      await fill(store, 6000);
      // Each commit of a 3 kB row appends ≥ 3 pages (≥ 12 kB) to the WAL: 6,000 of them ≥ 72 MB
      // if nothing restarted it. The rows reached the database file, which this connection never
      // checkpoints into.
      expect(statSync(join(dir, 'db.sqlite-wal')).size).toBeLessThan(36 * 1024 * 1024);
      expect(statSync(join(dir, 'db.sqlite')).size).toBeGreaterThan(6000 * 3000);
      expect(problems).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('gives automatic checkpoints back to the gateway connection when the worker dies', async () => {
    const problems: string[] = [];
    const store = new Store(await openStore(`sqlite:${join(dir, 'db.sqlite')}`), { backgroundCheckpoints: true, onProblem: (m) => problems.push(m) });
    try {
      const worker = (store as unknown as { checkpointer: { worker: { terminate(): Promise<number> } } }).checkpointer.worker;
      await worker.terminate();
      await new Promise((resolve) => setImmediate(resolve));
      expect(connectionOf(store).pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
      expect(problems).toEqual([expect.stringContaining('checkpoints run in the gateway')]);
    } finally {
      await store.close();
    }
  });

  it('runs no worker for an in-memory database', async () => {
    const store = new Store(await openStore('sqlite::memory:'), { backgroundCheckpoints: true });
    try {
      expect(connectionOf(store).pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    } finally {
      await store.close();
    }
  });
});
