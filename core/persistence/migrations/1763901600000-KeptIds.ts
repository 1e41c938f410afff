/**
 * What an import that keeps the source provider's ids needs (docs/migration.md):
 *
 * - Record ids (UUIDs) are unique per tenant, not store-wide: a vault exported from one tenant and
 *   imported into another (or the same provider's file imported for two tenants) keeps its ids in
 *   both. Every look-up by id names the tenant, so the (tenant, id) index serves it as the id index did.
 * - `address.source_number`: the integer id an address had at its provider (Maast `shipping_id`),
 *   which cannot be the store-wide `seq`.
 * - `import_ledger`: one row per imported customer, written in the customer's own transaction, so a
 *   run of the same file again (after a kill) knows what is already in.
 * - `migration_job`: imports and exports started through the admin API, with their state and counts.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

const isMysql = (queryRunner: QueryRunner) => ['mysql', 'mariadb'].includes(queryRunner.connection.options.type);
const TABLES = ['customer', 'address', 'payment_method'] as const;

export class KeptIds1763901600000 implements MigrationInterface {
  name = 'KeptIds1763901600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = isMysql(queryRunner);
    const text = mysql ? ' CHARACTER SET utf8mb4 COLLATE utf8mb4_bin' : '';
    for (const table of TABLES) {
      await queryRunner.query(mysql ? `DROP INDEX ux_${table}_id ON ${table}` : `DROP INDEX ux_${table}_id`);
      await queryRunner.query(`CREATE UNIQUE INDEX ux_${table}_tenant_id ON ${table} (tenant_id, id)`);
    }
    await queryRunner.query('ALTER TABLE address ADD COLUMN source_number INTEGER NULL');
    await queryRunner.query(
      `CREATE TABLE import_ledger (tenant_id VARCHAR(36)${text} NOT NULL, source_key VARCHAR(160)${text} NOT NULL, digest VARCHAR(64) NOT NULL, customer_seq INTEGER NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, source_key))`,
    );
    await queryRunner.query(
      `CREATE TABLE migration_job (id VARCHAR(36)${text} NOT NULL PRIMARY KEY, tenant_id VARCHAR(36)${text} NOT NULL, kind VARCHAR(8) NOT NULL, state VARCHAR(16) NOT NULL, options TEXT NOT NULL, counts TEXT NULL, error VARCHAR(255) NULL, process_id VARCHAR(64) NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)`,
    );
    await queryRunner.query('CREATE INDEX ix_migration_job_tenant ON migration_job (tenant_id, created_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const mysql = isMysql(queryRunner);
    await queryRunner.query('DROP TABLE migration_job');
    await queryRunner.query('DROP TABLE import_ledger');
    await queryRunner.query('ALTER TABLE address DROP COLUMN source_number');
    for (const table of TABLES) {
      await queryRunner.query(mysql ? `DROP INDEX ux_${table}_tenant_id ON ${table}` : `DROP INDEX ux_${table}_tenant_id`);
      await queryRunner.query(`CREATE UNIQUE INDEX ux_${table}_id ON ${table} (id)`);
    }
  }
}
