export { TenantEntity } from './TenantEntity';
export { TenantKeyEntity } from './TenantKeyEntity';
export { ApiKeyEntity } from './ApiKeyEntity';
export { CustomerEntity } from './CustomerEntity';
export { AddressEntity } from './AddressEntity';
export { PaymentMethodEntity } from './PaymentMethodEntity';
export { AuditEventEntity } from './AuditEventEntity';
import { TenantEntity } from './TenantEntity';
import { TenantKeyEntity } from './TenantKeyEntity';
import { ApiKeyEntity } from './ApiKeyEntity';
import { CustomerEntity } from './CustomerEntity';
import { AddressEntity } from './AddressEntity';
import { PaymentMethodEntity } from './PaymentMethodEntity';
import { AuditEventEntity } from './AuditEventEntity';

export const ENTITIES = [TenantEntity, TenantKeyEntity, ApiKeyEntity, CustomerEntity, AddressEntity, PaymentMethodEntity, AuditEventEntity];
