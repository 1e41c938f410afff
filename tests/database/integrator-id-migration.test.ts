/**
 * Migration IntegratorId on real databases: a Maast developer_id kept in the customer's extensions
 * (where earlier versions stored it) moves into the indexed column, and back on revert, leaving
 * every other extension as it was.
 */
import { describeEachDatabase } from '../support/harness';
import { maastTenant, VAULT } from '../dialects/maast/support';

describeEachDatabase('migration IntegratorId', (h) => {
  it('moves developer_id between the extensions and the column, both ways', async () => {
    const client = await maastTenant(h());
    await client.post(VAULT, { customer_id: 'DEV1', customer_first_name: 'Dev', customer_last_name: 'Eloper', developer_id: 'CompanyV2.0' }).expect(200);
    await client.post(VAULT, { customer_id: 'PLAIN', customer_first_name: 'Plain', customer_last_name: 'Person' }).expect(200);
    const ds = h().context.store.dataSource;
    // Another dialect's extension on the same customer stays where it is.
    await ds.query(`UPDATE customer SET extensions = '{"stax":{"cc_emails":["a@b.example"]}}' WHERE vault_id = 'DEV1'`);
    const rows = async () =>
      (await ds.query(`SELECT vault_id, extensions FROM customer WHERE vault_id IN ('DEV1', 'PLAIN') ORDER BY vault_id`)) as Array<{ vault_id: string; extensions: string }>;

    // Undo the later migrations too, then IntegratorId itself (it is no longer the last one).
    const undoThrough = async (name: string) => {
      for (;;) {
        const [last] = (await ds.query('SELECT name FROM migrations ORDER BY id DESC LIMIT 1')) as Array<{ name: string }>;
        await ds.undoLastMigration();
        if (last.name === name) return;
      }
    };
    const reverted = await undoThrough('IntegratorId1763900600000').then(rows);
    expect(reverted.map((row) => [row.vault_id, JSON.parse(row.extensions)])).toEqual([
      ['DEV1', { stax: { cc_emails: ['a@b.example'] }, maast: { developer_id: 'CompanyV2.0' } }],
      ['PLAIN', {}],
    ]);

    await ds.runMigrations();
    const migrated = await rows();
    expect(migrated.map((row) => [row.vault_id, JSON.parse(row.extensions)])).toEqual([
      ['DEV1', { stax: { cc_emails: ['a@b.example'] } }],
      ['PLAIN', {}],
    ]);
    const columns = (await ds.query(`SELECT vault_id, integrator_id FROM customer WHERE vault_id IN ('DEV1', 'PLAIN') ORDER BY vault_id`)) as Array<Record<string, unknown>>;
    expect(columns).toEqual([
      { vault_id: 'DEV1', integrator_id: 'CompanyV2.0' },
      { vault_id: 'PLAIN', integrator_id: null },
    ]);
    const read = await client.get(`${VAULT}?filter=developer_id,IS,CompanyV2.0`).expect(200);
    expect(read.body.data.map((c: { customer_id: string; developer_id?: string }) => [c.customer_id, c.developer_id])).toEqual([['DEV1', 'CompanyV2.0']]);
  });
});
