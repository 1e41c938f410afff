import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bool, epochMs, json } from '../columns';
import type { DialectId, DialectSettings } from '../../model';

@Entity({ name: 'tenant' })
export class TenantEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 100 }) name!: string;
  @Column({ type: 'boolean', transformer: bool }) disabled!: boolean;
  @Column({ type: 'text', transformer: json }) dialects!: Partial<Record<DialectId, DialectSettings>>;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: number;
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs }) updatedAt!: number;
}
