/**
 * Imports and exports through the admin API (issue 16, point 3), over real HTTP on a real database:
 * the file as the streamed request body, a background job with its state, counts and rejects, an
 * encrypted body checked before anything is imported, plaintext refused unless the operator opted
 * in, a job cut short by a restart marked failed and finished by starting it again, and exports.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import * as openpgp from 'openpgp';
import request from 'supertest';
import { Importer } from '../../core/migration/importer';
import { readRows } from '../../core/migration/rows';
import { issueAdminToken } from '../../gateway/admin/tokens';
import { migrationPresets } from '../../gateway/cli/migration';
import { listen } from '../../gateway/server';
import { basicA } from '../dialects/maast/support';
import { describeEachDatabase, type Harness } from '../support/harness';

const EXAMPLES = join(__dirname, '..', '..', 'docs', 'migration', 'examples');
const dataDir = mkdtempSync(join(tmpdir(), 'polyvault-jobs-'));
const keyFile = join(dataDir, 'import-key.asc');
let publicKey = '';
let privateKey = '';

beforeAll(async () => {
  ({ privateKey, publicKey } = await openpgp.generateKey({ userIDs: [{ name: 'gateway import key' }], format: 'armored' }));
  writeFileSync(keyFile, privateKey);
});

async function sealed(plain: Buffer): Promise<Buffer> {
  const message = await openpgp.createMessage({ binary: plain });
  return Buffer.from(await openpgp.encrypt({ message, encryptionKeys: await openpgp.readKey({ armoredKey: publicKey }), format: 'binary' }));
}

async function settledJob(h: Harness, token: string, path: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const res = await request(h.app).get(path).set('Authorization', `Bearer ${token}`).expect(200);
    if (res.body.job.state !== 'running') return res.body.job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`job ${path} still running`);
}

describeEachDatabase(
  'admin API imports and exports',
  (h) => {
    let token: string;
    beforeAll(async () => {
      token = await issueAdminToken(h().context.config, '1h');
    });
    const post = (path: string) => request(h().app).post(`/admin/v1${path}`).set('Authorization', `Bearer ${token}`);
    const get = (path: string) => request(h().app).get(`/admin/v1${path}`).set('Authorization', `Bearer ${token}`);
    const count = async (tenantId: string) => Number(((await h().context.store.dataSource.query('SELECT COUNT(*) AS n FROM customer WHERE tenant_id = ?', [tenantId])) as Array<{ n: number }>)[0].n);

    it('imports an encrypted file as a background job, with counts and a rejects report that holds no number', async () => {
      const tenant = await h().createTenant({ settings: { maast: { merchantId: '210000000289' } } });
      const body = await sealed(readFileSync(join(EXAMPLES, 'maast.csv')));
      const started = await post(`/tenants/${tenant.tenant.id}/imports?from=maast&format=csv`).set('Content-Type', 'application/pgp-encrypted').send(body).expect(202);
      expect(started.body.job).toMatchObject({ kind: 'import', state: 'running', options: { from: 'maast', format: 'csv', encrypted: true } });
      const job = await settledJob(h(), token, `/admin/v1/tenants/${tenant.tenant.id}/imports/${started.body.job.id}`);
      expect(job).toMatchObject({ state: 'succeeded', counts: { read: 2, imported: 1, alreadyPresent: 0, rejected: 1, cvvsDropped: 1 }, error: null });
      const report = await get(`/tenants/${tenant.tenant.id}/imports/${started.body.job.id}/report`).expect(200);
      expect(report.text.trim().split('\n').map((line) => JSON.parse(line))).toEqual([expect.objectContaining({ line: 3, source_id: 'CUST2002', field: 'billing_cards.1.card_number' })]);
      expect(report.text).not.toContain('4111111111111112');
      await request(h().app).get('/platform/vault/customer/CUST2001').set('Authorization', basicA(tenant.keys.maast)).expect(200);
      // Another tenant's job is not found under this one.
      const other = await h().createTenant();
      await get(`/tenants/${other.tenant.id}/imports/${started.body.job.id}`).expect(404);
    });

    it('imports nothing from a tampered encrypted body, and says why', async () => {
      const tenant = await h().createTenant();
      const rows = Array.from({ length: 1500 }, (_, i) => JSON.stringify({ customer_id: `T${i}`, customer_first_name: 'Row', customer_last_name: String(i) }));
      const body = await sealed(Buffer.from(rows.join('\n') + '\n'));
      body[body.length - 100] ^= 0x01;
      const started = await post(`/tenants/${tenant.tenant.id}/imports?from=maast`).set('Content-Type', 'application/pgp-encrypted').send(body).expect(202);
      const job = await settledJob(h(), token, `/admin/v1/tenants/${tenant.tenant.id}/imports/${started.body.job.id}`);
      expect(job).toMatchObject({ state: 'failed', error: expect.stringContaining('integrity check') });
      expect(await count(tenant.tenant.id)).toBe(0);
    });

    it('refuses a plaintext body unless the operator opted in, and then streams it into the import', async () => {
      const tenant = await h().createTenant();
      const file = readFileSync(join(EXAMPLES, 'stax.jsonl'));
      const config = h().context.config;
      config.adminPlaintextImports = false;
      const refused = await post(`/tenants/${tenant.tenant.id}/imports?from=stax`).set('Content-Type', 'application/x-ndjson').send(file).expect(415);
      expect(refused.body.error).toMatchObject({ code: 'encryption_required', field: 'body' });
      await post(`/tenants/${tenant.tenant.id}/imports?from=nowhere`).set('Content-Type', 'application/x-ndjson').send(file).expect(400);
      config.adminPlaintextImports = true;
      const started = await post(`/tenants/${tenant.tenant.id}/imports?from=stax`).set('Content-Type', 'application/x-ndjson').send(file).expect(202);
      const job = await settledJob(h(), token, `/admin/v1/tenants/${tenant.tenant.id}/imports/${started.body.job.id}`);
      expect(job).toMatchObject({ state: 'succeeded', counts: { read: 2, imported: 2, rejected: 0 } });
      expect(await count(tenant.tenant.id)).toBe(2);
    });

    it('marks a job cut short by a restart failed, and starting it again finishes it', async () => {
      const tenant = await h().createTenant();
      const rows = Array.from({ length: 3 }, (_, i) => JSON.stringify({ customer_id: `R${i}`, customer_first_name: 'Row', customer_last_name: String(i) }) + '\n');
      // What the interrupted run wrote before the process died: the first row, and its job still "running".
      const importer = new Importer(h().context.vault, { tenant: tenant.tenant, preset: migrationPresets().get('maast')!, audit: { dialect: 'admin', actorKeyId: null, requestId: null }, fileDigest: 'x' });
      await importer.run(readRows(Readable.from([rows[0]]), 'jsonl'));
      const now = Date.now();
      await h().context.store.transaction((m) =>
        m.query("INSERT INTO migration_job (id, tenant_id, kind, state, options, counts, error, process_id, created_at, updated_at) VALUES ('00000000-0000-4000-8000-000000000001', ?, 'import', 'running', '{}', NULL, NULL, '1', ?, ?)", [tenant.tenant.id, now, now]),
      );
      const server = await listen(h().context, 0, '127.0.0.1');
      server.close();
      const interrupted = (await get(`/tenants/${tenant.tenant.id}/imports/00000000-0000-4000-8000-000000000001`).expect(200)).body.job;
      expect(interrupted).toMatchObject({ state: 'failed', error: expect.stringContaining('restart') });
      const again = await post(`/tenants/${tenant.tenant.id}/imports?from=maast`).set('Content-Type', 'application/pgp-encrypted').send(await sealed(Buffer.from(rows.join('')))).expect(202);
      const job = await settledJob(h(), token, `/admin/v1/tenants/${tenant.tenant.id}/imports/${again.body.job.id}`);
      expect(job).toMatchObject({ state: 'succeeded', counts: { read: 3, imported: 2, alreadyPresent: 1 } });
      expect(await count(tenant.tenant.id)).toBe(3);
    });

    it('exports masked by default, and with numbers only encrypted to a recipient', async () => {
      const tenant = await h().createTenant();
      await new Importer(h().context.vault, { tenant: tenant.tenant, preset: migrationPresets().get('stax')!, audit: { dialect: 'admin', actorKeyId: null, requestId: null }, fileDigest: 'x' }).run(
        readRows(Readable.from(readFileSync(join(EXAMPLES, 'stax.jsonl'))), 'jsonl'),
      );
      const masked = await post(`/tenants/${tenant.tenant.id}/exports`).send({ to: 'stax', format: 'csv' }).expect(202);
      expect(await settledJob(h(), token, `/admin/v1/tenants/${tenant.tenant.id}/exports/${masked.body.job.id}`)).toMatchObject({ state: 'succeeded', counts: { customers: 2 } });
      const csv = (await get(`/tenants/${tenant.tenant.id}/exports/${masked.body.job.id}/file`).expect(200)).text;
      expect(csv).toContain('5b2d0a1c-7c4e-4c2a-9f0e-2d3b4c5d6e7f');
      expect(csv).not.toContain('4111111111111111');
      // A file gone from disk is a 404 in the admin envelope, and the gateway keeps serving.
      rmSync(h().context.migrationJobs.exportPath(masked.body.job.id));
      const gone = await get(`/tenants/${tenant.tenant.id}/exports/${masked.body.job.id}/file`).expect(404);
      expect(gone.body).toEqual({ error: { code: 'not_found', message: 'the export file is no longer on this gateway' } });
      await request(h().app).get('/healthz').expect(200, { status: 'ok' });

      const refused = await post(`/tenants/${tenant.tenant.id}/exports`).send({ to: 'polyvault', include_pan: true }).expect(400);
      expect(refused.body.error).toMatchObject({ field: 'encrypt_to' });
      const full = await post(`/tenants/${tenant.tenant.id}/exports`).send({ to: 'polyvault', include_pan: true, encrypt_to: publicKey }).expect(202);
      await settledJob(h(), token, `/admin/v1/tenants/${tenant.tenant.id}/exports/${full.body.job.id}`);
      const armored = (await get(`/tenants/${tenant.tenant.id}/exports/${full.body.job.id}/file`).buffer(true).parse((res, done) => {
        let data = '';
        res.on('data', (chunk: Buffer) => (data += chunk.toString()));
        res.on('end', () => done(null, data));
      }).expect(200)).body as string;
      expect(armored).toContain('-----BEGIN PGP MESSAGE-----');
      expect(armored).not.toContain('4111111111111111');
      const { data } = await openpgp.decrypt({ message: await openpgp.readMessage({ armoredMessage: armored }), decryptionKeys: await openpgp.readPrivateKey({ armoredKey: privateKey }) });
      expect(data).toContain('4111111111111111');
    });
  },
  { env: { POLYVAULT_DATA_DIR: dataDir, POLYVAULT_IMPORT_KEY_FILE: keyFile } },
);
