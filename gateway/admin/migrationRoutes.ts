/**
 * The admin API's imports and exports (docs/migration.md, "Through the admin API"), run as
 * background jobs of this process (core/migration/jobs.ts):
 *
 * - `POST /tenants/{id}/imports?from=&format=&dry_run=` takes the file as the request body, streamed.
 *   An OpenPGP-encrypted body (`Content-Type: application/pgp-encrypted`) is spooled as ciphertext
 *   (mode 0600, under the data directory) so it can be checked to its end before a row is imported,
 *   and decrypted with the gateway's import key. A plaintext body holds card numbers, so it is refused
 *   (415) unless the operator opted in (POLYVAULT_ADMIN_PLAINTEXT_IMPORTS=1); then it is streamed
 *   straight into the import and never written to disk.
 * - `GET …/imports/{job}`: state and counts; `GET …/imports/{job}/report`: the rejects (JSON lines).
 * - `POST …/exports` (JSON: `to`, `format`, `include_pan`, `encrypt_to` an armored public key),
 *   `GET …/exports/{job}`, `GET …/exports/{job}/file`.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import type { Request, Response, Router } from 'express';
import type { MigrationJob, JobKind } from '../../core/migration/jobs';
import type { FileFormat } from '../../core/migration/rows';
import { formatFromName } from '../../core/migration/rows';
import { migrationPresets } from '../cli/migration';
import type { GatewayContext } from '../context';
import { AdminInputError, body, fail, flag, text, type Handler } from './routes';

type Route = (handler: Handler) => (req: Request, res: Response, next: (error?: unknown) => void) => Promise<void>;

function presetParam(value: unknown, field: string) {
  const name = text(value, field, { required: true, max: 32 })!;
  const preset = migrationPresets().get(name);
  if (!preset) throw new AdminInputError(field, `${field} must be one of ${[...migrationPresets().keys()].join(', ')}`);
  return preset;
}

function formatParam(value: unknown): FileFormat {
  const format = value === undefined ? 'jsonl' : formatFromName(`x.${String(value)}`);
  if (format !== 'csv' && format !== 'jsonl') throw new AdminInputError('format', 'format must be csv or jsonl');
  return format;
}

/**
 * Streams one of a job's files. A file gone from disk (cleaned up by the operator, or a gateway on
 * another data directory) answers 404; a read stream's error must never reach the process as an
 * unhandled 'error' event, which would take the whole gateway down.
 */
function sendJobFile(res: Response, path: string, type: string, missing: string): void {
  const file = createReadStream(path);
  file.once('error', () => (res.headersSent ? res.destroy() : fail(res, 404, 'not_found', missing)));
  file.once('open', () => {
    res.type(type);
    pipeline(file, res, () => undefined);
  });
}

const jobView = (job: MigrationJob) => ({
  id: job.id,
  tenant_id: job.tenantId,
  kind: job.kind,
  state: job.state,
  options: job.options,
  counts: job.counts,
  error: job.error,
  created_at: new Date(job.createdAt).toISOString(),
  updated_at: new Date(job.updatedAt).toISOString(),
});

export function migrationRoutes(router: Router, route: Route, context: GatewayContext): void {
  const jobs = context.migrationJobs;
  const tenantOf = (req: Request) => context.tenants.get(String(req.params.tenant));

  async function jobOf(req: Request, res: Response, kind: JobKind): Promise<MigrationJob | null> {
    const tenant = await tenantOf(req);
    const job = await jobs.get(tenant.id, String(req.params.job));
    if (!job || job.kind !== kind) {
      fail(res, 404, 'not_found', `${kind} job not found`);
      return null;
    }
    return job;
  }

  router.post(
    '/tenants/:tenant/imports',
    route(async (req, res, actor) => {
      const tenant = await tenantOf(req);
      const preset = presetParam(req.query.from, 'from');
      const format = formatParam(req.query.format);
      const dryRun = req.query.dry_run === 'true' || req.query.dry_run === '1';
      const encrypted = req.is('application/pgp-encrypted') === 'application/pgp-encrypted';
      let id: string;
      if (encrypted) {
        if (!context.config.importKey) return fail(res, 409, 'not_configured', 'encrypted imports need the gateway\'s import key (POLYVAULT_IMPORT_KEY_FILE)');
        const { armored, passphrase } = context.config.importKey;
        id = await jobs.startImport({ tenant, preset, format, dryRun, audit: actor, body: { encrypted: req, privateKey: armored, passphrase } });
      } else {
        if (!context.config.adminPlaintextImports) {
          return fail(res, 415, 'encryption_required', 'send the file OpenPGP-encrypted (Content-Type: application/pgp-encrypted); plaintext imports need POLYVAULT_ADMIN_PLAINTEXT_IMPORTS=1', 'body');
        }
        id = await jobs.startImport({ tenant, preset, format, dryRun, audit: actor, body: { plaintext: req } });
      }
      res.status(202).json({ job: jobView((await jobs.get(tenant.id, id))!) });
    }),
  );
  router.get(
    '/tenants/:tenant/imports/:job',
    route(async (req, res) => {
      const job = await jobOf(req, res, 'import');
      if (job) res.json({ job: jobView(job) });
    }),
  );
  router.get(
    '/tenants/:tenant/imports/:job/report',
    route(async (req, res) => {
      const job = await jobOf(req, res, 'import');
      if (!job) return;
      sendJobFile(res, jobs.reportPath(job.id), 'application/x-ndjson', 'this job has no report');
    }),
  );

  router.post(
    '/tenants/:tenant/exports',
    route(async (req, res, actor) => {
      const tenant = await tenantOf(req);
      const input = await body(req, context.config.bodyLimitBytes);
      const preset = presetParam(input.to, 'to');
      const format = formatParam(input.format);
      const includeNumbers = flag(input.include_pan, 'include_pan') === true;
      const recipient = text(input.encrypt_to, 'encrypt_to', { max: 64 * 1024 }) ?? null;
      if (includeNumbers && !recipient) throw new AdminInputError('encrypt_to', 'include_pan needs encrypt_to (an armored OpenPGP public key): card numbers are only written encrypted');
      const id = await jobs.startExport({ tenant, preset, format, includeNumbers, recipient, audit: actor });
      res.status(202).json({ job: jobView((await jobs.get(tenant.id, id))!) });
    }),
  );
  router.get(
    '/tenants/:tenant/exports/:job',
    route(async (req, res) => {
      const job = await jobOf(req, res, 'export');
      if (job) res.json({ job: jobView(job) });
    }),
  );
  router.get(
    '/tenants/:tenant/exports/:job/file',
    route(async (req, res) => {
      const job = await jobOf(req, res, 'export');
      if (!job) return;
      if (job.state !== 'succeeded') return fail(res, 409, 'not_ready', `the export is ${job.state}`);
      const type = job.options.encrypted ? 'application/pgp-encrypted' : job.options.format === 'csv' ? 'text/csv' : 'application/x-ndjson';
      sendJobFile(res, jobs.exportPath(job.id), type, 'the export file is no longer on this gateway');
    }),
  );
}
