export { TenantEntity } from './TenantEntity';
export { TenantKeyEntity } from './TenantKeyEntity';
export { ApiKeyEntity } from './ApiKeyEntity';
export { CustomerEntity } from './CustomerEntity';
export { AddressEntity } from './AddressEntity';
export { PaymentMethodEntity } from './PaymentMethodEntity';
export { AuditEventEntity } from './AuditEventEntity';
export { IdempotencyRecordEntity } from './IdempotencyRecordEntity';
import { TenantEntity } from './TenantEntity';
import { TenantKeyEntity } from './TenantKeyEntity';
import { ApiKeyEntity } from './ApiKeyEntity';
import { CustomerEntity } from './CustomerEntity';
import { AddressEntity } from './AddressEntity';
import { PaymentMethodEntity } from './PaymentMethodEntity';
import { AuditEventEntity } from './AuditEventEntity';
import { IdempotencyRecordEntity } from './IdempotencyRecordEntity';

export const ENTITIES = [TenantEntity, TenantKeyEntity, ApiKeyEntity, CustomerEntity, AddressEntity, PaymentMethodEntity, AuditEventEntity, IdempotencyRecordEntity];
