/**
 * Behaviours of contract §4.4 and §8: update-customer array semantics, primary rules, card ids,
 * input coercions, masks and card types, merge updates, deletion.
 */
import { describeEachDatabase } from '../../support/harness';
import { loadSpecValidators } from './openapi';
import { maastTenant, VAULT, type MaastClient } from './support';

const spec = loadSpecValidators();
type Entry = Record<string, unknown>;
const failed = (data: Record<string, string>) => ({ code: 2, message: 'Request Validation Failed', data });

const VISA = { card_number: '4111111111111111', exp_date: '0420', billing_zip: '94402' };
const MC = { card_number: '5454545454545454', exp_date: '1230', billing_zip: '94402' };
const AMEX = { card_number: '378282246310005', exp_date: '0528', billing_zip: '10001' };
const ACH = { tr_number: '011111111', dda_number: '3456776866', billing_first_name: 'John', billing_last_name: 'Doe', type_id: 'K' };

const cards = (body: { data: { billing_cards: Entry[] } }): Entry[] => body.data.billing_cards;
const shipping = (body: { data: { shipping_addresses: Entry[] } }): Entry[] => body.data.shipping_addresses;
const primaries = (entries: Entry[]): boolean[] => entries.map((entry) => entry.primary as boolean);

describeEachDatabase('maast behaviours', (h) => {
  let client: MaastClient;
  let n = 0;
  beforeAll(async () => {
    client = await maastTenant(h());
  });
  /** A fresh customer id per test. */
  const nextId = (): string => `CUST${++n}`;
  const create = async (extra: Record<string, unknown> = {}) => {
    const id = nextId();
    const res = await client.post(VAULT, { customer_id: id, customer_firm_name: 'Firm', ...extra }).expect(200);
    spec.assertValid('CustomerResponse', res.body);
    return { id, body: res.body };
  };
  const put = async (path: string, body: unknown, status = 200) => {
    const res = await client.put(path, body).expect(status);
    if (status === 200) spec.assertValid('CustomerResponse', res.body);
    return res.body;
  };

  describe('masks, card types and output rules', () => {
    it('masks 15- and 13-digit cards and ACH accounts, maps brands to codes, omits empty fields', async () => {
      const { body } = await create({
        billing_cards: [AMEX, { card_number: '4222222222222', exp_date: '0130', billing_zip: '1' }, ACH, { card_number: '30569309025904', exp_date: '0130', billing_zip: '1' }, { card_number: '3530111333300000', exp_date: '0130', billing_zip: '1' }],
      });
      expect(cards(body).map((card) => [card.card_number, card.card_type])).toEqual([
        ['378282xxxxx0005', 'AM'],
        ['422222xxx2222', 'VS'],
        ['xxxxxx6866', 'AP'],
        ['305693xxxx5904', 'DS'],
        ['353011xxxxxx0000', 'JC'],
      ]);
      expect(cards(body)[2]).toEqual({ card_id: cards(body)[2].card_id, card_number: 'xxxxxx6866', card_type: 'AP', type_id: 'K', tr_number: '011111111', billing_first_name: 'John', billing_last_name: 'Doe', primary: false });
      expect(body.data.primary_card_number).toBe('378282xxxxx0005');
      expect(body.data).toEqual({ customer_id: body.data.customer_id, rec_id: body.data.rec_id, node_id: 210000000289, customer_firm_name: 'Firm', primary_card_number: '378282xxxxx0005', shipping_addresses: [], billing_cards: body.data.billing_cards });
    });
  });

  describe('primary rules (§8.1)', () => {
    it('the first element of each array is primary when none is marked; the first marked wins', async () => {
      const none = await create({ billing_cards: [VISA, MC], shipping_addresses: [{ shipping_first_name: 'A', shipping_last_name: 'B' }, { shipping_first_name: 'C', shipping_last_name: 'D' }] });
      expect(primaries(cards(none.body))).toEqual([true, false]);
      expect(primaries(shipping(none.body))).toEqual([true, false]);
      const marked = await create({
        billing_cards: [VISA, { ...MC, primary: true }, { ...AMEX, primary: true }],
        shipping_addresses: [{ shipping_first_name: 'A', shipping_last_name: 'B' }, { shipping_first_name: 'C', shipping_last_name: 'D', primary: 'true' }],
      });
      expect(primaries(cards(marked.body))).toEqual([false, true, false]);
      expect(marked.body.data.primary_card_number).toBe('545454xxxxxx5454');
      expect(primaries(shipping(marked.body))).toEqual([false, true]);
    });

    it('the first entry added is primary; primary:true moves it; primary:false never demotes; deleting the primary promotes the earliest', async () => {
      const { id } = await create();
      const first = await client.post(`${VAULT}/${id}/billing`, { ...VISA, primary: false }).expect(200);
      expect(primaries(cards(first.body))).toEqual([true]);
      const second = await client.post(`${VAULT}/${id}/billing`, MC).expect(200);
      expect(primaries(cards(second.body))).toEqual([true, false]);
      const third = await client.post(`${VAULT}/${id}/billing`, { ...AMEX, primary: true }).expect(200);
      expect(primaries(cards(third.body))).toEqual([false, false, true]);
      const [visa, mc, amex] = cards(third.body).map((card) => card.card_id as string);
      expect(primaries(cards(await put(`${VAULT}/${id}/billing`, { card_id: amex, primary: false })))).toEqual([false, false, true]);
      expect(primaries(cards(await put(`${VAULT}/${id}/billing`, { card_id: mc, primary: true })))).toEqual([false, true, false]);
      const deleted = await put(`${VAULT}/${id}/billing/delete`, { card_id: mc });
      expect(cards(deleted).map((card) => card.card_id)).toEqual([visa, amex]);
      expect(primaries(cards(deleted))).toEqual([true, false]);
      expect(deleted.data.primary_card_number).toBe('411111xxxxxx1111');

      const a = await client.post(`${VAULT}/${id}/shipping`, { shipping_first_name: 'A', shipping_last_name: 'B', primary: false }).expect(200);
      expect(primaries(shipping(a.body))).toEqual([true]);
      const b = await client.post(`${VAULT}/${id}/shipping`, { shipping_first_name: 'C', shipping_last_name: 'D', primary: true }).expect(200);
      expect(primaries(shipping(b.body))).toEqual([false, true]);
      const gone = await client.del(`${VAULT}/${id}/shipping/${shipping(b.body)[1].shipping_id}`).expect(200);
      expect(primaries(shipping(gone.body))).toEqual([true]);
    });
  });

  describe('update-customer arrays (§4.4)', () => {
    it('keeps entries named by card_id with the masked number, merges them, deletes the rest, appends new ones', async () => {
      const { id, body } = await create({ billing_cards: [VISA, { ...MC, billing_first_name: 'Max', billing_city: 'Austin' }, ACH] });
      const [visa, mc, ach] = cards(body);
      const updated = await put(`${VAULT}/${id}`, {
        billing_cards: [
          { card_id: mc.card_id, card_number: '545454xxxxxx5454', billing_city: '', exp_date: '0131' },
          { card_id: ach.card_id, card_number: 'xxxxxx6866', tr_number: '011111111', billing_state: 'TX' },
          { ...AMEX, card_id: 'ABCDEFabcdef0123456789ABCDEFabcd' },
        ],
      });
      expect(cards(updated)).toEqual([
        // The previous primary (Visa) is gone and none is marked: the first element becomes primary.
        { card_id: mc.card_id, card_number: '545454xxxxxx5454', card_type: 'MC', exp_date: '0131', billing_first_name: 'Max', billing_zip: '94402', primary: true },
        { ...ach, billing_state: 'TX', primary: false },
        { card_id: 'ABCDEFabcdef0123456789ABCDEFabcd', card_number: '378282xxxxx0005', card_type: 'AM', exp_date: '0528', billing_zip: '10001', primary: false },
      ]);
      // The Visa card is gone for good.
      expect(visa.primary).toBe(true);
      const refused = await client.put(`${VAULT}/${id}/billing/primary`, { card_id: visa.card_id }).expect(400);
      expect(refused.body).toEqual(failed({ card_id: 'card_id not found' }));
    });

    it('matches a full PAN sent without card_id to the stored card, keeping the previous primary', async () => {
      const { id, body } = await create({ billing_cards: [VISA, { ...MC, primary: true }] });
      const updated = await put(`${VAULT}/${id}`, { billing_cards: [{ ...VISA, billing_zip: '11111' }, { card_number: '5454545454545454' }] });
      expect(cards(updated).map((card) => [card.card_id, card.billing_zip, card.primary])).toEqual([
        [cards(body)[0].card_id, '11111', false],
        [cards(body)[1].card_id, '94402', true],
      ]);
    });

    it('an empty array removes every entry; an absent key leaves them', async () => {
      const { id } = await create({ billing_cards: [VISA], shipping_addresses: [{ shipping_first_name: 'A', shipping_last_name: 'B' }] });
      const kept = await put(`${VAULT}/${id}`, { comments: 'hello' });
      expect(cards(kept)).toHaveLength(1);
      expect(shipping(kept)).toHaveLength(1);
      const emptied = await put(`${VAULT}/${id}`, { billing_cards: [], shipping_addresses: [] });
      expect(emptied.data.billing_cards).toEqual([]);
      expect(emptied.data.shipping_addresses).toEqual([]);
      expect(emptied.data).not.toHaveProperty('primary_card_number');
    });

    it('merges addresses named by shipping_id, deletes unnamed ones, adds new ones with new ids', async () => {
      const { id, body } = await create({
        shipping_addresses: [
          { shipping_first_name: 'A', shipping_last_name: 'B', shipping_city: 'Reno' },
          { shipping_first_name: 'C', shipping_last_name: 'D', primary: true },
        ],
      });
      const [a, c] = shipping(body);
      const updated = await put(`${VAULT}/${id}`, {
        shipping_addresses: [{ shipping_id: String(a.shipping_id), shipping_city: '' }, { shipping_first_name: 'E', shipping_last_name: 'F' }],
      });
      expect(shipping(updated)).toEqual([
        { shipping_id: a.shipping_id, shipping_first_name: 'A', shipping_last_name: 'B', primary: true },
        { shipping_id: (shipping(updated)[1].shipping_id as number), shipping_first_name: 'E', shipping_last_name: 'F', primary: false },
      ]);
      expect(shipping(updated)[1].shipping_id).toBeGreaterThan(c.shipping_id as number);
    });

    it('refuses mismatched payment data, unknown ids, duplicates and repeated shipping ids, writing nothing', async () => {
      const { id, body } = await create({ billing_cards: [VISA, ACH], shipping_addresses: [{ shipping_first_name: 'A', shipping_last_name: 'B' }] });
      const [visa, ach] = cards(body);
      const [address] = shipping(body);
      const res = await client
        .put(`${VAULT}/${id}`, {
          customer_email: 'changed@example.com',
          billing_cards: [
            { card_id: visa.card_id, card_number: '545454xxxxxx5454' },
            { card_id: ach.card_id, tr_number: '022222222', billing_last_name: '' },
            { card_id: '0123456789abcdef0123456789abcdef' },
          ],
          shipping_addresses: [{ shipping_id: address.shipping_id }, { shipping_id: address.shipping_id }],
        })
        .expect(400);
      expect(res.body).toEqual(
        failed({
          'billing_cards[0].card_number': 'card_number does not match card_id',
          'billing_cards[1].tr_number': 'tr_number does not match card_id',
          'billing_cards[1].billing_last_name': 'billing_last_name is required for ACH accounts',
          'shipping_addresses[1].shipping_id': 'shipping_id is listed more than once',
        }),
      );
      const state = await client
        .put(`${VAULT}/${id}`, { billing_cards: [{ card_id: '0123456789abcdef0123456789abcdef' }, VISA, { ...VISA }], shipping_addresses: [{ shipping_id: 999999 }] })
        .expect(400);
      expect(state.body).toEqual(
        failed({
          'billing_cards[0].card_id': 'card_id not found',
          'billing_cards[2].card_number': 'Duplicate card is not permitted for this customer',
          'shipping_addresses[0].shipping_id': 'shipping_id not found',
        }),
      );
      const after = await client.get(`${VAULT}/${id}`).expect(200);
      expect(after.body).toEqual(body);
    });

    it('ignores customer_id, developer_id and read-only fields in the body', async () => {
      const { id, body } = await create({ developer_id: 'Dev1' });
      const updated = await put(`${VAULT}/${id}`, { customer_id: 'OTHER', developer_id: 'Dev2', rec_id: 1, node_id: 2, primary_card_number: 'x', customer_phone: 5551234 });
      expect(updated.data).toEqual({ ...body.data, customer_phone: '5551234' });
    });
  });

  describe('payment-method updates (§4.8)', () => {
    it('merges a partial update, clears with "", refuses clearing a card zip, and stamps verified_date on verify', async () => {
      h().setNow(Date.UTC(2026, 0, 2, 3, 4, 5));
      try {
        const { id, body } = await create({ billing_cards: [{ ...VISA, billing_city: 'Reno', billing_email: 'one@example.com' }] });
        const [card] = cards(body);
        expect(card.billing_email).toEqual(['one@example.com']);
        const refused = await client.put(`${VAULT}/${id}/billing`, { card_id: card.card_id, billing_zip: '' }).expect(400);
        expect(refused.body).toEqual(failed({ billing_zip: 'billing_zip is required' }));
        const updated = await put(`${VAULT}/${id}/billing`, { card_id: card.card_id, billing_city: '', exp_date: '0931', verify: true, card_number: '5454545454545454' });
        expect(cards(updated)[0]).toEqual({
          card_id: card.card_id,
          card_number: '411111xxxxxx1111',
          card_type: 'VS',
          exp_date: '0931',
          billing_email: ['one@example.com'],
          billing_zip: '94402',
          primary: true,
          verified_date: '20260102030405',
        });
      } finally {
        h().setNow(null);
      }
    });
  });

  describe('ids and coercions (§5, §7.1)', () => {
    it('keeps a supplied card_id unless the tenant already uses it', async () => {
      const supplied = 'Aa0123456789abcdef0123456789abcd';
      const first = await create({ billing_cards: [{ ...VISA, card_id: supplied }] });
      expect(cards(first.body)[0].card_id).toBe(supplied);
      const second = await create({ billing_cards: [{ ...VISA, card_id: supplied }] });
      expect(cards(second.body)[0].card_id).toMatch(/^[0-9a-f]{32}$/);
    });

    it('accepts numbers for free text, "true"/"false" for booleans, a single billing_email, null as absent, and ignores unknown fields', async () => {
      const { body } = await create({
        customer_phone: 4155550100,
        customer_email: null,
        color: 'blue',
        auto_generate_customer_id: 'FALSE',
        shipping_addresses: [{ shipping_first_name: 'A', shipping_last_name: 'B', shipping_zip: 94402, primary: 'False', shipping_country: null }],
        billing_cards: [{ ...VISA, billing_zip: 94402, billing_email: 'solo@example.com', verify: 'false', card_type: 'MC', verified_date: '20000101000000' }],
      });
      expect(body.data.customer_phone).toBe('4155550100');
      expect(body.data).not.toHaveProperty('customer_email');
      expect(shipping(body)[0].shipping_zip).toBe('94402');
      expect(cards(body)[0]).toEqual({ card_id: cards(body)[0].card_id, card_number: '411111xxxxxx1111', card_type: 'VS', exp_date: '0420', billing_email: ['solo@example.com'], billing_zip: '94402', primary: true });
    });

    it('counts lengths in code points and stores values untrimmed', async () => {
      const emoji = '😀'.repeat(32);
      const { body } = await create({ customer_first_name: emoji, customer_last_name: ' Spaced ' });
      expect(body.data.customer_first_name).toBe(emoji);
      expect(body.data.customer_last_name).toBe(' Spaced ');
      const res = await client.post(VAULT, { customer_id: nextId(), customer_firm_name: 'F', customer_first_name: emoji + 'x' }).expect(400);
      expect(res.body).toEqual(failed({ customer_first_name: 'customer_first_name must be at most 32 characters' }));
    });

    it('refuses numbers where digits could be lost (card number, zip+4, country code)', async () => {
      const res = await client
        .post(VAULT, { customer_id: nextId(), customer_firm_name: 'F', billing_cards: [{ ...VISA, billing_zip4: 1234, billing_country_code: 840 }] })
        .expect(400);
      expect(res.body).toEqual(failed({ 'billing_cards[0].billing_zip4': 'billing_zip4 must be a string', 'billing_cards[0].billing_country_code': 'billing_country_code must be a string' }));
    });

    it('a deleted customer_id can be used again; shipping ids are never reused', async () => {
      const { id, body } = await create({ shipping_addresses: [{ shipping_first_name: 'A', shipping_last_name: 'B' }] });
      await client.del(`${VAULT}/${id}`).expect(200);
      const again = await client.post(VAULT, { customer_id: id, customer_firm_name: 'Again', shipping_addresses: [{ shipping_first_name: 'A', shipping_last_name: 'B' }] }).expect(200);
      expect(again.body.data.rec_id).not.toBe(body.data.rec_id);
      expect(shipping(again.body)[0].shipping_id).toBeGreaterThan(shipping(body)[0].shipping_id as number);
    });

    it('an explicit customer_id wins over auto_generate_customer_id', async () => {
      const id = nextId();
      const res = await client.post(VAULT, { customer_id: id, auto_generate_customer_id: true, customer_firm_name: 'F' }).expect(200);
      expect(res.body.data.customer_id).toBe(id);
    });
  });

  describe('atomicity and concurrency (§8.7)', () => {
    it('serialises concurrent adds: the same card twice on one customer, the same customer_id twice', async () => {
      const { id } = await create();
      // A later clock makes every request reload the tenant's keys inside its transaction (the
      // situation after 5 s without traffic); the lock on the customer must still serialise them.
      h().setNow(Date.now() + 60_000);
      const results = await Promise.all([0, 1, 2].map(() => client.post(`${VAULT}/${id}/billing`, MC))).finally(() => h().setNow(null));
      expect(results.map((res) => res.status).sort()).toEqual([200, 400, 400]);
      const after = await client.get(`${VAULT}/${id}/billing`).expect(200);
      expect(after.body.data.billing_cards).toHaveLength(1);

      const customerId = nextId();
      const adds = await Promise.all([0, 1].map(() => client.post(VAULT, { customer_id: customerId, customer_firm_name: 'Race' })));
      expect(adds.map((res) => res.status).sort()).toEqual([200, 400]);
      expect(adds.find((res) => res.status === 400)?.body).toEqual(failed({ customer_id: 'customer_id already exists' }));
    });

    it('parses the body as JSON whatever the Content-Type', async () => {
      const id = nextId();
      const res = await client.post(VAULT).set('Content-Type', 'text/plain').send(JSON.stringify({ customer_id: id, customer_firm_name: 'Plain' })).expect(200);
      expect(res.body.data.customer_id).toBe(id);
    });
  });
});
