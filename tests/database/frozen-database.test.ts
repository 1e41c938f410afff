/**
 * Issue 15, point 3: time limits on the database. MariaDB behind a proxy the test freezes (the
 * shared server itself cannot be stopped): while frozen, requests get their dialect's 5xx within
 * the request limit and /readyz says 503 within its own; nothing half-done is written; when the
 * database answers again, the gateway serves again by itself.
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { loadConfig } from '../../config';
import { startFreezableProxy, type FreezableProxy } from '../support/freezableProxy';
import { type Harness, mysqlEnabled, startHarness } from '../support/harness';
import { connectServer, serverUrl } from '../support/mysql';

const REQUEST_LIMIT_MS = 2000;
const READY_LIMIT_MS = 1000;
/** Scheduling slack on a shared two-core machine; still far below the freeze. */
const SLACK_MS = 1000;

const timed = async <T>(work: Promise<T>): Promise<{ value: T; ms: number }> => {
  const started = Date.now();
  const value = await work;
  return { value, ms: Date.now() - started };
};

describe('configured time limits', () => {
  it('default to 5 s for a request and 1 s for /readyz', () => {
    const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', POLYVAULT_MASTER_KEY: randomBytes(32).toString('base64') });
    expect(config.databaseTimeouts).toEqual({ requestMs: 5000, readyMs: 1000 });
  });
});

(mysqlEnabled() ? describe : describe.skip)('a frozen database [mysql]', () => {
  let proxy: FreezableProxy;
  let h: Harness;
  let database: string;
  let staxKey: string;
  let maastKey: string;

  beforeAll(async () => {
    database = `pv_test_${randomBytes(6).toString('hex')}`;
    const server = await connectServer();
    await server.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    await server.end();
    const direct = new URL(serverUrl(database));
    proxy = await startFreezableProxy({ host: direct.hostname, port: Number(direct.port || 3306) });
    direct.host = `127.0.0.1:${proxy.port}`;
    h = await startHarness('mysql', {
      DATABASE_URL: direct.toString(),
      POLYVAULT_DB_TIMEOUT_MS: String(REQUEST_LIMIT_MS),
      POLYVAULT_READY_TIMEOUT_MS: String(READY_LIMIT_MS),
    });
    const tenant = await h.createTenant({ dialects: ['stax', 'maast'] });
    staxKey = tenant.keys.stax;
    maastKey = tenant.keys.maast;
  });

  afterAll(async () => {
    proxy?.thaw();
    await h?.close();
    await proxy?.close();
    const server = await connectServer();
    await server.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await server.end();
  });

  const createStax = (firstname: string) => request(h.app).post('/stax/customer').set('Authorization', `Bearer ${staxKey}`).send({ firstname, lastname: 'Frozen' });
  const readMaast = () => request(h.app).get('/platform/vault/customer').auth('', maastKey);
  const customersNamed = async (name: string) => {
    const server = await connectServer();
    const [rows] = await server.query(`SELECT COUNT(*) AS n FROM \`${database}\`.customer WHERE given_name = ?`, [name]);
    await server.end();
    return Number((rows as Array<{ n: number }>)[0].n);
  };

  it('answers promptly in each dialect\'s envelope while frozen, says 503 on /readyz, and recovers by itself', async () => {
    expect((await createStax('Before')).status).toBe(201);
    expect((await request(h.app).get('/readyz')).status).toBe(200);

    proxy.freeze();
    const [ready, write, read] = await Promise.all([timed(request(h.app).get('/readyz').then((res) => res)), timed(createStax('During').then((res) => res)), timed(readMaast().then((res) => res))]);
    expect([ready.value.status, ready.value.body]).toEqual([503, { status: 'database unreachable' }]);
    expect(ready.ms).toBeLessThan(READY_LIMIT_MS + SLACK_MS);
    expect([write.value.status, write.value.body]).toEqual([500, { error: 'Internal Server Error' }]);
    expect([read.value.status, read.value.body]).toEqual([500, { code: 99, message: 'Internal Error' }]);
    for (const answer of [write, read]) expect(answer.ms).toBeLessThan(REQUEST_LIMIT_MS + SLACK_MS);
    // Still frozen: every new request is answered within its limit too, not queued behind the first.
    const again = await timed(createStax('During').then((res) => res));
    expect(again.value.status).toBe(500);
    expect(again.ms).toBeLessThan(REQUEST_LIMIT_MS + SLACK_MS);

    proxy.thaw();
    const deadline = Date.now() + 15_000;
    let readyAgain = false;
    while (!readyAgain && Date.now() < deadline) {
      readyAgain = (await request(h.app).get('/readyz')).status === 200;
      if (!readyAgain) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(readyAgain).toBe(true);
    expect((await createStax('After')).status).toBe(201);
    expect((await readMaast()).status).toBe(200);
    // The writes that were given up never committed, not even once the database answered again.
    expect(await customersNamed('During')).toBe(0);
    expect(await customersNamed('After')).toBe(1);
  });
});
