/**
 * SQLite group commit: writes that reach the store in one turn of the event loop share one
 * transaction and one COMMIT, each in its own savepoint; callers hear of success only after the
 * COMMIT; a failed write takes back only its own rows; a failed COMMIT fails every write of its
 * batch; reads never run inside an open batch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntityManager } from 'typeorm';
import { openStore } from '../../core/persistence/dataSource';
import { Store } from '../../core/persistence/store';
import { captureQueries } from '../support/queryLog';

const connectionOf = (store: Store) => (store.dataSource.driver as unknown as { databaseConnection: { inTransaction: boolean } }).databaseConnection;
const names = async (store: Store) => ((await store.read((m) => m.query('SELECT name FROM item ORDER BY name'))) as Array<{ name: string }>).map((r) => r.name);
const insert = (name: string) => (m: EntityManager) => m.query('INSERT INTO item (name) VALUES (?)', [name]);

describe('SQLite group commit', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'polyvault-group-'));
    store = new Store(await openStore(`sqlite:${join(dir, 'db.sqlite')}`), { backgroundCheckpoints: true });
    await store.transaction((m) => m.query('CREATE TABLE item (name TEXT PRIMARY KEY)'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits the writes of one event-loop turn together, each answered only once committed', async () => {
    let committedBeforeAnswer = true;
    const statements = await captureQueries(store.dataSource, () =>
      Promise.all(
        ['a', 'b', 'c', 'd'].map((name) =>
          store.transaction(insert(name)).then(() => {
            // The answer comes after the COMMIT: the connection is no longer inside the batch.
            if (connectionOf(store).inTransaction) committedBeforeAnswer = false;
          }),
        ),
      ),
    );
    expect(committedBeforeAnswer).toBe(true);
    const control = statements.map((q) => q.sql).filter((sql) => /^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)/.test(sql));
    expect(control.filter((sql) => sql.startsWith('BEGIN'))).toHaveLength(1);
    expect(control.filter((sql) => sql === 'COMMIT')).toHaveLength(1);
    expect(control.filter((sql) => sql.startsWith('SAVEPOINT'))).toHaveLength(4);
    expect(await names(store)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('takes back only the rows of a write that fails; the other writes of its batch commit', async () => {
    const results = await Promise.allSettled([
      store.transaction(insert('kept1')),
      store.transaction(async (m) => {
        await insert('lost')(m);
        throw new Error('half-way');
      }),
      store.transaction(insert('kept1')), // a duplicate of a row of the same batch: refused alone
      store.transaction(insert('kept2')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(await names(store)).toEqual(['kept1', 'kept2']);
  });

  it('fails every write of a batch whose COMMIT fails, and keeps none of them', async () => {
    // TypeORM opens SQLite with foreign keys enforced.
    await store.transaction((m) => m.query('CREATE TABLE child (parent TEXT REFERENCES item (name) DEFERRABLE INITIALLY DEFERRED)'));
    // A deferred foreign key is checked at COMMIT: the orphan makes the whole batch's COMMIT fail.
    const results = await Promise.allSettled([store.transaction(insert('innocent')), store.transaction((m) => m.query("INSERT INTO child (parent) VALUES ('nobody')"))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(connectionOf(store).inTransaction).toBe(false);
    expect(await names(store)).toEqual([]);
    // The store goes on: the next batch commits.
    await store.transaction(insert('after'));
    expect(await names(store)).toEqual(['after']);
  });

  it('fails the whole batch when SQLite has rolled its transaction back (as on some I/O errors), and goes on', async () => {
    const raw = store.dataSource.driver as unknown as { databaseConnection: { exec(sql: string): void } };
    const results = await Promise.allSettled([
      store.transaction(insert('before')),
      store.transaction(async (m) => {
        await insert('doomed')(m);
        // What SQLite does by itself on SQLITE_FULL or SQLITE_IOERR: the transaction is gone.
        raw.databaseConnection.exec('ROLLBACK');
        throw new Error('disk I/O error');
      }),
      store.transaction(async (m) => {
        await insert('lost quietly')(m);
        raw.databaseConnection.exec('ROLLBACK'); // and here the write itself does not notice
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(connectionOf(store).inTransaction).toBe(false);
    expect(await names(store)).toEqual([]);
    await Promise.all([store.transaction(insert('x')), store.transaction(insert('y'))]);
    expect(await names(store)).toEqual(['x', 'y']);
  });

  it('never runs a read inside an open batch: the batch commits first', async () => {
    const write = store.transaction(insert('w'));
    const seen = await store.read(async (m) => ({ inTransaction: connectionOf(store).inTransaction, rows: (await m.query('SELECT name FROM item')) as unknown[] }));
    expect(seen).toEqual({ inTransaction: false, rows: [{ name: 'w' }] });
    await write;
  });
});
