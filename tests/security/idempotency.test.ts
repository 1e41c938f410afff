/**
 * Idempotency-Key through every dialect (each has the gateway guard hooks): the first completed response is replayed byte for byte
 * with `Idempotent-Replayed: true`; the same key with another body is the dialect's validation
 * error; the scope is (tenant, dialect, method, path, key); a duplicate while the first is in flight
 * is a 409 in the dialect's envelope; a 5xx is not kept; a record expires after 24 hours.
 */
import type { Response } from 'supertest';
import { IdempotencyStore, requestFingerprint } from '../../core/idempotency';
import type { CreatedTenant } from '../support/harness';
import { describeEachDatabase } from '../support/harness';
import { authHeader, type DialectName, expectLogsClean, fixtures, isDialectError, NUMBER_SECRETS, routeCall, routesOf, send, tenantSecrets, vaultRows } from './routes';

type Guarded = DialectName;
const GUARDED: Guarded[] = ['maast', 'fluidpay', 'exact', 'stax'];

/** The contract create route of each dialect, with a body that writes a customer and a card. */
const CREATE: Record<Guarded, { path: string; status: number; body: Record<string, unknown>; other: Record<string, unknown> }> = {
  maast: {
    path: '/platform/vault/customer',
    status: 200,
    body: { auto_generate_customer_id: true, customer_first_name: 'Idem', customer_last_name: 'Potent', billing_cards: [{ card_number: '4111111111111111', exp_date: '1230', cvv2: '8642', billing_zip: '94402' }] },
    other: { auto_generate_customer_id: true, customer_firm_name: 'Other Body' },
  },
  fluidpay: {
    path: '/api/vault/customer',
    status: 200,
    body: { description: 'idempotent', default_payment: { card: { number: '4012888888881881', expiration_date: '12/30', cvc: '8642' } } },
    other: { description: 'another body' },
  },
  exact: { path: '/exact/customer', status: 201, body: { name: 'Idem Potent', email: 'idem@example.com' }, other: { name: 'Other Body' } },
  stax: { path: '/stax/customer', status: 201, body: { firstname: 'Idem', lastname: 'Potent' }, other: { firstname: 'Other' } },
};

/** The dialect's answer to a reused key with another body (its validation error). */
function expectMismatch(dialect: Guarded, res: Response): void {
  const body = JSON.stringify(res.body);
  switch (dialect) {
    case 'maast':
      return expect(`${res.status} ${body}`).toBe(
        `400 ${JSON.stringify({ code: 2, message: 'Request Validation Failed', data: { 'Idempotency-Key': 'Idempotency-Key was already used with a different request' } })}`,
      );
    case 'fluidpay':
      return expect(`${res.status} ${body}`).toBe(`400 ${JSON.stringify({ status: 'failed', msg: 'bad request error: Idempotency-Key: already used with a different request' })}`);
    case 'exact':
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        code: 'validation-error',
        message: 'Client request body failed validation',
        type: 'invalid-request-error',
        requestId: res.headers['x-request-id'],
        pathIssues: [{ field: 'Idempotency-Key', type: 'custom', details: ['Idempotency-Key was already used with a different request'] }],
      });
      return;
    case 'stax':
      return expect(`${res.status} ${body}`).toBe(
        `422 ${JSON.stringify({ idempotency_key: ['The idempotency key must be 1 to 255 characters and may only be reused for the same request.'] })}`,
      );
  }
}

function expectInFlight(dialect: Guarded, res: Response): void {
  expect(res.status).toBe(409);
  expect(isDialectError(dialect, res)).toBe(true);
  switch (dialect) {
    case 'maast':
      return expect(res.body).toEqual({ code: 409, message: 'A request with this Idempotency-Key is in progress' });
    case 'fluidpay':
      return expect(res.body).toEqual({ status: 'failed', msg: 'a request with this Idempotency-Key is in progress' });
    case 'exact':
      return expect(res.body).toEqual({ code: 'idempotency-conflict-error', message: 'A request with this Idempotency-Key is in progress', type: 'invalid-request-error', requestId: res.headers['x-request-id'] });
    case 'stax':
      return expect(res.body).toEqual({ error: 'A request with this Idempotency-Key is still in progress.' });
  }
}

