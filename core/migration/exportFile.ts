/**
 * One export written out: a tenant's customers through a preset, as JSON lines or CSV, optionally
 * OpenPGP-encrypted to a recipient, into a file of mode 0600. Shared by `polyvault export` and the
 * admin API's export jobs. Card numbers are read only when `includeNumbers` is set, and then the
 * output must be encrypted (the callers refuse otherwise; this refuses too, as the last line).
 */
import { createWriteStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { recordAudit } from '../audit';
import type { Tenant } from '../model';
import type { AuditContext } from '../vault/commands';
import type { Vault } from '../vault/tenantVault';
import { exportCustomers } from './exporter';
import { encryptStream } from './openpgp';
import type { MigrationPreset } from './preset';
import { csvField, flattenColumns, type FileFormat } from './rows';

export interface ExportRequest {
  tenant: Tenant;
  preset: MigrationPreset;
  format: FileFormat;
  includeNumbers: boolean;
  /** Armored OpenPGP public key; required with includeNumbers. */
  recipient: string | null;
  audit: AuditContext;
}

/** The preset's rows for one tenant, deleted records only when the preset is lossless. */
async function* presetRows(vault: Vault, request: ExportRequest, includeNumbers: boolean): AsyncGenerator<Record<string, unknown>> {
  const { tenant, preset } = request;
  const now = vault.now();
  for await (const { customer, facts } of exportCustomers(vault, tenant, { includeNumbers, includeDeleted: preset.keepsDeleted === true })) {
    if (!preset.keepsDeleted) customer.paymentMethods = customer.paymentMethods.filter((pm) => pm.deletedAt === null);
    yield preset.write(customer, facts, { tenant, now });
  }
}

/**
 * A CSV header must name every column any row has (a customer with three cards has more numbered
 * columns than one with one), so CSV takes a first pass over the tenant, without numbers, to collect
 * them; columns keep the order they are first seen in.
 */
async function csvHeader(vault: Vault, request: ExportRequest): Promise<string[]> {
  const columns = new Set<string>();
  for await (const row of presetRows(vault, request, false)) for (const column of Object.keys(flattenColumns(row))) columns.add(column);
  return [...columns];
}

/** Writes the export to `path` (mode 0600); returns how many customers it holds. */
export async function writeExport(vault: Vault, request: ExportRequest, path: string): Promise<number> {
  if (request.includeNumbers && !request.recipient) throw new Error('an export with card numbers must be encrypted to a recipient');
  const plain = new PassThrough();
  const sink = createWriteStream(path, { mode: 0o600 });
  const done = request.recipient ? encryptStream(plain, request.recipient).then((armored) => pipeline(armored, sink)) : pipeline(plain, sink);
  let count = 0;
  try {
    const header = request.format === 'csv' ? await csvHeader(vault, request) : null;
    if (header) plain.write(header.map(csvField).join(',') + '\n');
    for await (const row of presetRows(vault, request, request.includeNumbers)) {
      let line: string;
      if (header) {
        const flat = flattenColumns(row);
        line = header.map((column) => csvField(flat[column] ?? '')).join(',');
      } else line = JSON.stringify(row);
      if (!plain.write(line + '\n')) await new Promise((resolve) => plain.once('drain', resolve));
      count += 1;
    }
    plain.end();
  } catch (error) {
    plain.destroy(error as Error);
    await done.catch(() => undefined);
    throw error;
  }
  await done;
  if (request.includeNumbers) {
    const { tenant, preset, audit } = request;
    await vault.store.transaction((manager) =>
      recordAudit(manager, { tenantId: tenant.id, actorKeyId: audit.actorKeyId, dialect: audit.dialect, operation: 'export_with_numbers', targetIds: [`to:${preset.id}`, `customers:${count}`], outcome: 'success', requestId: audit.requestId }, vault.now()),
    );
  }
  return count;
}
