/**
 * How many live (not deleted) customers each tenant has, kept in the write transactions that
 * change it, so that the total of an unfiltered list is one small read instead of a count of
 * every customer (the benchmark's Exact `$skip=10000` page at 200,000 customers spent >90 % of its
 * time counting). Several rows per tenant on MySQL (shards summed on read), so concurrent creates
 * of one tenant do not queue on one row lock.
 */
import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

export class LiveCustomerCounts1763900500000 implements MigrationInterface {
  name = 'LiveCustomerCounts1763900500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'customer_count',
        columns: [
          { name: 'tenant_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'shard', type: 'integer', isPrimary: true },
          { name: 'live', type: 'bigint', default: 0 },
        ],
      }),
      true,
    );
    const type = queryRunner.connection.options.type;
    if (type === 'mysql' || type === 'mariadb') await queryRunner.query('ALTER TABLE `customer_count` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin');
    await queryRunner.query('INSERT INTO customer_count (tenant_id, shard, live) SELECT tenant_id, 0, COUNT(*) FROM customer WHERE deleted_at IS NULL GROUP BY tenant_id');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('customer_count');
  }
}
