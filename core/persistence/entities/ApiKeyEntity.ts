import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs, json } from '../columns';

/** An API key, stored only as a SHA-256 hash; `prefix` is shown to operators to tell keys apart. */
@Entity({ name: 'api_key' })
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'tenant_id', type: 'varchar', length: 36 }) tenantId!: string;
  @Column({ type: 'varchar', length: 16 }) dialect!: string;
  @Column({ type: 'varchar', length: 8 }) kind!: string;
  @Column({ type: 'varchar', length: 12 }) prefix!: string;
  @Column({ name: 'key_hash', type: 'varchar', length: 64 }) keyHash!: string;
  @Column({ type: 'text', transformer: json }) scopes!: string[];
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: number;
  @Column({ name: 'last_used_at', type: 'bigint', nullable: true, transformer: epochMs }) lastUsedAt!: number | null;
  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: epochMs }) revokedAt!: number | null;
  @Column({ name: 'expires_at', type: 'bigint', nullable: true, transformer: epochMs }) expiresAt!: number | null;
}
