import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bool, epochMs, integer, json } from '../columns';
import type { Extensions } from '../../model';

@Entity({ name: 'payment_method' })
export class PaymentMethodEntity {
  @PrimaryGeneratedColumn({ type: 'integer' }) seq!: number;
  @Column({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'object_id', type: 'varchar', length: 24 }) objectId!: string;
  @Column({ name: 'tenant_id', type: 'varchar', length: 36 }) tenantId!: string;
  @Column({ name: 'vault_ref', type: 'varchar', length: 32 }) vaultRef!: string;
  @Column({ name: 'customer_seq', type: 'integer', nullable: true, transformer: integer }) customerSeq!: number | null;
  @Column({ type: 'varchar', length: 8 }) kind!: string;
  @Column({ type: 'varchar', length: 16, nullable: true }) brand!: string | null;
  @Column({ type: 'varchar', length: 6, nullable: true }) bin!: string | null;
  @Column({ type: 'varchar', length: 4 }) last4!: string;
  @Column({ name: 'number_length', type: 'integer', transformer: integer }) numberLength!: number;
  @Column({ name: 'exp_month', type: 'integer', nullable: true, transformer: integer }) expMonth!: number | null;
  @Column({ name: 'exp_year', type: 'integer', nullable: true, transformer: integer }) expYear!: number | null;
  /** AES-256-GCM ciphertext of the PAN or account number; null once purged. */
  @Column({ type: 'text', nullable: true }) secret!: string | null;
  /** Version of the tenant data key that encrypted `secret`. */
  @Column({ name: 'key_version', type: 'integer', nullable: true, transformer: integer }) keyVersion!: number | null;
  /** HMAC-SHA-256 of the number with the tenant's fingerprint key: duplicate checks without decrypting. */
  @Column({ type: 'varchar', length: 64, nullable: true }) fingerprint!: string | null;
  @Column({ name: 'routing_number', type: 'varchar', length: 9, nullable: true }) routingNumber!: string | null;
  @Column({ name: 'account_type', type: 'varchar', length: 16, nullable: true }) accountType!: string | null;
  @Column({ name: 'holder_type', type: 'varchar', length: 16, nullable: true }) holderType!: string | null;
  @Column({ name: 'sec_code', type: 'varchar', length: 8, nullable: true }) secCode!: string | null;
  @Column({ name: 'bank_name', type: 'varchar', length: 255, nullable: true }) bankName!: string | null;
  @Column({ name: 'billing_given_name', type: 'varchar', length: 255, nullable: true }) billingGivenName!: string | null;
  @Column({ name: 'billing_family_name', type: 'varchar', length: 255, nullable: true }) billingFamilyName!: string | null;
  @Column({ name: 'billing_company', type: 'varchar', length: 255, nullable: true }) billingCompany!: string | null;
  @Column({ name: 'billing_emails', type: 'text', transformer: json }) billingEmails!: string[];
  @Column({ name: 'billing_phone', type: 'varchar', length: 64, nullable: true }) billingPhone!: string | null;
  @Column({ name: 'billing_line1', type: 'varchar', length: 255, nullable: true }) billingLine1!: string | null;
  @Column({ name: 'billing_line2', type: 'varchar', length: 255, nullable: true }) billingLine2!: string | null;
  @Column({ name: 'billing_city', type: 'varchar', length: 255, nullable: true }) billingCity!: string | null;
  @Column({ name: 'billing_state', type: 'varchar', length: 64, nullable: true }) billingState!: string | null;
  @Column({ name: 'billing_postal_code', type: 'varchar', length: 32, nullable: true }) billingPostalCode!: string | null;
  @Column({ name: 'billing_postal_code_ext', type: 'varchar', length: 8, nullable: true }) billingPostalCodeExt!: string | null;
  @Column({ name: 'billing_country', type: 'varchar', length: 2, nullable: true }) billingCountry!: string | null;
  @Column({ name: 'billing_country_name', type: 'varchar', length: 128, nullable: true }) billingCountryName!: string | null;
  @Column({ name: 'billing_country_code', type: 'varchar', length: 8, nullable: true }) billingCountryCode!: string | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) label!: string | null;
  @Column({ type: 'text', transformer: json }) flags!: string[];
  @Column({ name: 'verified_at', type: 'bigint', nullable: true, transformer: epochMs }) verifiedAt!: number | null;
  @Column({ name: 'cvc_provided', type: 'boolean', transformer: bool }) cvcProvided!: boolean;
  @Column({ type: 'varchar', length: 16 }) source!: string;
  @Column({ name: 'attached_at', type: 'bigint', nullable: true, transformer: epochMs }) attachedAt!: number | null;
  @Column({ name: 'single_use_token', type: 'varchar', length: 32, nullable: true }) singleUseToken!: string | null;
  @Column({ name: 'token_expires_at', type: 'bigint', nullable: true, transformer: epochMs }) tokenExpiresAt!: number | null;
  @Column({ type: 'text', transformer: json }) extensions!: Extensions;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: number;
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs }) updatedAt!: number;
  @Column({ name: 'deleted_at', type: 'bigint', nullable: true, transformer: epochMs }) deletedAt!: number | null;
  @Column({ name: 'purged_at', type: 'bigint', nullable: true, transformer: epochMs }) purgedAt!: number | null;
}
