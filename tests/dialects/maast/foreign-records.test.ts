/**
 * Records written through another dialect (here: straight through the core, as any dialect
 * writes them) read and change through Maast: no Maast defaults, country only as ISO alpha-2, a
 * brand without a Maast code, an untyped bank account, a customer that never met the name rule.
 */
import { describeEachDatabase, type Harness } from '../../support/harness';
import type { VaultSession } from '../../../core/vault/commands';
import { maastTenant, VAULT, type MaastClient } from './support';

async function asAnotherDialect<T>(h: Harness, client: MaastClient, work: (session: VaultSession) => Promise<T>): Promise<T> {
  const tenant = await h.context.tenants.get(client.tenantId);
  return h.context.vault.forTenant(tenant, { dialect: 'exact', actorKeyId: null, requestId: null }).write('test.seed', work);
}

describeEachDatabase('maast reading records written elsewhere', (h) => {
  let client: MaastClient;
  let vaultId: string;
  beforeAll(async () => {
    client = await maastTenant(h());
    vaultId = await asAnotherDialect(h(), client, async (session) => {
      const customer = await session.createCustomer({ givenName: 'Cher' });
      await session.addAddress(customer.seq, { givenName: 'Cher', line1: 'Hauptstr. 1', city: 'Berlin', country: 'DE' });
      await session.addAddress(customer.seq, { givenName: 'Cher', city: 'Lyon', country: 'FR' });
      await session.addPaymentMethod({ customerSeq: customer.seq, card: { pan: '9000000000000001', expMonth: 7, expYear: 2031 }, billing: { country: 'CA', postalCode: 'H2X' } });
      await session.addPaymentMethod({ customerSeq: customer.seq, ach: { accountNumber: '123456789', routingNumber: '011111111', accountType: null } });
      return customer.vaultId;
    });
  });

  it('shows the earliest entries as primary, the ISO name and numeric code, no card_type for an unknown brand, type C for an untyped account', async () => {
    const res = await client.get(`${VAULT}/${vaultId}`).expect(200);
    const data = res.body.data;
    expect(data.customer_id).toBe(vaultId);
    expect(data.customer_first_name).toBe('Cher');
    expect(data.primary_card_number).toBe('900000xxxxxx0001');
    expect(data.shipping_addresses.map((a: Record<string, unknown>) => [a.shipping_city, a.shipping_country, a.shipping_country_code, a.primary])).toEqual([
      ['Berlin', 'Germany', '276', true],
      ['Lyon', 'France', '250', false],
    ]);
    expect(data.billing_cards).toEqual([
      { card_id: data.billing_cards[0].card_id, card_number: '900000xxxxxx0001', exp_date: '0731', billing_zip: 'H2X', billing_country: 'Canada', billing_country_code: '124', primary: true },
      { card_id: data.billing_cards[1].card_id, card_number: 'xxxxx6789', card_type: 'AP', type_id: 'C', tr_number: '011111111', primary: false },
    ]);
  });

  it('accepts an update that leaves the names alone although the customer never met the Maast name rule', async () => {
    const res = await client.put(`${VAULT}/${vaultId}`, { comments: 'from maast' }).expect(200);
    expect(res.body.data.comments).toBe('from maast');
    const touched = await client.put(`${VAULT}/${vaultId}`, { customer_first_name: 'Cherilyn' }).expect(400);
    expect(touched.body.data).toEqual({ customer_last_name: 'Either customer_first_name and customer_last_name, or customer_firm_name, is required' });
  });

  it('deleting the displayed primary address promotes the next one and records it as the default', async () => {
    const before = await client.get(`${VAULT}/${vaultId}/shipping`).expect(200);
    const [berlin, lyon] = before.body.data.shipping_addresses;
    const res = await client.del(`${VAULT}/${vaultId}/shipping/${berlin.shipping_id}`).expect(200);
    expect(res.body.data.shipping_addresses).toEqual([{ ...lyon, primary: true }]);
    const stored = await asAnotherDialect(h(), client, (session) => session.findCustomer({ by: 'vaultId', vaultId }));
    expect(stored?.defaultShippingAddressSeq).toBe(lyon.shipping_id);
  });
});
