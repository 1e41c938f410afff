/**
 * The customer's integrator id (Maast `developer_id`: the software that created the customer) as
 * an indexed column. It lived in `extensions.maast`, which no index can serve, so a Maast browse
 * filtered or ordered on it read every customer of the tenant into memory. Existing values move
 * from the extensions into the column (and back on revert).
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

const isMysql = (queryRunner: QueryRunner) => ['mysql', 'mariadb'].includes(queryRunner.connection.options.type);

export class IntegratorId1763900600000 implements MigrationInterface {
  name = 'IntegratorId1763900600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = isMysql(queryRunner);
    await queryRunner.query('ALTER TABLE customer ADD COLUMN integrator_id VARCHAR(64) NULL');
    // Partial on SQLite like the other indexes of usually-unset columns (LeanWriteIndexes).
    await queryRunner.query(`CREATE INDEX ix_customer_integrator_id ON customer (tenant_id, integrator_id)${mysql ? '' : ' WHERE integrator_id IS NOT NULL'}`);
    const [value, remove, length] = mysql ? ['JSON_VALUE', 'JSON_REMOVE', 'JSON_LENGTH'] : ['json_extract', 'json_remove', 'json_array_length'];
    await queryRunner.query(`UPDATE customer SET integrator_id = ${value}(extensions, '$.maast.developer_id') WHERE ${value}(extensions, '$.maast.developer_id') IS NOT NULL`);
    await queryRunner.query(`UPDATE customer SET extensions = ${remove}(extensions, '$.maast.developer_id') WHERE integrator_id IS NOT NULL`);
    // A Maast extension left empty goes too, as the adapter never writes an empty one.
    const emptyMaast = mysql ? `${length}(JSON_EXTRACT(extensions, '$.maast')) = 0` : `json_extract(extensions, '$.maast') = '{}'`;
    await queryRunner.query(`UPDATE customer SET extensions = ${remove}(extensions, '$.maast') WHERE integrator_id IS NOT NULL AND ${emptyMaast}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const mysql = isMysql(queryRunner);
    const moveBack = mysql
      ? `JSON_SET(extensions, '$.maast', JSON_SET(COALESCE(JSON_EXTRACT(extensions, '$.maast'), JSON_OBJECT()), '$.developer_id', integrator_id))`
      : `json_set(extensions, '$.maast', json_set(COALESCE(json_extract(extensions, '$.maast'), '{}'), '$.developer_id', integrator_id))`;
    await queryRunner.query(`UPDATE customer SET extensions = ${moveBack} WHERE integrator_id IS NOT NULL`);
    await queryRunner.query(mysql ? 'DROP INDEX ix_customer_integrator_id ON customer' : 'DROP INDEX ix_customer_integrator_id');
    await queryRunner.query('ALTER TABLE customer DROP COLUMN integrator_id');
  }
}
