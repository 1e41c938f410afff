import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../columns';

/** One installation-wide fact every process reads from the database (e.g. the master key new wraps use). */
@Entity({ name: 'vault_setting' })
export class VaultSettingEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 }) name!: string;
  @Column({ type: 'varchar', length: 255 }) value!: string;
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs }) updatedAt!: number;
}
