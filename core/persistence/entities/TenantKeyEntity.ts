import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs, integer } from '../columns';

/** A tenant's data key of one purpose and version, wrapped (AES-256-GCM) by the master key `masterKeyId`. */
@Entity({ name: 'tenant_key' })
export class TenantKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'tenant_id', type: 'varchar', length: 36 }) tenantId!: string;
  /** `data` (PAN / account encryption), `fingerprint` (card HMAC), `address` (address hash HMAC). */
  @Column({ type: 'varchar', length: 16 }) purpose!: string;
  @Column({ type: 'integer', transformer: integer }) version!: number;
  @Column({ name: 'wrapped_key', type: 'text' }) wrappedKey!: string;
  @Column({ name: 'master_key_id', type: 'varchar', length: 16 }) masterKeyId!: string;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: number;
}
