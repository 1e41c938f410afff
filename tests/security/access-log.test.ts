/**
 * The access log: one line per request with the fields an operator needs, and never a card number,
 * a key or a query string, whatever the client puts in the path.
 */
import request from 'supertest';
import { describeEachDatabase } from '../support/harness';

describeEachDatabase('access log', (h) => {
  it('writes one line per request, with card-like path segments masked and no query string or key', async () => {
    const tenant = await h().createTenant();
    const maastKey = tenant.keys.maast;
    const basic = `Basic ${Buffer.from(`:${maastKey}`).toString('base64')}`;
    await request(h().app).get('/platform/vault/customer/4111111111111111?card_number=5555555555554444').set('Authorization', basic).expect(404);
    await request(h().app).get('/stax/customer/4111-1111-1111-1111').set('Authorization', `Bearer ${tenant.keys.stax}`).expect(404);
    const lines = h()
      .logs()
      .split('\n')
      .filter((line) => line.includes('"msg":"request"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const ours = lines.slice(-2);
    expect(ours.map((line) => [line.dialect, line.method, line.path, line.status])).toEqual([
      ['maast', 'GET', '/platform/vault/customer/[redacted]', 404],
      ['stax', 'GET', '/stax/customer/[redacted]', 404],
    ]);
    for (const line of ours) {
      expect(typeof line.requestId).toBe('string');
      expect(typeof line.ms).toBe('number');
    }
    const text = h().logs();
    for (const secret of ['4111111111111111', '4111-1111-1111-1111', '5555555555554444', maastKey, tenant.keys.stax]) expect(text).not.toContain(secret);
  });
});
