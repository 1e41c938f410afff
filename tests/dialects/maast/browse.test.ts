/**
 * GET /platform/vault/customer: paging, ordering and filters (contract §4.2, §8.5).
 */
import { describeEachDatabase } from '../../support/harness';
import { loadSpecValidators } from './openapi';
import { maastTenant, VAULT, type MaastClient } from './support';
import { captureQueries } from '../../support/queryLog';

const spec = loadSpecValidators();
const failed = (data: Record<string, string>) => ({ code: 2, message: 'Request Validation Failed', data });

describeEachDatabase('maast browse customers', (h) => {
  let client: MaastClient;
  const recIds: Record<string, number> = {};
  beforeAll(async () => {
    client = await maastTenant(h());
    const people: Array<Record<string, unknown>> = [
      { customer_id: 'ALICE', customer_first_name: 'Alice', customer_last_name: 'Zed', customer_email: 'alice@a.example', developer_id: 'devB', reference_id: 'r,1' },
      { customer_id: 'bob', customer_first_name: 'Bob', customer_last_name: 'Young', customer_email: 'bob@b.example', developer_id: 'devA' },
      { customer_id: 'CAROL', customer_firm_name: 'Carol Corp', customer_email: 'carol@a.example' },
      { customer_id: 'DAVE', customer_first_name: 'Dave', customer_last_name: 'Young', comments: 'VIP' },
      { customer_id: 'ERIN', customer_firm_name: 'erin llc', developer_id: 'devA' },
    ];
    for (const person of people) {
      const res = await client.post(VAULT, person).expect(200);
      recIds[person.customer_id as string] = res.body.data.rec_id;
    }
  });

  const ids = async (query: string): Promise<{ ids: string[]; totalRecords: number; totalPages: number }> => {
    const res = await client.get(`${VAULT}${query}`).expect(200);
    spec.assertValid('CustomerListResponse', res.body);
    return { ids: res.body.data.map((c: { customer_id: string }) => c.customer_id), totalRecords: res.body.totalRecords, totalPages: res.body.totalPages };
  };

  it('defaults to 10 per page, customer_id descending (code-point order: lower case after upper case)', async () => {
    expect(await ids('')).toEqual({ ids: ['bob', 'ERIN', 'DAVE', 'CAROL', 'ALICE'], totalRecords: 5, totalPages: 1 });
  });

  it('pages with count and a zero-based page; a page past the end is empty with code 0', async () => {
    expect(await ids('?count=2&page=0&order_by=asc')).toEqual({ ids: ['ALICE', 'CAROL'], totalRecords: 5, totalPages: 3 });
    expect(await ids('?count=2&page=2&order_by=ASC')).toEqual({ ids: ['bob'], totalRecords: 5, totalPages: 3 });
    expect(await ids('?count=2&page=9')).toEqual({ ids: [], totalRecords: 5, totalPages: 3 });
  });

  it('orders on a field with customer_id as tie-breaker in the same direction; unset sorts as ""', async () => {
    expect((await ids('?order_on=customer_last_name&order_by=asc')).ids).toEqual(['CAROL', 'ERIN', 'DAVE', 'bob', 'ALICE']);
    expect((await ids('?order_on=rec_id&order_by=desc')).ids).toEqual(['ERIN', 'DAVE', 'CAROL', 'bob', 'ALICE']);
    expect((await ids('?order_on=developer_id&order_by=asc')).ids).toEqual(['CAROL', 'DAVE', 'ERIN', 'bob', 'ALICE']);
    expect((await ids('?order_on=node_id&order_by=asc')).ids).toEqual(['ALICE', 'CAROL', 'DAVE', 'ERIN', 'bob']);
  });

  it('filters with each operator, ANDs several filters, and keeps commas in values', async () => {
    expect((await ids('?filter=customer_last_name,IS,Young')).ids).toEqual(['bob', 'DAVE']);
    expect((await ids('?filter=customer_last_name,is_not,Young&order_by=asc')).ids).toEqual(['ALICE', 'CAROL', 'ERIN']);
    expect((await ids('?filter=customer_email,CONTAINS,%40a.example&order_by=asc')).ids).toEqual(['ALICE', 'CAROL']);
    expect((await ids('?filter=customer_id,GREATER_THAN,CAROL&order_by=asc')).ids).toEqual(['DAVE', 'ERIN', 'bob']);
    expect((await ids('?filter=customer_id,LESS_THAN,CAROL')).ids).toEqual(['ALICE']);
    expect((await ids('?filter=customer_id,BETWEEN,B%7CD&order_by=asc')).ids).toEqual(['CAROL']);
    expect((await ids('?filter=customer_id,IS_IN,ALICE%7Cbob%7CNOBODY&order_by=asc')).ids).toEqual(['ALICE', 'bob']);
    expect((await ids('?filter=customer_last_name,IS,Young&filter=customer_first_name,IS,Dave')).ids).toEqual(['DAVE']);
    expect((await ids('?filter=reference_id,IS,r,1')).ids).toEqual(['ALICE']);
    expect((await ids('?filter=comments,IS,&order_by=asc')).ids).toEqual(['ALICE', 'CAROL', 'ERIN', 'bob']);
    expect((await ids('?filter=customer_firm_name,CONTAINS,LLC')).ids).toEqual([]);
  });

  it('compares rec_id numerically, decides node_id for the whole tenant, and filters developer_id', async () => {
    expect((await ids(`?filter=rec_id,BETWEEN,${recIds.bob}%7C${recIds.DAVE}&order_by=asc`)).ids).toEqual(['CAROL', 'DAVE', 'bob']);
    expect((await ids(`?filter=rec_id,GREATER_THAN,${recIds.DAVE}`)).ids).toEqual(['ERIN']);
    expect((await ids(`?filter=node_id,IS,${client.merchantId}`)).totalRecords).toBe(5);
    expect(await ids('?filter=node_id,IS,1')).toEqual({ ids: [], totalRecords: 0, totalPages: 0 });
    expect(await ids('?filter=developer_id,IS,devA&count=1')).toEqual({ ids: ['bob'], totalRecords: 2, totalPages: 2 });
    expect((await ids('?filter=developer_id,IS,devA&count=1&page=1')).ids).toEqual(['ERIN']);
  });

  it('answers a developer_id filter and ordering from its (tenant, developer id) index (query plan)', async () => {
    const dataSource = h().context.store.dataSource;
    const captured = await captureQueries(dataSource, () => ids('?filter=developer_id,IS,devA&order_on=developer_id'));
    const listing = captured.filter((q) => /FROM [`"]customer[`"] [`"]c[`"]/.test(q.sql) && /integrator_id/.test(q.sql));
    expect(listing.length).toBe(2); // the count and the page
    for (const query of listing) {
      if (h().db === 'sqlite') {
        const plan: Array<{ detail: string }> = await dataSource.query(`EXPLAIN QUERY PLAN ${query.sql}`, query.parameters);
        expect(plan.map((row) => row.detail).join('\n')).toMatch(/SEARCH c USING INDEX ix_customer_integrator_id \(tenant_id=\? AND integrator_id=\?\)/);
      } else {
        const plan: Array<Record<string, unknown>> = await dataSource.query(`EXPLAIN ${query.sql}`, query.parameters);
        expect(plan.find((row) => row.table === 'c')).toMatchObject({ key: 'ix_customer_integrator_id' });
      }
    }
  });

  it('uses the last value of a repeated scalar parameter', async () => {
    expect((await ids('?count=1&count=2')).ids).toHaveLength(2);
  });

  it.each([
    ['?count=0', { count: 'count must be an integer between 1 and 100' }],
    ['?count=101', { count: 'count must be an integer between 1 and 100' }],
    ['?count=ten', { count: 'count must be an integer between 1 and 100' }],
    ['?page=-1', { page: 'page must be an integer of 0 or more' }],
    ['?order_on=shipping_city', { order_on: 'order_on is not a sortable field' }],
    ['?order_by=up', { order_by: 'order_by must be asc or desc' }],
    ['?filter=customer_last_name,LIKE,Doe', { filter: 'Unknown filter operator: LIKE' }],
    ['?filter=customer_last_name', { filter: 'Invalid filter: customer_last_name' }],
    ['?filter=card_number,IS,4', { filter: 'Unknown filter field: card_number' }],
    ['?filter=customer_id,BETWEEN,A', { filter: 'Invalid filter value for BETWEEN' }],
    ['?filter=rec_id,IS,seven', { filter: 'Invalid filter value for IS' }],
    ['?count=0&page=x&merchant_id=y', { count: 'count must be an integer between 1 and 100', page: 'page must be an integer of 0 or more', merchant_id: 'merchant_id must be an integer' }],
  ])('answers 400 code 2 for %s', async (query, data) => {
    const res = await client.get(`${VAULT}${query}`).expect(400);
    expect(res.body).toEqual(failed(data));
  });

  it('never shows another tenant’s customers', async () => {
    const other = await maastTenant(h(), '55');
    await other.post(VAULT, { customer_id: 'OTHER', customer_firm_name: 'Other' }).expect(200);
    expect((await ids('')).totalRecords).toBe(5);
    const res = await other.get(VAULT).expect(200);
    expect(res.body.data.map((c: { customer_id: string }) => c.customer_id)).toEqual(['OTHER']);
    expect(res.body.data[0].node_id).toBe(55);
  });
});
