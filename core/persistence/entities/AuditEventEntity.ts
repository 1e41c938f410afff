import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs, json } from '../columns';

/** Append-only record of one write or admin action. Never holds a PAN, CVV or key. */
@Entity({ name: 'audit_event' })
export class AuditEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'tenant_id', type: 'varchar', length: 36, nullable: true }) tenantId!: string | null;
  @Column({ name: 'actor_key_id', type: 'varchar', length: 36, nullable: true }) actorKeyId!: string | null;
  @Column({ type: 'varchar', length: 16 }) dialect!: string;
  @Column({ type: 'varchar', length: 64 }) operation!: string;
  @Column({ name: 'target_ids', type: 'text', transformer: json }) targetIds!: string[];
  @Column({ type: 'varchar', length: 16 }) outcome!: string;
  @Column({ name: 'request_id', type: 'varchar', length: 36, nullable: true }) requestId!: string | null;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: number;
}
