/** Stored responses for Idempotency-Key replays, shared by every gateway process. */
import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

export class IdempotencyRecords1763900100000 implements MigrationInterface {
  name = 'IdempotencyRecords1763900100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_record',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'scope_hash', type: 'varchar', length: '64' },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          { name: 'request_hash', type: 'varchar', length: '64' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'response_status', type: 'integer', isNullable: true },
          { name: 'response_headers', type: 'text', isNullable: true },
          { name: 'response_body', type: 'text', isNullable: true },
          { name: 'created_at', type: 'bigint' },
          { name: 'expires_at', type: 'bigint' },
        ],
        indices: [new TableIndex({ name: 'ux_idempotency_scope', columnNames: ['scope_hash'], isUnique: true }), new TableIndex({ name: 'ix_idempotency_expiry', columnNames: ['expires_at'] })],
      }),
      true,
    );
    const type = queryRunner.connection.options.type;
    if (type === 'mysql' || type === 'mariadb') await queryRunner.query('ALTER TABLE `idempotency_record` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('idempotency_record', true);
  }
}
