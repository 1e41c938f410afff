/**
 * A real gateway on a real, throw-away database for one describe block: SQLite in a temporary
 * file, or a fresh MariaDB/MySQL database that is dropped afterwards. Requests go through the
 * Express app (supertest), with real encryption and the real migrations.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import { loadConfig } from '../../config';
import { hashApiKey } from '../../core/tenancy/apiKeys';
import { createLogger } from '../../core/logger';
import type { DialectId, DialectSettings, Tenant } from '../../core/model';
import { ApiKeyEntity } from '../../core/persistence/entities';
import { createApp } from '../../gateway/app';
import { createContext, type GatewayContext } from '../../gateway/context';
import { parseDialectList, provisionTenant } from '../../gateway/provisioning';
import { connectServer, serverUrl } from './mysql';

export type DbKind = 'sqlite' | 'mysql';

export interface CreatedTenant {
  tenant: Tenant;
  keys: Record<string, string>;
  settings: Partial<Record<DialectId, DialectSettings>>;
}

export interface Harness {
  app: Express;
  db: DbKind;
  context: GatewayContext;
  /** The SQLite file (SQLite runs only). */
  sqliteFile?: string;
  createTenant(opts?: { name?: string; dialects?: DialectId[]; settings?: Partial<Record<DialectId, Record<string, unknown>>> }): Promise<CreatedTenant>;
  setDialectEnabled(tenantId: string, dialect: DialectId, enabled: boolean): Promise<void>;
  revokeKey(key: string): Promise<void>;
  /** Every row of every table, as the database returns them. */
  dumpTables(): Promise<Record<string, Array<Record<string, unknown>>>>;
  /** Everything the gateway logged so far, one JSON line per entry. */
  logs(): string;
  setNow(ms: number | null): void;
  close(): Promise<void>;
}

export const TABLES = ['tenant', 'tenant_key', 'api_key', 'customer', 'address', 'payment_method', 'audit_event', 'idempotency_record'];

export function mysqlEnabled(): boolean {
  return process.env.POLYVAULT_TEST_MYSQL_AVAILABLE === '1';
}

export async function startHarness(db: DbKind, env: Record<string, string> = {}): Promise<Harness> {
  let databaseUrl: string;
  let cleanup: () => Promise<void>;
  let sqliteFile: string | undefined;
  if (db === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'polyvault-test-'));
    sqliteFile = join(dir, 'polyvault.sqlite');
    databaseUrl = `sqlite:${sqliteFile}`;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `pv_test_${randomBytes(6).toString('hex')}`;
    const server = await connectServer();
    await server.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    await server.end();
    databaseUrl = serverUrl(name);
    cleanup = async () => {
      const connection = await connectServer();
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    };
  }
  let captured = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      captured += chunk.toString();
      done();
    },
  });
  const config = loadConfig({ DATABASE_URL: databaseUrl, POLYVAULT_MASTER_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'info', ...env });
  const context = await createContext(config, createLogger({ level: 'info', destination: sink }));
  const app = createApp(context);
  let counter = 0;
  return {
    app,
    db,
    context,
    sqliteFile,
    async createTenant(opts = {}) {
      counter += 1;
      const { tenant, keys } = await provisionTenant(context, {
        name: opts.name ?? `tenant-${counter}-${randomBytes(3).toString('hex')}`,
        dialects: opts.dialects ?? parseDialectList(undefined),
        settings: opts.settings,
      });
      return { tenant, keys, settings: tenant.dialects };
    },
    async setDialectEnabled(tenantId, dialect, enabled) {
      const tenant = await context.tenants.get(tenantId);
      const settings = tenant.dialects[dialect];
      if (!settings) throw new Error(`dialect ${dialect} was never enabled for ${tenantId}`);
      await context.tenants.setDialect(tenantId, dialect, { ...settings, enabled });
      context.credentials.invalidate();
    },
    async revokeKey(key) {
      await context.store.transaction((manager) => manager.update(ApiKeyEntity, { keyHash: hashApiKey(key) }, { revokedAt: Date.now() }));
      context.credentials.invalidate();
    },
    async dumpTables() {
      const out: Record<string, Array<Record<string, unknown>>> = {};
      for (const table of TABLES) out[table] = await context.store.read((manager) => manager.query(`SELECT * FROM ${table}`));
      return out;
    },
    logs: () => captured,
    setNow(ms) {
      context.clock.frozen = ms;
    },
    async close() {
      await context.close();
      await cleanup();
    },
  };
}

/**
 * One describe per database: SQLite always; MariaDB/MySQL when the global setup found a server.
 * Without one, the MySQL describe is still registered, as skipped, so that every MySQL-only
 * assertion shows in jest's summary as skipped instead of disappearing; with
 * POLYVAULT_TEST_MYSQL=required a missing server fails the global setup, and (should a run bypass
 * that setup) every file that asks for MySQL here.
 */
export function describeEachDatabase(title: string, fn: (harness: () => Harness, db: DbKind) => void, options: { env?: Record<string, string> } = {}): void {
  if (process.env.POLYVAULT_TEST_MYSQL === 'required' && !mysqlEnabled()) {
    throw new Error(`POLYVAULT_TEST_MYSQL=required but no MySQL/MariaDB server was found for "${title}" (was tests/support/globalSetup.ts run?)`);
  }
  for (const db of ['sqlite', 'mysql'] as const) {
    const run = db === 'sqlite' || mysqlEnabled() ? describe : describe.skip;
    run(`${title} [${db}]`, () => {
      let harness: Harness | undefined;
      beforeAll(async () => {
        harness = await startHarness(db, options.env);
      });
      afterAll(async () => {
        await harness?.close();
      });
      fn(() => {
        if (!harness) throw new Error('harness not started');
        return harness;
      }, db);
    });
  }
}
