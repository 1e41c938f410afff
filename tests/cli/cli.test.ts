/**
 * The `polyvault` command as an operator runs it: a real child process on a real SQLite file.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
// The package's real `bin`: it runs the compiled CLI that `npm ci` builds (the `prepare` script).
const BIN = join(__dirname, '..', '..', 'bin', 'polyvault.js');

describe('polyvault CLI', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => run(process.execPath, [BIN, ...args], { env, cwd: dir });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'polyvault-cli-'));
    env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, POLYVAULT_MASTER_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'warn' };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates, creates a tenant printing exactly one JSON object, and lists it', async () => {
    await cli('migrate');
    const created = await cli('tenant', 'create', '--name', 'acme', '--dialects', 'maast', '--maast-merchant-id', '210000000289', '--json');
    const output = JSON.parse(created.stdout);
    expect(Object.keys(output)).toEqual(['tenant', 'keys']);
    expect(output.tenant).toMatchObject({ name: 'acme', dialects: ['maast'] });
    expect(output.tenant.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys(output.keys)).toEqual(['maast']);
    const listed = JSON.parse((await cli('tenant', 'list', '--json')).stdout);
    expect(listed.map((t: { name: string }) => t.name)).toEqual(['acme']);
  });

  it('writes errors to stderr with a non-zero exit', async () => {
    await expect(cli('tenant', 'create', '--name', 'acme', '--json')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('already exists') });
    await expect(cli('tenant', 'create', '--name', 'x', '--dialects', 'paypal')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('unknown dialect') });
  });
});

describe('polyvault CLI administration', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => run(process.execPath, [BIN, ...args], { env, cwd: dir });
  const json = async (...args: string[]) => JSON.parse((await cli(...args, '--json')).stdout);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'polyvault-cli-admin-'));
    env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, POLYVAULT_MASTER_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'warn' };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('switches dialects, manages keys, resets and reads the audit log, all with --json', async () => {
    expect((await json('migrate')).migrations.length).toBeGreaterThanOrEqual(4);
    const created = await json('tenant', 'create', '--name', 'ops', '--dialects', 'maast');
    expect(created.tenant.dialects).toEqual(['maast']);
    const enabled = await json('dialect', 'enable', 'ops', 'exact');
    expect(Object.keys(enabled.keys)).toEqual(['exact']);
    expect(enabled.tenant.exactAccountId).toMatch(/^[0-9a-f]{24}$/);
    expect((await json('dialect', 'disable', 'ops', 'exact')).tenant.dialects).toEqual(['maast']);
    const made = await json('key', 'create', 'ops', 'maast');
    const listed = await json('key', 'list', 'ops');
    expect(listed.keys.map((k: { id: string }) => k.id)).toContain(made.key.id);
    expect(JSON.stringify(listed)).not.toContain(made.secret);
    const rotated = await json('key', 'rotate', 'ops', made.key.id, '--overlap', '60');
    expect(rotated.previous.expiresAt).not.toBeNull();
    expect((await json('key', 'revoke', 'ops', rotated.key.id)).key.status).toBe('revoked');
    expect((await json('tenant', 'reset', 'ops', '--yes')).deleted).toEqual({ customers: 0, addresses: 0, paymentMethods: 0 });
    const audit = await json('audit', '--tenant', 'ops');
    expect(audit.events.map((e: { operation: string }) => e.operation)).toEqual(
      expect.arrayContaining(['tenant.create', 'dialect.enable:exact', 'dialect.disable:exact', 'key.create', 'key.rotate', 'key.revoke', 'tenant.reset']),
    );
    expect((await json('admin', 'token', '--ttl', '15m')).token.split('.')).toHaveLength(3);
    expect((await json('tenant', 'get', 'ops')).tenant.name).toBe('ops');
  });
});
