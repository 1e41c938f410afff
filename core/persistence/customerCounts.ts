/**
 * The per-tenant count of live customers (table `customer_count`, see its migration). Every
 * change of a customer's liveness adjusts it in the same transaction: create +1, delete of a live
 * customer −1, restore +1, sandbox reset to nothing.
 */
import type { EntityManager } from 'typeorm';
import { sqlRunner } from './rawRows';

/** MySQL spreads a tenant's count over this many rows; SQLite has one writer and needs one. */
const MYSQL_SHARDS = 8;

const UPSERT = {
  sqlite: 'INSERT INTO customer_count (tenant_id, shard, live) VALUES (?, ?, ?) ON CONFLICT (tenant_id, shard) DO UPDATE SET live = live + excluded.live',
  mysql: 'INSERT INTO customer_count (tenant_id, shard, live) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE live = live + VALUES(live)',
};

export async function adjustLiveCustomers(manager: EntityManager, tenantId: string, delta: number): Promise<void> {
  if (delta === 0) return;
  const sqlite = manager.connection.options.type === 'better-sqlite3';
  const shard = sqlite ? 0 : Math.floor(Math.random() * MYSQL_SHARDS);
  await sqlRunner(manager.connection).write(manager, sqlite ? UPSERT.sqlite : UPSERT.mysql, [tenantId, shard, delta]);
}

/**
 * SQLite names the whole key (its one shard): a look-up by the key prefix alone depends on the
 * planner's statistics, and statistics taken while the table held one tenant's row make SQLite
 * scan it until the periodic `PRAGMA optimize` analyses it again. A whole-key equality is served
 * by the key whatever the statistics say.
 */
const LIVE = {
  sqlite: 'SELECT live FROM customer_count WHERE tenant_id = ? AND shard = 0',
  mysql: 'SELECT COALESCE(SUM(live), 0) AS live FROM customer_count WHERE tenant_id = ?',
};

export async function liveCustomers(manager: EntityManager, tenantId: string): Promise<number> {
  const sqlite = manager.connection.options.type === 'better-sqlite3';
  const [row] = await sqlRunner(manager.connection).rows(manager, sqlite ? LIVE.sqlite : LIVE.mysql, [tenantId]);
  return Number(row === undefined ? 0 : Array.isArray(row) ? row[0] : row.live);
}

export async function forgetLiveCustomers(manager: EntityManager, tenantId: string): Promise<void> {
  await sqlRunner(manager.connection).write(manager, 'DELETE FROM customer_count WHERE tenant_id = ?', [tenantId]);
}
