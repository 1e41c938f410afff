/**
 * Online master-key rotation and the sandbox mark:
 * - `vault_setting` holds installation-wide facts every process must agree on; the first is which
 *   master key new wraps use (recorded by `keys rotate-master`, so gateways that already hold the
 *   new key switch to it without a restart);
 * - an index on `tenant_key.master_key_id`, so start-up and `/readyz` list the master keys in use
 *   without reading every tenant's keys;
 * - `tenant.sandbox`: a tenant whose data may be wiped by `tenant reset` in production mode.
 *   Existing tenants are not sandbox: nobody said they were.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

const isMysql = (queryRunner: QueryRunner) => ['mysql', 'mariadb'].includes(queryRunner.connection.options.type);

export class MasterKeysAndSandbox1763900710000 implements MigrationInterface {
  name = 'MasterKeysAndSandbox1763900710000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE vault_setting (name VARCHAR(64) NOT NULL PRIMARY KEY, value VARCHAR(255) NOT NULL, updated_at BIGINT NOT NULL)');
    await queryRunner.query('CREATE INDEX ix_tenant_key_master_key ON tenant_key (master_key_id)');
    await queryRunner.query('ALTER TABLE tenant ADD COLUMN sandbox BOOLEAN NOT NULL DEFAULT 0');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE tenant DROP COLUMN sandbox');
    await queryRunner.query(isMysql(queryRunner) ? 'DROP INDEX ix_tenant_key_master_key ON tenant_key' : 'DROP INDEX ix_tenant_key_master_key');
    await queryRunner.query('DROP TABLE vault_setting');
  }
}
