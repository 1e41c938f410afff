import request from 'supertest';
import { describeEachDatabase } from '../../support/harness';

describeEachDatabase('stax smoke', (h) => {
  it('creates', async () => {
    const t = await h().createTenant();
    console.log(JSON.stringify(t.keys), JSON.stringify(t.settings.stax));
    const res = await request(h().app).post('/stax/customer').set('Authorization', 'Bearer ' + t.keys.stax).send({ firstname: 'John', address_country: 'USA', address_1: 'x' });
    console.log(res.status, JSON.stringify(res.body));
    const res2 = await request(h().app).get('/stax/customer?per_page=2&keywords[]=john%20').set('Authorization', 'Bearer ' + t.keys.stax);
    console.log(res2.status, JSON.stringify(res2.body));
    const res3 = await request(h().app).get('/stax/nothing').set('Authorization', 'Bearer ' + t.keys.stax);
    console.log(res3.status, JSON.stringify(res3.body));
  });
});
