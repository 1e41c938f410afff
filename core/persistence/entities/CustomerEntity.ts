import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { epochMs, integer, json } from '../columns';
import type { CustomField, Extensions } from '../../model';

@Entity({ name: 'customer' })
export class CustomerEntity {
  @PrimaryGeneratedColumn({ type: 'integer' }) seq!: number;
  @Column({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'object_id', type: 'varchar', length: 24 }) objectId!: string;
  @Column({ name: 'tenant_id', type: 'varchar', length: 36 }) tenantId!: string;
  @Column({ name: 'vault_id', type: 'varchar', length: 64 }) vaultId!: string;
  /** `vault_id` while the customer is live, null once deleted: unique per tenant, so deleted ids can be reused. */
  @Column({ name: 'live_vault_id', type: 'varchar', length: 64, nullable: true }) liveVaultId!: string | null;
  @Column({ name: 'given_name', type: 'varchar', length: 255, nullable: true }) givenName!: string | null;
  @Column({ name: 'family_name', type: 'varchar', length: 255, nullable: true }) familyName!: string | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) company!: string | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) email!: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) phone!: string | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) description!: string | null;
  @Column({ type: 'text', nullable: true }) notes!: string | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) reference!: string | null;
  @Column({ name: 'integrator_id', type: 'varchar', length: 64, nullable: true }) integratorId!: string | null;
  @Column({ type: 'text', transformer: json }) flags!: string[];
  @Column({ name: 'custom_fields', type: 'text', nullable: true, transformer: json }) customFields!: CustomField[] | null;
  @Column({ type: 'text', transformer: json }) extensions!: Extensions;
  @Column({ name: 'default_billing_address_seq', type: 'integer', nullable: true, transformer: integer }) defaultBillingAddressSeq!: number | null;
  @Column({ name: 'default_shipping_address_seq', type: 'integer', nullable: true, transformer: integer }) defaultShippingAddressSeq!: number | null;
  @Column({ name: 'default_payment_method_seq', type: 'integer', nullable: true, transformer: integer }) defaultPaymentMethodSeq!: number | null;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: number;
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs }) updatedAt!: number;
  @Column({ name: 'deleted_at', type: 'bigint', nullable: true, transformer: epochMs }) deletedAt!: number | null;
  @Column({ name: 'purged_at', type: 'bigint', nullable: true, transformer: epochMs }) purgedAt!: number | null;
}
