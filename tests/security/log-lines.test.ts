/**
 * Request ids and what the log says about a request: every answer of every dialect and of the admin
 * API carries an `X-Request-Id` (a well-formed one the client sent, else a fresh UUID), the access
 * line names the tenant and, for a refused credential, why; a failure is logged as the error's type,
 * code and message, never as the error object (whose properties hold the SQL and its values).
 */
import request from 'supertest';
import { issueAdminToken } from '../../gateway/admin/tokens';
import type { CreatedTenant } from '../support/harness';
import { describeEachDatabase } from '../support/harness';
import { authHeader, DIALECT_NAMES, type DialectName, fixtures, keyOf, routeCall, ROUTES, routesOf, send, unknownIds } from './routes';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type Line = Record<string, unknown>;

describeEachDatabase('request ids and log lines', (h, db) => {
  let tenant: CreatedTenant;
  let adminToken: string;

  beforeAll(async () => {
    tenant = await h().createTenant();
    adminToken = await issueAdminToken(h().context.config);
  });

  const lines = (): Line[] =>
    h()
      .logs()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Line);
  const accessLine = (requestId: string): Line | undefined => lines().find((line) => line.msg === 'request' && line.requestId === requestId);

  /** The valid create call of a dialect (its first POST without ids in the path). */
  const createCall = (dialect: DialectName, ids: Record<string, string>) => {
    const route = routesOf(dialect).find((r) => r.method === 'post' && !r.path.includes('{') && !r.publicKey && !r.name.includes('search') && !r.name.includes('tokeniz'))!;
    return routeCall(route, tenant, ids);
  };

  it('answers every route of every dialect, the admin API, health and unknown paths with an X-Request-Id: the id of its access line', async () => {
    const problems: string[] = [];
    const calls: Array<[string, request.Test]> = [
      ...ROUTES.map((route): [string, request.Test] => [route.name, send(h(), routeCall(route, tenant, unknownIds(route.dialect)))]),
      ['admin without token', request(h().app).get('/admin/v1/tenants')],
      ['admin', request(h().app).get('/admin/v1/tenants').set('Authorization', `Bearer ${adminToken}`)],
      ['healthz', request(h().app).get('/healthz')],
      ['unknown path', request(h().app).get('/nowhere')],
      ['exact unknown path', request(h().app).get('/exact/nowhere')],
    ];
    for (const [what, call] of calls) {
      const res = await call;
      const id = res.headers['x-request-id'] as string | undefined;
      if (!id || !UUID_V4.test(id)) problems.push(`${what}: X-Request-Id ${String(id)}`);
      else if (accessLine(id)?.status !== res.status) problems.push(`${what}: no access line with ${id} and status ${res.status}`);
    }
    expect(problems).toEqual([]);
  });

  it('adopts a well-formed incoming X-Request-Id (header, access line, audit event) and replaces any other; Exact always makes its own', async () => {
    for (const dialect of DIALECT_NAMES) {
      const incoming = `trace.${dialect}:0A-9z`;
      const res = await send(h(), { ...createCall(dialect, {}), headers: { 'X-Request-Id': incoming } });
      // Exact's contract (§3.1): a new id for every request, the client's is not reused.
      const expected = dialect === 'exact' ? (res.headers['x-request-id'] as string) : incoming;
      if (dialect === 'exact') expect(expected).toMatch(UUID_V4);
      expect(`${dialect}: ${res.status} ${res.headers['x-request-id']}`).toBe(`${dialect}: ${res.status} ${expected}`);
      expect(res.status).toBeLessThan(300);
      expect(accessLine(expected)).toMatchObject({ dialect, status: res.status, tenantId: tenant.tenant.id });
      const audit = (await h().dumpTables()).audit_event.filter((row) => row.request_id === expected);
      expect(audit.length).toBeGreaterThan(0);
    }
    const admin = await request(h().app).get('/admin/v1/tenants').set('Authorization', `Bearer ${adminToken}`).set('X-Request-Id', 'ops-42');
    expect(admin.headers['x-request-id']).toBe('ops-42');
    for (const bad of ['x'.repeat(37), 'two words', 'a,b', '<script>', 'semi;colon', 'quote"d', 'new%0Aline']) {
      for (const dialect of DIALECT_NAMES) {
        const res = await send(h(), { ...routeCall(routesOf(dialect)[1], tenant, unknownIds(dialect)), headers: { 'X-Request-Id': bad } });
        expect(`${dialect} ${bad}: ${res.headers['x-request-id']}`).toMatch(new RegExp(`^${dialect} .*: ${UUID_V4.source.slice(1, -1)}$`));
      }
    }
  });

  it('repeats the first answer’s request id on an idempotent replay', async () => {
    const call = { ...createCall('stax', {}), headers: { 'Idempotency-Key': `replay-${db}` } };
    const first = await send(h(), { ...call, headers: { ...call.headers, 'X-Request-Id': 'first-call' } });
    const again = await send(h(), { ...call, headers: { ...call.headers, 'X-Request-Id': 'second-call' } });
    expect([first.status, first.headers['x-request-id'], again.headers['x-request-id'], again.headers['idempotent-replayed']]).toEqual([201, 'first-call', 'first-call', 'true']);
  });

  it('names the tenant on access lines, and says on each refused credential why, while the answers stay alike', async () => {
    const other = await h().createTenant();
    const revoked = await h().createTenant();
    for (const key of Object.values(revoked.keys)) await h().revokeKey(key);
    const disabledDialect = await h().createTenant();
    for (const dialect of DIALECT_NAMES) await h().setDialectEnabled(disabledDialect.tenant.id, dialect, false);
    const disabledTenant = await h().createTenant();
    await request(h().app).patch(`/admin/v1/tenants/${disabledTenant.tenant.id}`).set('Authorization', `Bearer ${adminToken}`).send({ disabled: true }).expect(200);
    h().context.credentials.invalidate();

    for (const dialect of DIALECT_NAMES) {
      const route = routesOf(dialect).find((r) => r.method === 'get')!;
      const foreign = dialect === 'stax' ? 'maast' : 'stax';
      const cases: Array<[string, string | null]> = [
        ['tenant', authHeader(dialect, keyOf(tenant, dialect))],
        ['unknown_key', authHeader(dialect, keyOf(other, dialect).slice(0, -4) + 'XXXX')],
        ['revoked', authHeader(dialect, keyOf(revoked, dialect))],
        ['wrong_dialect', authHeader(dialect, keyOf(other, foreign))],
        ['dialect_disabled', authHeader(dialect, keyOf(disabledDialect, dialect))],
        ['tenant_disabled', authHeader(dialect, keyOf(disabledTenant, dialect))],
        ['no_credential', null],
      ];
      const answers = new Map<string, string>();
      for (const [reason, authorization] of cases) {
        const res = await send(h(), routeCall(route, tenant, unknownIds(dialect), { authorization }));
        const line = accessLine(res.headers['x-request-id'] as string)!;
        if (reason === 'tenant') {
          expect(`${dialect}: ${line.tenantId} ${line.reason}`).toBe(`${dialect}: ${tenant.tenant.id} undefined`);
          continue;
        }
        expect(`${dialect} ${reason}: ${line.status} ${line.reason}`).toBe(`${dialect} ${reason}: ${res.status} ${reason}`);
        expect(res.status).toBeGreaterThanOrEqual(401);
        // The client learns nothing of the reason: one answer for every refusal of the same status
        // (ids aside, which differ by request).
        const text = res.text.replace(/"requestId":"[^"]+"/, '');
        expect(answers.get(`${res.status}`) ?? text).toBe(text);
        answers.set(`${res.status}`, text);
      }
    }
    const admin = await request(h().app).get('/admin/v1/tenants').set('Authorization', 'Bearer not-a-token');
    expect(accessLine(admin.headers['x-request-id'] as string)).toMatchObject({ status: 401, reason: 'invalid_admin_token' });
  });

  it('logs a database failure as type, code and message, with the tenant, once the dialect: no statement, no values', async () => {
    const ids: Record<DialectName, Record<string, string>> = { maast: {}, fluidpay: {}, exact: {}, stax: {} };
    for (const dialect of DIALECT_NAMES) ids[dialect] = await fixtures(h(), tenant, dialect);
    const before = h().logs().length;
    // A real fault: the customer table is gone while the requests run.
    await h().context.store.transaction((m) => m.query(db === 'mysql' ? 'RENAME TABLE customer TO customer_gone' : 'ALTER TABLE customer RENAME TO customer_gone'));
    try {
      for (const dialect of DIALECT_NAMES) {
        for (const route of routesOf(dialect).filter((r) => r.body && !r.publicKey)) {
          const call = routeCall(route, tenant, ids[dialect]);
          const body = JSON.stringify(call.body).replace(/"(jane|john)@example\.com"/gi, '"zq.leakcheck@example.com"').replace(/"(Jane|Janet|John|Ann)"/g, '"Zanzibarqux"');
          // Routes that never reach the customer table (a tokenization) still succeed.
          await send(h(), { ...call, raw: body });
        }
      }
    } finally {
      await h().context.store.transaction((m) => m.query(db === 'mysql' ? 'RENAME TABLE customer_gone TO customer' : 'ALTER TABLE customer_gone RENAME TO customer'));
    }
    const logged = h().logs().slice(before);
    const failures = logged
      .split('\n')
      .filter((line) => line.includes('"level":50'))
      .map((text) => ({ text, line: JSON.parse(text) as Line }));
    expect(new Set(failures.map(({ line }) => line.dialect))).toEqual(new Set(DIALECT_NAMES));
    for (const { text, line } of failures) {
      expect(text.match(/"dialect":/g)).toHaveLength(1);
      expect(line.tenantId).toBe(tenant.tenant.id);
      expect(typeof line.requestId).toBe('string');
      const err = line.error as Record<string, unknown>;
      expect(line.err).toBeUndefined();
      expect(Object.keys(err).filter((key) => !['type', 'code', 'message'].includes(key))).toEqual([]);
      expect([typeof err.type, typeof err.message]).toEqual(['string', 'string']);
    }
    for (const value of ['Zanzibarqux', 'zq.leakcheck', 'INSERT', 'SELECT', 'UPDATE ', 'k1:', ...Object.values(tenant.keys)]) expect(logged).not.toContain(value);
  });
});
