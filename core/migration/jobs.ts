/**
 * Imports and exports run as background jobs of the gateway process (the admin API), recorded in
 * `migration_job` with their state and counts. A job's rejects report and an export's file live
 * under the migration directory with mode 0600; neither ever holds a plaintext card number (reports
 * hold none, and an export with numbers is OpenPGP-encrypted). An encrypted import body is spooled
 * there as ciphertext only, read twice (openpgp.ts), and removed when the job ends.
 *
 * A job cut short by a restart is marked failed at start-up (`markInterrupted`); starting the same
 * import again finishes it, since the import ledger skips what was already written.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import type { Tenant } from '../model';
import type { AuditContext } from '../vault/commands';
import type { Vault } from '../vault/tenantVault';
import { writeExport, type ExportRequest } from './exportFile';
import { Importer, type ImportCounts } from './importer';
import { decryptVerifiedFile, EncryptedFileError } from './openpgp';
import type { MigrationPreset } from './preset';
import { RejectsReport } from './report';
import { readRows, type FileFormat } from './rows';

export type JobKind = 'import' | 'export';
export type JobState = 'running' | 'succeeded' | 'failed';

export interface MigrationJob {
  id: string;
  tenantId: string;
  kind: JobKind;
  state: JobState;
  options: Record<string, unknown>;
  counts: Record<string, number> | null;
  error: string | null;
  createdAt: number;
  updatedAt: number;
}

/** The import's body: a plaintext stream read once, or an encrypted one spooled and checked first. */
export type ImportBody = { plaintext: Readable } | { encrypted: Readable; privateKey: string; passphrase: string | null };

export interface ImportJobRequest {
  tenant: Tenant;
  preset: MigrationPreset;
  format: FileFormat;
  dryRun: boolean;
  body: ImportBody;
  audit: AuditContext;
}

/** An export job asks what a CLI export asks. */
export type ExportJobRequest = ExportRequest;

/** Counts are written at most this often while a job runs (each write is a transaction). */
const PROGRESS_EVERY_MS = 1000;

type Row = Record<string, unknown>;

