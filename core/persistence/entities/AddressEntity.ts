import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bool, epochMs, integer, json } from '../columns';

@Entity({ name: 'address' })
export class AddressEntity {
  @PrimaryGeneratedColumn({ type: 'integer' }) seq!: number;
  @Column({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'object_id', type: 'varchar', length: 24 }) objectId!: string;
  @Column({ name: 'tenant_id', type: 'varchar', length: 36 }) tenantId!: string;
  @Column({ name: 'customer_seq', type: 'integer', transformer: integer }) customerSeq!: number;
  /** The integer id kept from an import (Maast `shipping_id`); null for addresses made here. */
  @Column({ name: 'source_number', type: 'integer', nullable: true, transformer: integer }) sourceNumber!: number | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) label!: string | null;
  @Column({ name: 'given_name', type: 'varchar', length: 255, nullable: true }) givenName!: string | null;
  @Column({ name: 'family_name', type: 'varchar', length: 255, nullable: true }) familyName!: string | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) company!: string | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) line1!: string | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) line2!: string | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) city!: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) state!: string | null;
  @Column({ name: 'postal_code', type: 'varchar', length: 32, nullable: true }) postalCode!: string | null;
  @Column({ name: 'postal_code_ext', type: 'varchar', length: 8, nullable: true }) postalCodeExt!: string | null;
  @Column({ type: 'varchar', length: 2, nullable: true }) country!: string | null;
  @Column({ name: 'country_name', type: 'varchar', length: 128, nullable: true }) countryName!: string | null;
  @Column({ name: 'country_code', type: 'varchar', length: 8, nullable: true }) countryCode!: string | null;
  /** First of `emails`, kept in its own column so address e-mail filters are served by an index. */
  @Column({ type: 'varchar', length: 255, nullable: true }) email!: string | null;
  @Column({ type: 'text', transformer: json }) emails!: string[];
  @Column({ type: 'varchar', length: 64, nullable: true }) phone!: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) fax!: string | null;
  @Column({ name: 'is_default', type: 'boolean', transformer: bool }) isDefault!: boolean;
  @Column({ type: 'varchar', length: 44 }) hash!: string;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: number;
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs }) updatedAt!: number;
  @Column({ name: 'deleted_at', type: 'bigint', nullable: true, transformer: epochMs }) deletedAt!: number | null;
}
