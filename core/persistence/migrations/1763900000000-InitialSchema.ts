/**
 * The first schema. Written with TypeORM's driver-neutral Table API so the same migration runs on
 * SQLite and MySQL/MariaDB. On MySQL every table is switched to utf8mb4_bin: dialect ids and filters
 * compare case-sensitively by code point (Maast `JOHNDOE` ≠ `johndoe`), which the default
 * case-insensitive collations would break.
 */
import { type MigrationInterface, type QueryRunner, Table, TableIndex, type TableColumnOptions } from 'typeorm';

type Kind = 'uuid' | 'seq' | 'ms' | 'int' | 'bool' | 'text' | number;

function column(name: string, kind: Kind, nullable = false): TableColumnOptions {
  switch (kind) {
    case 'uuid':
      return { name, type: 'varchar', length: '36', isNullable: nullable };
    case 'seq':
      return { name, type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
    case 'ms':
      return { name, type: 'bigint', isNullable: nullable };
    case 'int':
      return { name, type: 'integer', isNullable: nullable };
    case 'bool':
      return { name, type: 'boolean', isNullable: nullable };
    case 'text':
      return { name, type: 'text', isNullable: nullable };
    default:
      return { name, type: 'varchar', length: String(kind), isNullable: nullable };
  }
}

const opt = (name: string, kind: Kind) => column(name, kind, true);
const index = (name: string, columnNames: string[], isUnique = false) => new TableIndex({ name, columnNames, isUnique });

const TABLES: Table[] = [
  new Table({
    name: 'tenant',
    columns: [{ ...column('id', 'uuid'), isPrimary: true }, column('name', 100), column('disabled', 'bool'), column('dialects', 'text'), column('created_at', 'ms'), column('updated_at', 'ms')],
    indices: [index('ux_tenant_name', ['name'], true)],
  }),
  new Table({
    name: 'tenant_key',
    columns: [
      { ...column('id', 'uuid'), isPrimary: true },
      column('tenant_id', 'uuid'),
      column('purpose', 16),
      column('version', 'int'),
      column('wrapped_key', 'text'),
      column('master_key_id', 16),
      column('created_at', 'ms'),
    ],
    indices: [index('ux_tenant_key_version', ['tenant_id', 'purpose', 'version'], true)],
  }),
  new Table({
    name: 'api_key',
    columns: [
      { ...column('id', 'uuid'), isPrimary: true },
      column('tenant_id', 'uuid'),
      column('dialect', 16),
      column('kind', 8),
      column('prefix', 12),
      column('key_hash', 64),
      column('scopes', 'text'),
      column('created_at', 'ms'),
      opt('last_used_at', 'ms'),
      opt('revoked_at', 'ms'),
      opt('expires_at', 'ms'),
    ],
    indices: [index('ux_api_key_hash', ['key_hash'], true), index('ix_api_key_tenant', ['tenant_id', 'dialect'])],
  }),
  new Table({
    name: 'customer',
    columns: [
      column('seq', 'seq'),
      column('id', 'uuid'),
      column('object_id', 24),
      column('tenant_id', 'uuid'),
      column('vault_id', 64),
      opt('live_vault_id', 64),
      opt('given_name', 255),
      opt('family_name', 255),
      opt('company', 255),
      opt('email', 255),
      opt('phone', 64),
      opt('description', 255),
      opt('notes', 'text'),
      opt('reference', 255),
      column('flags', 'text'),
      opt('custom_fields', 'text'),
      column('extensions', 'text'),
      opt('default_billing_address_seq', 'int'),
      opt('default_shipping_address_seq', 'int'),
      opt('default_payment_method_seq', 'int'),
      column('created_at', 'ms'),
      column('updated_at', 'ms'),
      opt('deleted_at', 'ms'),
      opt('purged_at', 'ms'),
    ],
    indices: [
      index('ux_customer_id', ['id'], true),
      index('ux_customer_live_vault_id', ['tenant_id', 'live_vault_id'], true),
      index('ix_customer_object_id', ['tenant_id', 'object_id']),
      index('ix_customer_vault_id', ['tenant_id', 'vault_id']),
      index('ix_customer_given_name', ['tenant_id', 'given_name']),
      index('ix_customer_family_name', ['tenant_id', 'family_name']),
      index('ix_customer_company', ['tenant_id', 'company']),
      index('ix_customer_email', ['tenant_id', 'email']),
      index('ix_customer_phone', ['tenant_id', 'phone']),
      index('ix_customer_description', ['tenant_id', 'description']),
      index('ix_customer_reference', ['tenant_id', 'reference']),
      index('ix_customer_created_at', ['tenant_id', 'created_at']),
      index('ix_customer_updated_at', ['tenant_id', 'updated_at']),
      index('ix_customer_default_pm', ['tenant_id', 'default_payment_method_seq']),
    ],
  }),
  new Table({
    name: 'address',
    columns: [
      column('seq', 'seq'),
      column('id', 'uuid'),
      column('object_id', 24),
      column('tenant_id', 'uuid'),
      column('customer_seq', 'int'),
      opt('label', 100),
      opt('given_name', 255),
      opt('family_name', 255),
      opt('company', 255),
      opt('line1', 255),
      opt('line2', 255),
      opt('city', 255),
      opt('state', 64),
      opt('postal_code', 32),
      opt('postal_code_ext', 8),
      opt('country', 2),
      opt('country_name', 128),
      opt('country_code', 8),
      opt('email', 255),
      column('emails', 'text'),
      opt('phone', 64),
      opt('fax', 64),
      column('is_default', 'bool'),
      column('hash', 44),
      column('created_at', 'ms'),
      column('updated_at', 'ms'),
      opt('deleted_at', 'ms'),
    ],
    indices: [
      index('ux_address_id', ['id'], true),
      index('ix_address_customer', ['customer_seq', 'hash']),
      index('ix_address_object_id', ['tenant_id', 'object_id']),
      ...['given_name', 'family_name', 'company', 'line1', 'line2', 'city', 'state', 'postal_code', 'country', 'email', 'phone', 'fax'].map((name) =>
        index(`ix_address_${name}`, ['tenant_id', name]),
      ),
    ],
  }),
  new Table({
    name: 'payment_method',
    columns: [
      column('seq', 'seq'),
      column('id', 'uuid'),
      column('object_id', 24),
      column('tenant_id', 'uuid'),
      column('vault_ref', 32),
      opt('customer_seq', 'int'),
      column('kind', 8),
      opt('brand', 16),
      opt('bin', 6),
      column('last4', 4),
      column('number_length', 'int'),
      opt('exp_month', 'int'),
      opt('exp_year', 'int'),
      opt('secret', 'text'),
      opt('key_version', 'int'),
      opt('fingerprint', 64),
      opt('routing_number', 9),
      opt('account_type', 16),
      opt('holder_type', 16),
      opt('sec_code', 8),
      opt('bank_name', 255),
      opt('billing_given_name', 255),
      opt('billing_family_name', 255),
      opt('billing_company', 255),
      column('billing_emails', 'text'),
      opt('billing_phone', 64),
      opt('billing_line1', 255),
      opt('billing_line2', 255),
      opt('billing_city', 255),
      opt('billing_state', 64),
      opt('billing_postal_code', 32),
      opt('billing_postal_code_ext', 8),
      opt('billing_country', 2),
      opt('billing_country_name', 128),
      opt('billing_country_code', 8),
      opt('label', 255),
      column('flags', 'text'),
      opt('verified_at', 'ms'),
      column('cvc_provided', 'bool'),
      column('source', 16),
      opt('attached_at', 'ms'),
      opt('single_use_token', 32),
      opt('token_expires_at', 'ms'),
      column('extensions', 'text'),
      column('created_at', 'ms'),
      column('updated_at', 'ms'),
      opt('deleted_at', 'ms'),
      opt('purged_at', 'ms'),
    ],
    indices: [
      index('ux_payment_method_id', ['id'], true),
      index('ux_payment_method_token', ['single_use_token'], true),
      index('ix_payment_method_customer', ['customer_seq', 'fingerprint']),
      index('ix_payment_method_vault_ref', ['tenant_id', 'vault_ref']),
      index('ix_payment_method_object_id', ['tenant_id', 'object_id']),
      index('ix_payment_method_key_version', ['tenant_id', 'key_version']),
    ],
  }),
  new Table({
    name: 'audit_event',
    columns: [
      { ...column('id', 'uuid'), isPrimary: true },
      opt('tenant_id', 'uuid'),
      opt('actor_key_id', 'uuid'),
      column('dialect', 16),
      column('operation', 64),
      column('target_ids', 'text'),
      column('outcome', 16),
      opt('request_id', 36),
      column('created_at', 'ms'),
    ],
    indices: [index('ix_audit_tenant_time', ['tenant_id', 'created_at']), index('ix_audit_tenant_operation', ['tenant_id', 'operation', 'created_at'])],
  }),
];

export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql' || queryRunner.connection.options.type === 'mariadb';
    for (const table of TABLES) {
      await queryRunner.createTable(table, true, false, true);
      if (mysql) await queryRunner.query(`ALTER TABLE \`${table.name}\` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) await queryRunner.dropTable(table.name, true);
  }
}
