import request from 'supertest';
import { describeEachDatabase } from './support/harness';

describeEachDatabase('gateway health', (h) => {
  it('answers /healthz and /readyz when the database is reachable', async () => {
    await request(h().app).get('/healthz').expect(200, { status: 'ok' });
    await request(h().app).get('/readyz').expect(200, { status: 'ready' });
  });
});

describeEachDatabase('gateway routing of root prefixes', (h) => {
  it('sends a path under /platform or /api, in any case, to its dialect and nothing else', async () => {
    const maastNotFound = await request(h().app).get('/PLATFORM/vault/nothing-here');
    const maastOwn = await request(h().app).get('/platform/vault/nothing-here');
    expect([maastNotFound.status, maastNotFound.body]).toEqual([404, { code: maastOwn.body.code, message: 'Service not found' }]);
    expect(maastOwn.body).toEqual(maastNotFound.body);
    // Written in one piece: the length is announced, and a HEAD request gets the headers only.
    expect(Number(maastOwn.headers['content-length'])).toBe(Buffer.byteLength(maastOwn.text));
    const head = await request(h().app).head('/platform/vault/nothing-here');
    expect([head.status, head.headers['content-type'], head.headers['content-length'], head.text]).toEqual([404, 'application/json; charset=utf-8', maastOwn.headers['content-length'], undefined]);
    const fluidpayNotFound = await request(h().app).get('/Api');
    const fluidpayOwn = await request(h().app).get('/api/no/such/route');
    expect([fluidpayNotFound.status, fluidpayNotFound.body]).toEqual([fluidpayOwn.status, fluidpayOwn.body]);
    expect(fluidpayOwn.body).not.toEqual({ error: 'not found' });
    // A longer first segment is not the prefix: the gateway's own 404.
    for (const path of ['/platformx/vault/customer', '/apis', '/']) await request(h().app).get(path).expect(404, { error: 'not found' });
  });
});