export class MigrationJobs {
  /** Jobs of this process still running, so tests and shutdown can wait for them. */
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly vault: Vault,
    private readonly dir: string,
    private readonly onFailure: (job: string, error: unknown) => void = () => undefined,
  ) {}

  reportPath(id: string): string {
    return join(this.dir, `${id}.rejects.jsonl`);
  }

  exportPath(id: string): string {
    return join(this.dir, `${id}.export`);
  }

  private spoolPath(id: string): string {
    return join(this.dir, `${id}.pgp`);
  }

  /** At start-up: jobs another run of this process left running can no longer finish. */
  async markInterrupted(): Promise<number> {
    const now = this.vault.now();
    const stale = (await this.vault.store.read((manager) => manager.query("SELECT id FROM migration_job WHERE state = 'running'"))) as Array<{ id: string }>;
    for (const { id } of stale) {
      await this.setState(id, 'failed', null, 'interrupted by a restart: start the job again to finish it', now);
      rmSync(this.spoolPath(id), { force: true });
    }
    return stale.length;
  }

  async get(tenantId: string, id: string): Promise<MigrationJob | null> {
    const rows = (await this.vault.store.read((manager) => manager.query('SELECT * FROM migration_job WHERE id = ? AND tenant_id = ?', [id, tenantId]))) as Row[];
    if (rows.length === 0) return null;
    const row = rows[0];
    return {
      id: String(row.id),
      tenantId: String(row.tenant_id),
      kind: row.kind as JobKind,
      state: row.state as JobState,
      options: JSON.parse(String(row.options)) as Record<string, unknown>,
      counts: row.counts ? (JSON.parse(String(row.counts)) as Record<string, number>) : null,
      error: row.error === null ? null : String(row.error),
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
    };
  }

  /** Waits for every job this process is running (tests, graceful shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.running.values()]);
  }

  /**
   * Creates the job and returns its id once the body is safely taken: a plaintext body is read by
   * the job as it arrives; an encrypted one is spooled (ciphertext) before this returns.
   */
  async startImport(request: ImportJobRequest): Promise<string> {
    const id = randomUUID();
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const options = { from: request.preset.id, format: request.format, dryRun: request.dryRun, encrypted: 'encrypted' in request.body };
    await this.insert(id, request.tenant.id, 'import', options);
    let input: () => Promise<Readable>;
    if ('encrypted' in request.body) {
      const { encrypted, privateKey, passphrase } = request.body;
      try {
        await pipeline(encrypted, createWriteStream(this.spoolPath(id), { mode: 0o600 }));
      } catch (error) {
        await this.fail(id, error);
        throw error;
      }
      input = () => decryptVerifiedFile(this.spoolPath(id), privateKey, passphrase);
    } else {
      const plaintext = request.body.plaintext;
      input = async () => plaintext;
    }
    this.track(id, () => this.runImport(id, request, input));
    return id;
  }

  async startExport(request: ExportJobRequest): Promise<string> {
    const id = randomUUID();
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    await this.insert(id, request.tenant.id, 'export', { to: request.preset.id, format: request.format, includePan: request.includeNumbers, encrypted: request.recipient !== null });
    this.track(id, async () => {
      const customers = await writeExport(this.vault, request, this.exportPath(id));
      await this.setState(id, 'succeeded', { customers }, null);
    });
    return id;
  }

  private track(id: string, work: () => Promise<void>): void {
    const run = work()
      .catch((error: unknown) => this.fail(id, error))
      .finally(() => {
        rmSync(this.spoolPath(id), { force: true });
        this.running.delete(id);
      });
    this.running.set(id, run);
  }

  private async runImport(id: string, request: ImportJobRequest, input: () => Promise<Readable>): Promise<void> {
    const reportFile = createWriteStream(this.reportPath(id), { mode: 0o600 });
    const report = new RejectsReport(reportFile, 'jsonl');
    let lastProgress = 0;
    try {
      const importer = new Importer(this.vault, {
        tenant: request.tenant,
        preset: request.preset,
        audit: request.audit,
        fileDigest: `job:${id}`,
        dryRun: request.dryRun,
        onReject: (rejection) => report.write(rejection),
        onProgress: (counts) => {
          if (Date.now() - lastProgress < PROGRESS_EVERY_MS) return;
          lastProgress = Date.now();
          void this.setState(id, 'running', counts, null).catch(() => undefined);
        },
      });
      const counts: ImportCounts = await importer.run(readRows(await input(), request.format));
      await this.setState(id, 'succeeded', counts, null);
    } finally {
      reportFile.end();
      await finished(reportFile).catch(() => undefined);
    }
  }

  private async fail(id: string, error: unknown): Promise<void> {
    this.onFailure(id, error);
    // Only messages written to be shown go in the job; anything else is named by kind (a database error may quote values).
    const message = error instanceof EncryptedFileError ? error.message : 'the job failed; see the gateway log';
    await this.setState(id, 'failed', null, message).catch(() => undefined);
  }

  private async insert(id: string, tenantId: string, kind: JobKind, options: Record<string, unknown>): Promise<void> {
    const now = this.vault.now();
    await this.vault.store.transaction((manager) =>
      manager.query("INSERT INTO migration_job (id, tenant_id, kind, state, options, counts, error, process_id, created_at, updated_at) VALUES (?, ?, ?, 'running', ?, NULL, NULL, ?, ?, ?)", [
        id,
        tenantId,
        kind,
        JSON.stringify(options),
        String(process.pid),
        now,
        now,
      ]),
    );
  }

  private async setState(id: string, state: JobState, counts: object | null, error: string | null, now = this.vault.now()): Promise<void> {
    // A job's counts only ever move forward: a late progress write never overwrites the final state.
    const guard = state === 'running' ? " AND state = 'running'" : '';
    await this.vault.store.transaction((manager) =>
      manager.query(`UPDATE migration_job SET state = ?, counts = COALESCE(?, counts), error = ?, updated_at = ? WHERE id = ?${guard}`, [state, counts ? JSON.stringify(counts) : null, error, now, id]),
    );
  }
}
