/**
 * Indexes whose plans do not depend on table statistics (measured at 1,000,000 customers by the
 * benchmark's --scale run): a customer's addresses and payment methods in creation order, and the
 * Exact default listing order (createdAt, then id). A (tenant, deleted_at) index was tried for counts
 * and dropped: with two equality terms SQLite preferred it over every filter's own index.
 */
import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

const INDEXES: Array<[string, TableIndex]> = [
  ['address', new TableIndex({ name: 'ix_address_tenant_customer_seq', columnNames: ['tenant_id', 'customer_seq', 'seq'] })],
  ['payment_method', new TableIndex({ name: 'ix_payment_method_tenant_customer_seq', columnNames: ['tenant_id', 'customer_seq', 'seq'] })],
  ['customer', new TableIndex({ name: 'ix_customer_created_object', columnNames: ['tenant_id', 'created_at', 'object_id'] })],
];

export class ScalePlans1763900300000 implements MigrationInterface {
  name = 'ScalePlans1763900300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [table, index] of INDEXES) await queryRunner.createIndex(table, index);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, index] of INDEXES) await queryRunner.dropIndex(table, index.name!);
  }
}
