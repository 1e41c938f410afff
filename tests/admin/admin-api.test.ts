/**
 * The operator's admin API: JWT authentication, tenants, live dialect switching (also seen by a
 * second gateway process on the same database), keys with rotation overlap, reset and audit.
 */
import { SignJWT } from 'jose';
import request from 'supertest';
import { adminSigningKey, issueAdminToken } from '../../gateway/admin/tokens';
import { createApp } from '../../gateway/app';
import { createContext } from '../../gateway/context';
import { createLogger } from '../../core/logger';
import { CACHE_TTL_MS } from '../../gateway/credentials';
import { describeEachDatabase } from '../support/harness';

const basic = (key: string) => 'Basic ' + Buffer.from(':' + key).toString('base64');

describeEachDatabase('admin API', (h) => {
  let token: string;
  beforeAll(async () => {
    token = await issueAdminToken(h().context.config, '1h');
  });
  const admin = () => ({
    get: (path: string) => request(h().app).get(`/admin/v1${path}`).set('Authorization', `Bearer ${token}`),
    post: (path: string, body: object = {}) => request(h().app).post(`/admin/v1${path}`).set('Authorization', `Bearer ${token}`).send(body),
    put: (path: string, body: object = {}) => request(h().app).put(`/admin/v1${path}`).set('Authorization', `Bearer ${token}`).send(body),
    patch: (path: string, body: object = {}) => request(h().app).patch(`/admin/v1${path}`).set('Authorization', `Bearer ${token}`).send(body),
  });

  it('refuses missing, tampered, expired and wrongly signed tokens with 401', async () => {
    const refused = (res: { body: unknown }) => expect(res.body).toEqual({ error: { code: 'unauthorized', message: 'a valid admin token is required' } });
    await request(h().app).get('/admin/v1/tenants').expect(401).expect(refused);
    const [head, , signature] = token.split('.');
    const tampered = `${head}.${Buffer.from(JSON.stringify({ scope: 'admin', iss: 'polyvault', aud: 'polyvault-admin', exp: 9999999999, jti: 'x' })).toString('base64url')}.${signature}`;
    await request(h().app).get('/admin/v1/tenants').set('Authorization', `Bearer ${tampered}`).expect(401).expect(refused);
    const expired = await new SignJWT({ scope: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('polyvault')
      .setAudience('polyvault-admin')
      .setJti('old')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(adminSigningKey(h().context.config));
    const response = await request(h().app).get('/admin/v1/tenants').set('Authorization', `Bearer ${expired}`).expect(401);
    expect(response.body).toEqual({ error: { code: 'unauthorized', message: 'a valid admin token is required' } });
    const otherKey = await new SignJWT({ scope: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('polyvault').setAudience('polyvault-admin').setJti('x').setExpirationTime('1h').sign(new Uint8Array(32));
    await request(h().app).get('/admin/v1/tenants').set('Authorization', `Bearer ${otherKey}`).expect(401).expect(refused);
  });

  it('creates, lists, gets, renames and disables tenants; a disabled tenant\'s keys stop working', async () => {
    const created = await admin().post('/tenants', { name: 'acme-admin', dialects: ['maast'], settings: { maast: { merchantId: '210000000289' } } }).expect(201);
    expect(created.body.tenant).toMatchObject({ name: 'acme-admin', dialects: ['maast'], maastMerchantId: '210000000289' });
    const key = created.body.keys.maast as string;
    await request(h().app).get('/platform/vault/customer').set('Authorization', basic(key)).expect(200);
    const id = created.body.tenant.id;
    expect((await admin().get('/tenants').expect(200)).body.tenants.map((t: { id: string }) => t.id)).toContain(id);
    await admin().get(`/tenants/${id}`).expect(200);
    await admin().get('/tenants/nope').expect(404);
    expect((await admin().patch(`/tenants/${id}`, { name: 'acme-renamed' }).expect(200)).body.tenant.name).toBe('acme-renamed');
    await admin().post('/tenants', { name: 'acme-renamed' }).expect(409);
    await admin().post('/tenants', { dialects: ['maast'] }).expect(400, { error: { code: 'invalid_request', message: 'name is required', field: 'name' } });
    await admin().post(`/tenants/${id}/disable`).expect(200);
    await request(h().app).get('/platform/vault/customer').set('Authorization', basic(key)).expect(401);
    await admin().post(`/tenants/${id}/enable`).expect(200);
    await request(h().app).get('/platform/vault/customer').set('Authorization', basic(key)).expect(200);
  });

  it('switches a dialect off and on live, in this process and in a second process on the same database', async () => {
    const created = await admin().post('/tenants', { name: 'switcher', dialects: ['maast'] }).expect(201);
    const { id } = created.body.tenant;
    const key = created.body.keys.maast as string;
    const second = await createContext(h().context.config, createLogger({ level: 'silent' }));
    try {
      const secondApp = createApp(second);
      await request(secondApp).get('/platform/vault/customer').set('Authorization', basic(key)).expect(200);
      await admin().put(`/tenants/${id}/dialects/maast`, { enabled: false }).expect(200);
      const refused = await request(h().app).get('/platform/vault/customer').set('Authorization', basic(key)).expect(403);
      expect(refused.body).toEqual({ code: 6, message: 'API key does not have access to this resource' });
      await new Promise((resolve) => setTimeout(resolve, CACHE_TTL_MS + 100));
      await request(secondApp).get('/platform/vault/customer').set('Authorization', basic(key)).expect(403);
      const enabled = await admin().put(`/tenants/${id}/dialects/maast`, { enabled: true }).expect(200);
      expect(enabled.body.keys).toEqual({});
      await request(h().app).get('/platform/vault/customer').set('Authorization', basic(key)).expect(200);
      const added = await admin().put(`/tenants/${id}/dialects/stax`, { enabled: true }).expect(200);
      expect(Object.keys(added.body.keys)).toEqual(['stax']);
      expect(added.body.tenant.dialects.sort()).toEqual(['maast', 'stax']);
    } finally {
      await second.close();
    }
  });

  it('creates, lists (without secrets), revokes and rotates keys with an overlap window', async () => {
    const { body } = await admin().post('/tenants', { name: 'keyring-test', dialects: ['maast'] }).expect(201);
    const id = body.tenant.id;
    const made = await admin().post(`/tenants/${id}/keys`, { dialect: 'maast' }).expect(201);
    const extra = made.body.secret as string;
    await request(h().app).get('/platform/vault/customer').set('Authorization', basic(extra)).expect(200);
    const listed = (await admin().get(`/tenants/${id}/keys`).expect(200)).body.keys;
    expect(listed).toHaveLength(2);
    expect(JSON.stringify(listed)).not.toContain(extra);
    expect(JSON.stringify(listed)).not.toContain(body.keys.maast);
    await admin().post(`/tenants/${id}/keys/${made.body.key.id}/revoke`).expect(200);
    await request(h().app).get('/platform/vault/customer').set('Authorization', basic(extra)).expect(401);

    const original = listed.find((k: { id: string }) => k.id !== made.body.key.id);
    const rotated = await admin().post(`/tenants/${id}/keys/${original.id}/rotate`, { overlapSeconds: 60 }).expect(200);
    await request(h().app).get('/platform/vault/customer').set('Authorization', basic(rotated.body.secret)).expect(200);
    await request(h().app).get('/platform/vault/customer').set('Authorization', basic(body.keys.maast)).expect(200);
    h().setNow(Date.now() + 61_000);
    h().context.credentials.invalidate();
    try {
      await request(h().app).get('/platform/vault/customer').set('Authorization', basic(body.keys.maast)).expect(401);
      await request(h().app).get('/platform/vault/customer').set('Authorization', basic(rotated.body.secret)).expect(200);
    } finally {
      h().setNow(null);
    }
  });

  it('resets a sandbox tenant: customers go, keys and audit stay', async () => {
    const { body } = await admin().post('/tenants', { name: 'resettable', dialects: ['maast'] }).expect(201);
    const key = body.keys.maast as string;
    await request(h().app)
      .post('/platform/vault/customer')
      .set('Authorization', basic(key))
      .send({ customer_id: 'RESETME', customer_firm_name: 'Reset Co', billing_cards: [{ card_number: '4111111111111111', exp_date: '1230', billing_zip: '94402' }] })
      .expect(200);
    const other = await h().createTenant({ dialects: ['maast'] });
    await request(h().app).post('/platform/vault/customer').set('Authorization', basic(other.keys.maast)).send({ customer_id: 'KEEPME', customer_firm_name: 'Keep Co' }).expect(200);
    const reset = await admin().post(`/tenants/${body.tenant.id}/reset`, { confirm: true }).expect(200);
    expect(reset.body.deleted).toEqual({ customers: 1, addresses: 0, paymentMethods: 1 });
    const after = await request(h().app).get('/platform/vault/customer').set('Authorization', basic(key)).expect(200);
    expect(after.body.totalRecords).toBe(0);
    await request(h().app).get('/platform/vault/customer/KEEPME').set('Authorization', basic(other.keys.maast)).expect(200);
  });

  it('pages and filters the audit log; every admin action and every dialect write leaves one event', async () => {
    const { body } = await admin().post('/tenants', { name: 'audited', dialects: ['maast'] }).expect(201);
    const id = body.tenant.id;
    const started = new Date().toISOString();
    await request(h().app).post('/platform/vault/customer').set('Authorization', basic(body.keys.maast)).send({ customer_id: 'AUD1', customer_firm_name: 'Audit Co' }).expect(200);
    await admin().put(`/tenants/${id}/dialects/maast`, { enabled: false }).expect(200);
    const all = (await admin().get(`/audit?tenant=${id}`).expect(200)).body;
    const operations = all.events.map((e: { operation: string }) => e.operation);
    expect(operations).toContain('tenant.create');
    expect(operations).toContain('dialect.disable:maast');
    expect(all.events.filter((e: { dialect: string }) => e.dialect === 'maast')).toHaveLength(1);
    const write = all.events.find((e: { dialect: string }) => e.dialect === 'maast');
    expect(write).toMatchObject({ tenantId: id, outcome: 'success' });
    expect(write.actorKeyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(write.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(write.targetIds.length).toBeGreaterThan(0);
    const page = (await admin().get(`/audit?tenant=${id}&limit=1&offset=1`).expect(200)).body;
    expect(page.total).toBe(all.total);
    expect(page.events).toHaveLength(1);
    expect(page.events[0].id).toBe(all.events[1].id);
    const filtered = (await admin().get(`/audit?tenant=${id}&operation=tenant.create`).expect(200)).body;
    expect(filtered.events).toHaveLength(1);
    const since = (await admin().get(`/audit?tenant=${id}&from=${encodeURIComponent(started)}`).expect(200)).body;
    expect(since.events.map((e: { operation: string }) => e.operation)).not.toContain('tenant.create');
    await admin().get('/audit?limit=abc').expect(400);
  });
});
