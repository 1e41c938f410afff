import request from 'supertest';
import { describeEachDatabase } from './support/harness';

describeEachDatabase('gateway health', (h) => {
  it('answers /healthz and /readyz when the database is reachable', async () => {
    await request(h().app).get('/healthz').expect(200, { status: 'ok' });
    await request(h().app).get('/readyz').expect(200, { status: 'ready' });
  });
});
