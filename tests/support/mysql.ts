/**
 * The MariaDB/MySQL server the database tests use: POLYVAULT_TEST_MYSQL_URL, by default the local
 * server CI starts (root, no password). POLYVAULT_TEST_MYSQL=required makes an unreachable server a
 * failure; unset, the MySQL runs are skipped with one printed line.
 */
import { createConnection } from 'mysql2/promise';

export const MYSQL_SERVER_URL = process.env.POLYVAULT_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/polyvault_test';

export function serverUrl(database: string): string {
  const url = new URL(MYSQL_SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function connectServer() {
  const url = new URL(MYSQL_SERVER_URL);
  return createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    connectTimeout: 3000,
  });
}