describeEachDatabase('Idempotency-Key', (h) => {
  let a: CreatedTenant;
  let b: CreatedTenant;
  let counter = 0;
  const newKey = () => `idem-${Date.now()}-${++counter}`;

  beforeAll(async () => {
    a = await h().createTenant();
    b = await h().createTenant();
  });

  const post = (dialect: Guarded, tenant: CreatedTenant, key: string | null, body: unknown, path = CREATE[dialect].path, method: 'post' | 'put' = 'post') =>
    send(h(), { method, path, authorization: authHeader(dialect, tenant.keys[dialect]), body, headers: key === null ? {} : { 'Idempotency-Key': key } });

  for (const dialect of GUARDED) {
    describe(dialect, () => {
      it('replays the first response byte for byte, marked Idempotent-Replayed, without writing again', async () => {
        const key = newKey();
        const first = await post(dialect, a, key, CREATE[dialect].body);
        expect(first.status).toBe(CREATE[dialect].status);
        expect(first.headers['idempotent-replayed']).toBeUndefined();
        const rows = await vaultRows(h());
        for (let i = 0; i < 3; i++) {
          const again = await post(dialect, a, key, CREATE[dialect].body);
          expect(again.status).toBe(first.status);
          expect(again.text).toBe(first.text);
          expect(again.headers['idempotent-replayed']).toBe('true');
          expect(again.headers['content-type']).toBe(first.headers['content-type']);
        }
        expect(await vaultRows(h())).toBe(rows);
        // Without the header, the same request is a new write.
        expect((await post(dialect, a, null, CREATE[dialect].body)).status).toBe(CREATE[dialect].status);
        expect(await vaultRows(h())).not.toBe(rows);
      });

      it('replays a refusal too (a 4xx is a completed response)', async () => {
        const key = newKey();
        const first = await post(dialect, a, key, { card: 'not a customer', firstname: 12, name: 12, description: 12 });
        expect(first.status).toBeGreaterThanOrEqual(400);
        expect(first.status).toBeLessThan(500);
        const again = await post(dialect, a, key, { card: 'not a customer', firstname: 12, name: 12, description: 12 });
        expect([again.status, again.text, again.headers['idempotent-replayed']]).toEqual([first.status, first.text, 'true']);
        // A replay is the first response: it keeps that response's request ids, so that Exact's
        // X-Request-Id still equals the error body's requestId (contract §3.1).
        for (const header of ['x-request-id', 'x-correlation-id']) expect(again.headers[header]).toBe(first.headers[header]);
        if (dialect === 'exact') expect(again.headers['x-request-id']).toBe(again.body.requestId);
      });

      it("answers the same key with another body, or an empty or over-long key, with the dialect's validation error", async () => {
        const key = newKey();
        expect((await post(dialect, a, key, CREATE[dialect].body)).status).toBe(CREATE[dialect].status);
        const rows = await vaultRows(h());
        expectMismatch(dialect, await post(dialect, a, key, CREATE[dialect].other));
        expectMismatch(dialect, await post(dialect, a, key, { ...CREATE[dialect].body, extra: 1 }));
        expectMismatch(dialect, await post(dialect, a, 'k'.repeat(256), CREATE[dialect].body));
        expectMismatch(dialect, await post(dialect, a, '', CREATE[dialect].body));
        expect(await vaultRows(h())).toBe(rows);
      });

      it('scopes keys by tenant, method and path: the same key elsewhere is a new request, never a replay', async () => {
        const key = newKey();
        const first = await post(dialect, a, key, CREATE[dialect].body);
        // Another tenant, same dialect, path, body and key: its own new customer, not A's answer.
        const otherTenant = await post(dialect, b, key, CREATE[dialect].body);
        expect(otherTenant.status).toBe(CREATE[dialect].status);
        expect(otherTenant.headers['idempotent-replayed']).toBeUndefined();
        expect(otherTenant.text).not.toBe(first.text);
        // Same tenant and key on another path (a write route with ids): processed on its own.
        const ids = await fixtures(h(), a, dialect);
        const update = routesOf(dialect).find((r) => r.body && r.path.includes('{customer}') && !r.path.includes('/account/'))!;
        const updated = await send(h(), { ...routeCall(update, a, ids), headers: { 'Idempotency-Key': key } });
        expect(updated.status).toBeLessThan(300);
        expect(updated.headers['idempotent-replayed']).toBeUndefined();
        // Same key and path with another method: the method's own answer (405 or a route), not the POST's.
        const otherMethod = await post(dialect, a, key, CREATE[dialect].body, CREATE[dialect].path, 'put');
        expect(otherMethod.headers['idempotent-replayed']).toBeUndefined();
        expect(otherMethod.status).not.toBe(first.status);
        // The original is still replayed.
        const replay = await post(dialect, a, key, CREATE[dialect].body);
        expect([replay.text, replay.headers['idempotent-replayed']]).toEqual([first.text, 'true']);
      });

      it('answers a duplicate while the first is in flight (in another gateway process) with 409 in its envelope, then replays it', async () => {
        const key = newKey();
        const raw = Buffer.from(JSON.stringify(CREATE[dialect].body));
        // The first request, begun by another gateway process on the same database.
        const elsewhere = new IdempotencyStore(h().context.store, () => h().context.clock.now());
        const start = await elsewhere.begin(
          { tenantId: a.tenant.id, dialect, method: 'POST', path: CREATE[dialect].path, key },
          requestFingerprint('POST', CREATE[dialect].path, raw),
        );
        expect(start.kind).toBe('proceed');
        const rows = await vaultRows(h());
        expectInFlight(dialect, await post(dialect, a, key, CREATE[dialect].body));
        expect(await vaultRows(h())).toBe(rows);
        // The other process finishes: its answer is what this one replays.
        await elsewhere.complete((start as { recordId: string }).recordId, CREATE[dialect].status, { 'content-type': 'application/json; charset=utf-8' }, '{"stored":"elsewhere"}');
        const replay = await post(dialect, a, key, CREATE[dialect].body);
        expect([replay.status, replay.text, replay.headers['idempotent-replayed']]).toEqual([CREATE[dialect].status, '{"stored":"elsewhere"}', 'true']);
      });

      it('lets many identical concurrent requests write once: the others replay or get 409', async () => {
        const key = newKey();
        const rows = await h().context.store.read((m) => m.query('SELECT COUNT(*) AS n FROM customer WHERE tenant_id = ?', [a.tenant.id]));
        const answers = await Promise.all(Array.from({ length: 8 }, () => post(dialect, a, key, CREATE[dialect].body)));
        const after = await h().context.store.read((m) => m.query('SELECT COUNT(*) AS n FROM customer WHERE tenant_id = ?', [a.tenant.id]));
        expect(Number(after[0].n)).toBe(Number(rows[0].n) + 1);
        const successes = answers.filter((res) => res.status === CREATE[dialect].status);
        expect(successes.length).toBeGreaterThanOrEqual(1);
        expect(new Set(successes.map((res) => res.text)).size).toBe(1);
        for (const res of answers) if (res.status !== CREATE[dialect].status) expectInFlight(dialect, res);
      });

      it('keeps nothing for a 5xx, so that a retry with the same key runs again at once', async () => {
        const key = newKey();
        const vault = h().context.vault;
        const original = vault.forTenant.bind(vault);
        vault.forTenant = () => {
          throw new Error('simulated outage');
        };
        let failed: Response;
        try {
          failed = await post(dialect, a, key, CREATE[dialect].body);
        } finally {
          vault.forTenant = original;
        }
        expect(failed.status).toBe(500);
        expect(isDialectError(dialect, failed)).toBe(true);
        const retry = await post(dialect, a, key, CREATE[dialect].body);
        expect(retry.status).toBe(CREATE[dialect].status);
        expect(retry.headers['idempotent-replayed']).toBeUndefined();
      });

      it('forgets a key after 24 hours', async () => {
        const key = newKey();
        const now = Date.now();
        h().setNow(now);
        try {
          const first = await post(dialect, a, key, CREATE[dialect].body);
            h().setNow(now + 24 * 60 * 60 * 1000 - 1000);
          expect((await post(dialect, a, key, CREATE[dialect].body)).headers['idempotent-replayed']).toBe('true');
          h().setNow(now + 24 * 60 * 60 * 1000 + 1000);
          const later = await post(dialect, a, key, CREATE[dialect].body);
          expect(later.status).toBe(CREATE[dialect].status);
          expect(later.headers['idempotent-replayed']).toBeUndefined();
          expect(later.text).not.toBe(first.text);
        } finally {
          h().setNow(null);
        }
      });
    });
  }

  // The response is stored before it is sent: a client that retries the moment it has the answer
  // finds the stored answer (before that fix, about one retry in five got 409 on MariaDB).
  for (const dialect of GUARDED) {
    it(`${dialect}: a retry sent the moment the first answer arrives is replayed, never a 409`, async () => {
      const seen: string[] = [];
      for (let i = 0; i < 15; i++) {
        const key = newKey();
        const body = i % 2 === 0 ? CREATE[dialect].body : { card: 'refused', firstname: 12, name: 12, description: 12 };
        const first = await post(dialect, a, key, body);
        const second = await post(dialect, a, key, body);
        seen.push(`${second.status} ${second.headers['idempotent-replayed']} ${second.text === first.text}`);
      }
      expect(seen.filter((outcome) => !/^\d+ true true$/.test(outcome))).toEqual([]);
    });
  }

  it('logged none of the keys, PANs or CVVs sent', () => {
    expectLogsClean(h().logs(), [...tenantSecrets(a), ...tenantSecrets(b), ...NUMBER_SECRETS]);
  });
});
