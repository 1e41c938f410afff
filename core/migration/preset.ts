/**
 * What an import or export format declares (docs/migration.md): how one row of a file becomes one
 * canonical customer with the ids it keeps, and back. Dialects declare their provider's format as a
 * preset; `polyvault.ts` is the store's own lossless one. The core knows no provider: the engine
 * only runs presets.
 */
import type { CustomerAggregate, Tenant } from '../model';
import type { NewAddress, NewCustomer, NewPaymentMethod } from '../vault/commands';

/** One failed check of a row: the file's own field name and why. Never holds a card number. */
export interface RowProblem {
  field: string;
  reason: string;
}

export type ImportAddress = NewAddress & { defaultBilling?: boolean; defaultShipping?: boolean };
export type ImportPaymentMethod = Omit<NewPaymentMethod, 'customerSeq'> & { isDefault?: boolean };

/** One customer of a file in canonical form, with the ids and times it keeps. */
export interface ImportCustomer {
  /** The id the file names the customer by (reports, the import ledger); null when it names none. */
  sourceId: string | null;
  customer: NewCustomer;
  addresses: ImportAddress[];
  paymentMethods: ImportPaymentMethod[];
  /** The file's field for each kept id, by canonical path (`customer.id`, `paymentMethods.0.vaultRef`), for reports. */
  idFields?: Record<string, string>;
}

export type ReadResult = { record: ImportCustomer } | { sourceId: string | null; problems: RowProblem[] };

/** A stored number and its keyed fingerprint, for exports; `number` only with `--include-pan`. */
export interface NumberFacts {
  number: string | null;
  fingerprint: string | null;
}

export interface PresetContext {
  tenant: Tenant;
  now: number;
}

export interface MigrationPreset {
  /** The `--from` / `--to` name. */
  id: string;
  title: string;
  /** Exports soft-deleted customers and payment methods too (only a lossless format can bring them back). */
  keepsDeleted?: boolean;
  /** One row (a JSON line, or a CSV row after its numbered columns were nested) into a canonical customer. */
  read(row: Record<string, unknown>, context: PresetContext): ReadResult;
  /** One customer in this format; `facts` by payment-method seq. */
  write(customer: CustomerAggregate, facts: ReadonlyMap<number, NumberFacts>, context: PresetContext): Record<string, unknown>;
}
