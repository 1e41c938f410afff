import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs, integer, json } from '../columns';

/** The first completed response to an Idempotency-Key, replayed for 24 hours. */
@Entity({ name: 'idempotency_record' })
export class IdempotencyRecordEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  /** SHA-256 of (tenant, dialect, method, path, key): the scope, as one indexed value. */
  @Column({ name: 'scope_hash', type: 'varchar', length: 64 }) scopeHash!: string;
  @Column({ name: 'tenant_id', type: 'varchar', length: 36 }) tenantId!: string;
  @Column({ name: 'request_hash', type: 'varchar', length: 64 }) requestHash!: string;
  /** `in_flight` until the first response completes, then `completed`. */
  @Column({ type: 'varchar', length: 16 }) state!: string;
  @Column({ name: 'response_status', type: 'integer', nullable: true, transformer: integer }) responseStatus!: number | null;
  @Column({ name: 'response_headers', type: 'text', nullable: true, transformer: json }) responseHeaders!: Record<string, string> | null;
  @Column({ name: 'response_body', type: 'text', nullable: true }) responseBody!: string | null;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: number;
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs }) expiresAt!: number;
}
