/**
 * What production mode refuses: a tenant reset without confirmation or of a tenant not marked
 * sandbox, admin tokens without an expiry or with an unbounded lifetime, and `/readyz` on a
 * gateway that lacks the master key the stored keys were wrapped with.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import request from 'supertest';
import { loadConfig } from '../../config';
import { createApp } from '../../gateway/app';
import { createContext } from '../../gateway/context';
import { adminSigningKey, issueAdminToken } from '../../gateway/admin/tokens';
import { createLogger } from '../../core/logger';
import { describeEachDatabase, type Harness } from '../support/harness';

async function tenantWithCustomer(h: Harness) {
  const { tenant } = await h.createTenant({ dialects: ['maast'] });
  await h.context.vault.forTenant(tenant, { dialect: 'maast', actorKeyId: null, requestId: null }).write('seed', (s) => s.createCustomer({ givenName: 'Kept' }));
  return tenant;
}

const customersOf = async (h: Harness, tenantId: string) => (await h.dumpTables()).customer.filter((c) => c.tenant_id === tenantId).length;

describeEachDatabase(
  'production mode guards',
  (h) => {
    let token: string;
    beforeAll(async () => {
      token = await issueAdminToken(h().context.config, '1h');
    });
    const post = (path: string, body?: object) => request(h().app).post(`/admin/v1${path}`).set('Authorization', `Bearer ${token}`).send(body ?? {});

    it('resets only with confirm: true, and only tenants marked sandbox', async () => {
      const tenant = await tenantWithCustomer(h());
      expect(tenant.sandbox).toBe(false);
      const unconfirmed = await post(`/tenants/${tenant.id}/reset`).expect(400);
      expect(unconfirmed.body.error).toMatchObject({ code: 'invalid_request', field: 'confirm' });
      const refused = await post(`/tenants/${tenant.id}/reset`, { confirm: true }).expect(403);
      expect(refused.body.error).toMatchObject({ code: 'forbidden', field: 'sandbox' });
      expect(await customersOf(h(), tenant.id)).toBe(1);

      const marked = await request(h().app).patch(`/admin/v1/tenants/${tenant.id}`).set('Authorization', `Bearer ${token}`).send({ sandbox: true }).expect(200);
      expect(marked.body.tenant.sandbox).toBe(true);
      const reset = await post(`/tenants/${tenant.id}/reset`, { confirm: true }).expect(200);
      expect(reset.body.deleted.customers).toBe(1);
      expect(await customersOf(h(), tenant.id)).toBe(0);
    });

    it('creates sandbox tenants on request and checks the field', async () => {
      const created = await post('/tenants', { name: `sbx-${randomBytes(3).toString('hex')}`, dialects: ['maast'], sandbox: true }).expect(201);
      expect(created.body.tenant.sandbox).toBe(true);
      const bad = await post('/tenants', { name: 'bad-sandbox', dialects: ['maast'], sandbox: 'yes' }).expect(400);
      expect(bad.body.error).toMatchObject({ field: 'sandbox' });
    });

    it('refuses admin tokens without an expiry or living longer than 24 hours', async () => {
      const now = Math.floor(Date.now() / 1000);
      const sign = (jwt: SignJWT) => jwt.setProtectedHeader({ alg: 'HS256' }).setIssuer('polyvault').setAudience('polyvault-admin').setJti(randomBytes(8).toString('hex')).sign(adminSigningKey(h().context.config));
      const forever = await sign(new SignJWT({ scope: 'admin' }).setIssuedAt(now));
      const month = await sign(new SignJWT({ scope: 'admin' }).setIssuedAt(now).setExpirationTime(now + 30 * 86400));
      const noIssuedAt = await sign(new SignJWT({ scope: 'admin' }).setExpirationTime(now + 3600));
      const fine = await sign(new SignJWT({ scope: 'admin' }).setIssuedAt(now).setExpirationTime(now + 3600));
      for (const bad of [forever, month, noIssuedAt]) await request(h().app).get('/admin/v1/tenants').set('Authorization', `Bearer ${bad}`).expect(401);
      await request(h().app).get('/admin/v1/tenants').set('Authorization', `Bearer ${fine}`).expect(200);
      await expect(issueAdminToken(h().context.config, '30d')).rejects.toThrow('--ttl must be between 1s and 24h');
    });

    it('/readyz is 503 on a gateway without the master key of the stored keys, 200 with it', async () => {
      await h().createTenant({ dialects: ['maast'] });
      await request(h().app).get('/readyz').expect(200, { status: 'ready' });
      const config = loadConfig({ DATABASE_URL: h().context.config.databaseUrl, POLYVAULT_MASTER_KEY: randomBytes(32).toString('base64'), POLYVAULT_MODE: 'production' });
      const stranger = await createContext(config, createLogger({ level: 'silent' }));
      try {
        await request(createApp(stranger)).get('/readyz').expect(503, { status: 'master key missing' });
      } finally {
        await stranger.close();
      }
    });
  },
  { env: { POLYVAULT_MODE: 'production' } },
);
