/**
 * Indexes for the FluidPay search filters on notes and on the default billing/shipping address.
 * `notes` is TEXT: MySQL can index only a prefix of it, SQLite the whole value.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class FilterIndexes1763900200000 implements MigrationInterface {
  name = 'FilterIndexes1763900200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = ['mysql', 'mariadb'].includes(queryRunner.connection.options.type);
    await queryRunner.query(mysql ? 'CREATE INDEX ix_customer_notes ON customer (tenant_id, notes(255))' : 'CREATE INDEX ix_customer_notes ON customer (tenant_id, notes)');
    await queryRunner.query('CREATE INDEX ix_customer_default_billing ON customer (tenant_id, default_billing_address_seq)');
    await queryRunner.query('CREATE INDEX ix_customer_default_shipping ON customer (tenant_id, default_shipping_address_seq)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const mysql = ['mysql', 'mariadb'].includes(queryRunner.connection.options.type);
    for (const name of ['ix_customer_notes', 'ix_customer_default_billing', 'ix_customer_default_shipping']) {
      await queryRunner.query(mysql ? `DROP INDEX ${name} ON customer` : `DROP INDEX ${name}`);
    }
  }
}
