/** The append-only audit log. Events name records by id only; no PAN, CVV or key ever goes in. */
import type { EntityManager } from 'typeorm';
import { newUuid } from './ids';
import type { AuditEventInfo } from './model';
import { AuditEventEntity } from './persistence/entities';
import { rawRows } from './persistence/rawRows';

export type NewAuditEvent = Omit<AuditEventInfo, 'id' | 'createdAt'>;

export async function recordAudit(manager: EntityManager, event: NewAuditEvent, now: number): Promise<void> {
  await rawRows(manager.connection, AuditEventEntity).insert(manager, Object.assign(new AuditEventEntity(), { id: newUuid(), ...event, createdAt: now }));
}
