/**
 * The per-tenant count of live customers (table `customer_count`, see its migration). Every
 * change of a customer's liveness adjusts it in the same transaction: create +1, delete of a live
 * customer −1, restore +1, sandbox reset to nothing.
 */
import type { EntityManager } from 'typeorm';
import { sqlRunner } from './rawRows';

/** SQLite has one writer and keeps a tenant's count in one row; MySQL spreads it over several. */
const SQLITE_SHARD = 0;
const MYSQL_SHARDS = 8;

/**
 * The live count's statements per database. SQLite's look-up names the whole key (its one shard):
 * a look-up by the key prefix alone depends on the planner's statistics, and statistics taken
 * while the table held one tenant's row make SQLite scan it until the periodic `PRAGMA optimize`
 * analyses it again. A whole-key equality is served by the key whatever the statistics say.
 */
const STATEMENTS = {
  sqlite: {
    upsert: 'INSERT INTO customer_count (tenant_id, shard, live) VALUES (?, ?, ?) ON CONFLICT (tenant_id, shard) DO UPDATE SET live = live + excluded.live',
    live: `SELECT live FROM customer_count WHERE tenant_id = ? AND shard = ${SQLITE_SHARD}`,
  },
  mysql: {
    upsert: 'INSERT INTO customer_count (tenant_id, shard, live) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE live = live + VALUES(live)',
    live: 'SELECT COALESCE(SUM(live), 0) AS live FROM customer_count WHERE tenant_id = ?',
  },
};

const databaseOf = (manager: EntityManager): keyof typeof STATEMENTS => (manager.connection.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql');

export async function adjustLiveCustomers(manager: EntityManager, tenantId: string, delta: number): Promise<void> {
  if (delta === 0) return;
  const database = databaseOf(manager);
  const shard = database === 'sqlite' ? SQLITE_SHARD : Math.floor(Math.random() * MYSQL_SHARDS);
  await sqlRunner(manager.connection).write(manager, STATEMENTS[database].upsert, [tenantId, shard, delta]);
}

export async function liveCustomers(manager: EntityManager, tenantId: string): Promise<number> {
  const [row] = await sqlRunner(manager.connection).rows(manager, STATEMENTS[databaseOf(manager)].live, [tenantId]);
  return Number(row === undefined ? 0 : Array.isArray(row) ? row[0] : row.live);
}

export async function forgetLiveCustomers(manager: EntityManager, tenantId: string): Promise<void> {
  await sqlRunner(manager.connection).write(manager, 'DELETE FROM customer_count WHERE tenant_id = ?', [tenantId]);
}
