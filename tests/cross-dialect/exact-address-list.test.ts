/**
 * Exact replaces a customer's address list as a whole and sends no address ids (contract §8.3). The
 * addresses other dialects wrote carry what Exact cannot show (Maast shipping names, `shipping_id`),
 * so the list Exact sends is aligned with the stored one: removing one address must not move its
 * neighbour's street under the removed one's names, and the requested order is still what Exact
 * reads back.
 */
import request from 'supertest';
import { describeEachDatabase, type CreatedTenant, type Harness } from '../support/harness';

type Wire = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const shipping = (first: string, street: string, zip: string) => ({
  shipping_first_name: first,
  shipping_last_name: 'Resident',
  shipping_addr1: street,
  shipping_city: 'San Mateo',
  shipping_state: 'CA',
  shipping_zip: zip,
  shipping_country_code: '840',
});

describeEachDatabase('an address list written through Maast and replaced through Exact', (h) => {
  let t: CreatedTenant;
  beforeAll(async () => {
    t = await h().createTenant({ settings: { maast: { merchantId: '210000000289' } } });
  });
  const maast = (hh: Harness, method: 'get' | 'post', path: string, body?: object) =>
    request(hh.app)[method](`/platform/vault/customer${path}`).set('Authorization', 'Basic ' + Buffer.from(':' + t.keys.maast).toString('base64')).send(body);
  const exact = (hh: Harness, method: 'get' | 'put', path: string, body?: object) => request(hh.app)[method](`/exact${path}`).set('Authorization', t.keys.exact).send(body);

  async function customer(id: string): Promise<{ objectId: string; addresses: Wire[] }> {
    await maast(h(), 'post', '', { customer_id: id, customer_first_name: 'Ann', customer_last_name: 'Example', shipping_addresses: [shipping('One', '1 First St', '94401'), shipping('Two', '2 Second St', '94402'), shipping('Three', '3 Third St', '94403')] }).expect(200);
    const tenant = await h().context.tenants.get(t.tenant.id);
    const found = await h().context.vault.forTenant(tenant, { dialect: 'exact', actorKeyId: null, requestId: null }).read((s) => s.findCustomer({ by: 'vaultId', vaultId: id }));
    const read = await exact(h(), 'get', `/customer/${found?.objectId}`).expect(200);
    // A client sending the list back must label each address (the contract requires a label).
    return { objectId: String(found?.objectId), addresses: read.body.addresses.map((a: Wire, i: number) => ({ ...a, label: `a${i}` })) };
  }
  const shown = async (id: string) =>
    ((await maast(h(), 'get', `/${id}`).expect(200)).body.data.shipping_addresses as Wire[]).map((a) => [a.shipping_id, a.shipping_first_name, a.shipping_addr1]);

  it('removing the first address removes exactly that one; the others keep their names and ids', async () => {
    const c = await customer('DROPFIRST');
    const before = await shown('DROPFIRST');
    await exact(h(), 'put', `/customer/${c.objectId}`, { addresses: c.addresses.slice(1) }).expect(204);
    expect(await shown('DROPFIRST')).toEqual(before.slice(1));
  });

  it('removing one address and changing another in the same request keeps each street with its names', async () => {
    const c = await customer('DROPEDIT');
    const before = await shown('DROPEDIT');
    await exact(h(), 'put', `/customer/${c.objectId}`, { addresses: [c.addresses[0], { ...c.addresses[2], city: 'Palo Alto' }] }).expect(204);
    expect(await shown('DROPEDIT')).toEqual([before[0], before[2]]);
    const data = (await maast(h(), 'get', '/DROPEDIT').expect(200)).body.data;
    expect(data.shipping_addresses[1]).toMatchObject({ shipping_first_name: 'Three', shipping_addr1: '3 Third St', shipping_city: 'Palo Alto' });
  });

  it('sending the same list back changes nothing (304 once labelled), and a new order is what Exact reads back', async () => {
    const c = await customer('REORDER');
    const before = await shown('REORDER');
    await exact(h(), 'put', `/customer/${c.objectId}`, { addresses: c.addresses }).expect(204); // labels added
    await exact(h(), 'put', `/customer/${c.objectId}`, { addresses: c.addresses }).expect(304);
    expect(await shown('REORDER')).toEqual(before);
    const reversed = [...c.addresses].reverse();
    await exact(h(), 'put', `/customer/${c.objectId}`, { addresses: reversed }).expect(204);
    const read = await exact(h(), 'get', `/customer/${c.objectId}`).expect(200);
    expect(read.body.addresses.map((a: Wire) => a.line1)).toEqual(['3 Third St', '2 Second St', '1 First St']);
    // No street ever ends up under another address's names.
    const names: Record<string, string> = { '1 First St': 'One', '2 Second St': 'Two', '3 Third St': 'Three' };
    for (const [, first, street] of await shown('REORDER')) if (first !== undefined) expect(first).toBe(names[street]);
  });
});
