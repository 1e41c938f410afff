/**
 * The `polyvault` command as an operator runs it: a real child process on a real SQLite file.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { promisify } from 'node:util';
import { refusedGateway, startGateway } from '../support/gatewayProcess';

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

describe('polyvault CLI guards', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => run(process.execPath, [BIN, ...args], { env, cwd: dir });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'polyvault-cli-guards-'));
    env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, POLYVAULT_MASTER_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'warn' };
    // Made by a production-mode command, so not sandbox (a sandbox-mode one would mark it sandbox).
    await run(process.execPath, [BIN, 'tenant', 'create', '--name', 'live', '--dialects', 'maast'], { env: { ...env, POLYVAULT_MODE: 'production' }, cwd: dir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('tenant reset needs --yes, and production mode resets only tenants marked sandbox', async () => {
    await expect(cli('tenant', 'reset', 'live')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('add --yes to confirm') });
    const production = (...args: string[]) => run(process.execPath, [BIN, ...args], { env: { ...env, POLYVAULT_MODE: 'production' }, cwd: dir });
    await expect(production('tenant', 'reset', 'live', '--yes')).rejects.toMatchObject({ code: 1, stderr: 'polyvault: production mode resets only tenants marked sandbox (tenant create --sandbox, or admin API sandbox: true)\n' });
    await production('tenant', 'create', '--name', 'scratch', '--dialects', 'maast', '--sandbox');
    expect(JSON.parse((await production('tenant', 'reset', 'scratch', '--yes', '--json')).stdout).deleted).toEqual({ customers: 0, addresses: 0, paymentMethods: 0 });
  });

  it('refuses an admin token that would live longer than 24 hours', async () => {
    await expect(cli('admin', 'token', '--ttl', '30d')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('--ttl must be between 1s and 24h') });
    expect((await cli('admin', 'token', '--ttl', '24h')).stdout).toMatch(/^ey/);
  });

  it('serve exits non-zero at once with one line when the port is in use', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const refused = await refusedGateway({ ...(env as Record<string, string>), PORT: String(port) });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(`polyvault: refusing to start: 127.0.0.1 port ${port} is already in use\n`);
    } finally {
      blocker.close();
    }
  }, 30_000);

  it('serve refuses production mode without a master key, on SQLite too', async () => {
    const { POLYVAULT_MASTER_KEY: _unused, ...withoutKey } = env as Record<string, string>;
    const refused = await refusedGateway({ ...withoutKey, POLYVAULT_MASTER_KEY: '', POLYVAULT_MODE: 'production', POLYVAULT_DATA_DIR: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('production mode needs POLYVAULT_MASTER_KEY or POLYVAULT_MASTER_KEY_FILE');
  }, 30_000);

  it('serve --host (or POLYVAULT_HOST) chooses the listen address; without either it listens on every interface', async () => {
    const loopback = await startGateway({ ...(env as Record<string, string>), POLYVAULT_HOST: '' }, ['--host', '127.0.0.1']);
    try {
      expect(loopback.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${loopback.url}/readyz`)).status).toBe(200);
    } finally {
      await loopback.stop();
    }
    const everywhere = await startGateway({ ...(env as Record<string, string>), POLYVAULT_HOST: '' });
    await everywhere.stop();
    expect(everywhere.url).toMatch(/^http:\/\/localhost:\d+$/);
  }, 30_000);
});
