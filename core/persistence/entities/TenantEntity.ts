import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bool, epochMs, json } from '../columns';
import type { DialectId, DialectSettings } from '../../model';

@Entity({ name: 'tenant' })
export class TenantEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 100 }) name!: string;
  @Column({ type: 'boolean', transformer: bool }) disabled!: boolean;
  /** Its data may be wiped by `tenant reset` even in production mode (set at creation or by the admin API). */
  @Column({ type: 'boolean', transformer: bool }) sandbox!: boolean;
  @Column({ type: 'text', transformer: json }) dialects!: Partial<Record<DialectId, DialectSettings>>;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: number;
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs }) updatedAt!: number;
}
