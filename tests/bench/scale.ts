/**
 * `npm run bench -- --scale`: bulk-loads customers (each with a billing address and a card) into one
 * tenant, and measures the look-ups of issue 8 §4 at --scale-base customers and again at
 * --scale-size customers, on the same database, against the same polyvault build.
 *
 * The bulk path skips HTTP and the ORM's per-row saves, not the core: ids come from core/ids, card
 * numbers are sealed with the tenant's data key by core/crypto/keyring (AES-256-GCM, fresh IV per
 * card), fingerprints and FluidPay address hashes are the keyring's HMACs, brands come from
 * core/cards, and rows are the core's entities written through TypeORM's column metadata (so
 * transformers and column names are the core's own). Rows go in with multi-row INSERTs, one
 * transaction per batch of 1,000 customers, each batch with one audit event.
 */
import { Presets, SingleBar } from 'cli-progress';
import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { cardBrand } from '../../core/cards';
import { Keyring, type TenantKeys } from '../../core/crypto/keyring';
import { masterKeyFromBase64 } from '../../core/crypto/masterKey';
import { newObjectId, newUuid, uuidHex } from '../../core/ids';
import { adjustLiveCustomers } from '../../core/persistence/customerCounts';
import { openStore } from '../../core/persistence/dataSource';
import { AddressEntity, AuditEventEntity, CustomerEntity, PaymentMethodEntity, TenantEntity } from '../../core/persistence/entities';
import { toTenant } from '../../core/tenancy/tenants';
import { TypeormVaultSession } from '../../core/vault/session';
import type { BenchOptions } from './options';
import { checkScenario, measure, table, type Measurement } from './measure';
import { SCALE_SCENARIOS, type Keys, type Targets } from './scenarios';
import { createMysqlDatabases, createTenant, newMasterKey, polyvaultEnv, startPolyvault, type PolyvaultSetup } from './servers';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../config';
import { createApp } from '../../gateway/app';
import { createContext } from '../../gateway/context';
import { captureQueries } from '../support/queryLog';

const log = (line: string) => process.stderr.write(line + '\n');
const BATCH = 1000;
/** Customers are created 1 ms apart from this instant, in index order (distinct, increasing created_at). */
const T0 = Date.UTC(2026, 0, 1);
const PANS = ['4111111111111111', '5454545454545454', '4012888888881881', '378282246310005', '6011111111111117', '5555555555554444'];

export const scaleCustomer = {
  vaultId: (i: number) => `S${i}`,
  email: (i: number) => `c${i}@scale.example`,
  /** Ten customers share each family name, whatever the size: a filter on it matches 10 rows at any scale. */
  familyName: (i: number) => `Family${Math.floor(i / 10)}`,
};

interface Loader {
  dataSource: DataSource;
  keyring: Keyring;
  tenantId: string;
  keys: TenantKeys;
  session: TypeormVaultSession;
  next: { customer: number; address: number; paymentMethod: number };
}

async function openLoader(setup: PolyvaultSetup): Promise<Loader> {
  const dataSource = await openStore(setup.databaseUrl);
  if (dataSource.options.type === 'better-sqlite3') {
    // The loader's own connection: a bigger page cache keeps the index B-trees in memory while they grow.
    await dataSource.query('PRAGMA cache_size = -262144');
  }
  const keyring = new Keyring([masterKeyFromBase64(setup.masterKey)]);
  const tenantRow = await dataSource.manager.findOneOrFail(TenantEntity, { where: { name: 'bench' } });
  const tenant = toTenant(tenantRow);
  const keys = await keyring.keysFor(dataSource.manager, tenant.id);
  const session = new TypeormVaultSession({ manager: dataSource.manager, tenant, keyring, keys, now: Date.now, rowLocks: false, dialectKind: 'sqlite', touched: new Set() });
  const max = async (table: string) => Number((await dataSource.query(`SELECT MAX(seq) AS m FROM ${table}`))[0].m ?? 0);
  return {
    dataSource,
    keyring,
    tenantId: tenant.id,
    keys,
    session,
    next: { customer: (await max('customer')) + 1, address: (await max('address')) + 1, paymentMethod: (await max('payment_method')) + 1 },
  };
}

/** INSERT … VALUES (…), (…) of whole entities, through the entity's column metadata and the driver's value preparation. */
async function insertRows<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, rows: T[]): Promise<void> {
  const metadata = manager.connection.getMetadata(target);
  const driver = manager.connection.driver;
  const columns = metadata.columns;
  const perStatement = Math.max(1, Math.floor(30_000 / columns.length));
  const names = columns.map((c) => driver.escape(c.databaseName)).join(', ');
  const tuple = '(' + columns.map(() => '?').join(', ') + ')';
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const params: unknown[] = [];
    for (const row of chunk) for (const column of columns) params.push(driver.preparePersistentValue(row[column.propertyName], column) ?? null);
    await manager.query(`INSERT INTO ${driver.escape(metadata.tableName)} (${names}) VALUES ${chunk.map(() => tuple).join(', ')}`, params);
  }
}

async function loadBatch(loader: Loader, from: number, to: number): Promise<void> {
  const { keyring, keys, tenantId, session } = loader;
  const customers: CustomerEntity[] = [];
  const addresses: AddressEntity[] = [];
  const methods: PaymentMethodEntity[] = [];
  const now = Date.now();
  for (let i = from; i < to; i += 1) {
    const created = T0 + i;
    const customerSeq = loader.next.customer++;
    const addressSeq = loader.next.address++;
    const methodSeq = loader.next.paymentMethod++;
    const email = scaleCustomer.email(i);
    const familyName = scaleCustomer.familyName(i);
    const address = Object.assign(new AddressEntity(), {
      seq: addressSeq,
      id: newUuid(),
      objectId: newObjectId(created),
      tenantId,
      customerSeq,
      label: null,
      givenName: `Given${i}`,
      familyName,
      company: null,
      line1: `${i} Main St`,
      line2: null,
      city: 'Chicago',
      state: 'IL',
      postalCode: '60601',
      postalCodeExt: null,
      country: 'US',
      countryName: null,
      countryCode: null,
      email,
      emails: [email],
      phone: '5555550100',
      fax: null,
      isDefault: true,
      hash: '',
      createdAt: created,
      updatedAt: created,
      deletedAt: null,
    });
    address.hash = session.addressHash(address);
    addresses.push(address);
    const pan = PANS[i % PANS.length];
    const id = newUuid();
    const { secret, keyVersion } = keyring.encryptSecret(keys, pan);
    methods.push(
      Object.assign(new PaymentMethodEntity(), {
        seq: methodSeq,
        id,
        objectId: newObjectId(created),
        tenantId,
        vaultRef: uuidHex(id),
        customerSeq,
        kind: 'card',
        brand: cardBrand(pan),
        bin: pan.slice(0, 6),
        last4: pan.slice(-4),
        numberLength: pan.length,
        expMonth: 12,
        expYear: 2030,
        secret,
        keyVersion,
        fingerprint: keyring.fingerprint(keys, `card:${pan}`),
        routingNumber: null,
        accountType: null,
        holderType: null,
        secCode: null,
        bankName: null,
        billingGivenName: null,
        billingFamilyName: null,
        billingCompany: null,
        billingEmails: [],
        billingPhone: null,
        billingLine1: null,
        billingLine2: null,
        billingCity: null,
        billingState: null,
        billingPostalCode: null,
        billingPostalCodeExt: null,
        billingCountry: null,
        billingCountryName: null,
        billingCountryCode: null,
        label: null,
        flags: [],
        verifiedAt: null,
        cvcProvided: false,
        source: 'direct',
        attachedAt: created,
        singleUseToken: null,
        tokenExpiresAt: null,
        extensions: {},
        createdAt: created,
        updatedAt: created,
        deletedAt: null,
        purgedAt: null,
      }),
    );
    customers.push(
      Object.assign(new CustomerEntity(), {
        seq: customerSeq,
        id: newUuid(),
        objectId: newObjectId(created),
        tenantId,
        vaultId: scaleCustomer.vaultId(i),
        liveVaultId: scaleCustomer.vaultId(i),
        givenName: `Given${i}`,
        familyName,
        company: null,
        email,
        phone: '5555550100',
        description: null,
        notes: null,
        reference: null,
        integratorId: null,
        flags: [],
        customFields: null,
        extensions: {},
        defaultBillingAddressSeq: addressSeq,
        defaultShippingAddressSeq: addressSeq,
        defaultPaymentMethodSeq: methodSeq,
        createdAt: created,
        updatedAt: created,
        deletedAt: null,
        purgedAt: null,
      }),
    );
  }
  await loader.dataSource.transaction(async (manager) => {
    await insertRows(manager, CustomerEntity, customers);
    await insertRows(manager, AddressEntity, addresses);
    await insertRows(manager, PaymentMethodEntity, methods);
    await adjustLiveCustomers(manager, tenantId, customers.length);
    await manager.insert(AuditEventEntity, {
      id: newUuid(),
      tenantId,
      actorKeyId: null,
      dialect: 'cli',
      operation: 'bench.bulkLoad',
      targetIds: [`customers ${from}..${to - 1}`],
      outcome: 'success',
      requestId: null,
      createdAt: now,
    });
  });
}

/** Loads customers [from, to) with a progress bar; returns the seconds it took. */
async function load(loader: Loader, from: number, to: number): Promise<number> {
  const started = Date.now();
  const bar = new SingleBar(
    { format: 'loading [{bar}] {percentage}% | {value}/{total} customers | {rate}/s | ETA {eta_formatted}', stream: process.stderr, noTTYOutput: true, notTTYSchedule: 10_000 },
    Presets.shades_classic,
  );
  bar.start(to, from, { rate: 0 });
  for (let at = from; at < to; at += BATCH) {
    const end = Math.min(to, at + BATCH);
    await loadBatch(loader, at, end);
    // better-sqlite3 is synchronous: without a turn of the event loop the bar's timer never fires.
    await new Promise((resolve) => setImmediate(resolve));
    const seconds = (Date.now() - started) / 1000;
    bar.update(end, { rate: Math.round((end - from) / Math.max(seconds, 0.001)) });
  }
  bar.stop();
  return (Date.now() - started) / 1000;
}

function targetsFor(loaded: number, uuids: string[]): Targets {
  const sample = Array.from({ length: 2000 }, () => Math.floor(Math.random() * loaded));
  return {
    vaultIds: sample.map(scaleCustomer.vaultId),
    emails: sample.map(scaleCustomer.email),
    familyNames: sample.map(scaleCustomer.familyName),
    uuids,
    exactIds: [],
  };
}

async function measureAll(setup: PolyvaultSetup, keys: Keys, loaded: number, options: BenchOptions): Promise<{ results: Map<string, Measurement>; peakRss: number | null }> {
  const polyvault = await startPolyvault(setup);
  try {
    const targets = targetsFor(loaded, []);
    const results = new Map<string, Measurement>();
    for (const scenario of SCALE_SCENARIOS) {
      const requests = scenario.requests(keys, targets);
      await checkScenario(polyvault, requests);
      const m = await measure(polyvault, requests, options);
      results.set(scenario.name, m);
      log(`  ${String(loaded).padStart(8)} customers  ${scenario.name.padEnd(16)} ${m.rps.toFixed(0).padStart(6)} req/s  mean ${m.mean.toFixed(1)} ms  p50 ${m.p50} ms  p99 ${m.p99} ms  errors ${m.errors}`);
    }
    return { results, peakRss: polyvault.peakRss() };
  } finally {
    await polyvault.stop();
  }
}

/**
 * Query plans of the look-ups, from the database itself (SQLite EXPLAIN QUERY PLAN / MySQL
 * EXPLAIN), for the very statements polyvault runs: one request of each scale scenario goes
 * through an in-process gateway on the loaded database, with its SQL captured from the query log.
 */
async function explain(setup: PolyvaultSetup, keys: Keys, loaded: number): Promise<string> {
  const context = await createContext(loadConfig({ ...polyvaultEnv(setup, 0), LOG_LEVEL: 'silent' }));
  const server = createApp(context).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const dataSource = context.store.dataSource;
  const sqlite = dataSource.options.type === 'better-sqlite3';
  const lines: string[] = [];
  try {
    const targets = targetsFor(loaded, []);
    for (const scenario of SCALE_SCENARIOS) {
      const [template] = scenario.requests(keys, targets);
      const req = typeof template.setupRequest === 'function' ? template.setupRequest({ ...template }, {}) : template;
      const statements = await captureQueries(dataSource, async () => {
        const res = await fetch(`http://127.0.0.1:${port}${req.path}`, { method: req.method, headers: req.headers as Record<string, string>, body: req.body as string | undefined });
        if (!res.ok) throw new Error(`${scenario.name}: ${req.method} ${req.path} answered ${res.status}`);
        await res.text();
      });
      // The look-up's own reads (not the key and tenant look-up of a first request); a UNION of reads starts with `(SELECT`.
      // Each statement once (the HTTP client may resend an idempotent request on a closing keep-alive socket).
      const seen = new Set<string>();
      const reads = statements.filter((q) => {
        const key = q.sql + JSON.stringify(q.parameters ?? []);
        const fresh = !seen.has(key);
        seen.add(key);
        return fresh && /^\s*\(?\s*SELECT/i.test(q.sql) && /\b(customer|address|payment_method|customer_count)\b/.test(q.sql) && !/\bapi_key\b/.test(q.sql);
      });
      lines.push(`  ${scenario.title ?? scenario.name}:`);
      for (const query of reads) {
        const plan = (await dataSource.query(`${sqlite ? 'EXPLAIN QUERY PLAN' : 'EXPLAIN'} ${query.sql}`, query.parameters)) as Array<Record<string, unknown>>;
        const text = sqlite ? plan.map((r) => String(r.detail)).join('; ') : plan.map((r) => `${r.table}: ${r.type} key=${r.key ?? 'none'} rows=${r.rows} ${r.Extra ?? ''}`.trim()).join('; ');
        lines.push(`    ${query.sql.replace(/\s+/g, ' ').slice(0, 100)}… → ${text}`);
      }
    }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await context.store.close();
  }
  return lines.join('\n');
}

export async function runScale(options: BenchOptions, dataDir: string): Promise<void> {
  let databaseUrl = `sqlite:${dataDir}/polyvault.sqlite`;
  let drop: (() => Promise<void>) | null = null;
  if (options.db === 'mysql') {
    const created = await createMysqlDatabases(options.mysqlUrl, [`pv_scale_${process.pid}`]);
    databaseUrl = created.urls[0];
    drop = created.drop;
  }
  const setup: PolyvaultSetup = { databaseUrl, masterKey: newMasterKey(), dataDir, logLevel: options.logLevel, nodeOptions: options.nodeOptions };
  const loader: { current: Loader | null } = { current: null };
  try {
    const tenant = await createTenant(setup);
    const keys = tenant.keys as unknown as Keys;
    loader.current = await openLoader(setup);
    log(`scale run on ${options.db}: ${options.scaleBase} customers, then ${options.scaleSize}`);
    const baseSeconds = await load(loader.current, 0, options.scaleBase);
    const small = await measureAll(setup, keys, options.scaleBase, options);
    const bigSeconds = await load(loader.current, options.scaleBase, options.scaleSize);
    const plans = await explain(setup, keys, options.scaleSize);
    const big = await measureAll(setup, keys, options.scaleSize, options);
    let analysed: { plans: string; results: Map<string, Measurement>; seconds: number } | null = null;
    if (options.analyze) {
      const started = Date.now();
      await loader.current.dataSource.query(options.db === 'mysql' ? 'ANALYZE TABLE customer, address, payment_method' : 'ANALYZE');
      const seconds = (Date.now() - started) / 1000;
      analysed = { plans: await explain(setup, keys, options.scaleSize), results: (await measureAll(setup, keys, options.scaleSize, options)).results, seconds };
    }
    const rowsOf = (large: Map<string, Measurement>) =>
      SCALE_SCENARIOS.map((scenario) => {
        const a = small.results.get(scenario.name)!;
        const b = large.get(scenario.name)!;
        // A look-up that timed out (autocannon gives up after 10 s) has no latency to compare: it is a miss.
        const failed = b.requests === 0 || b.errors > 0 || a.requests === 0;
        const slower = b.mean / a.mean;
        return [
          scenario.title,
          a.rps.toFixed(0),
          b.rps.toFixed(0),
          a.mean.toFixed(1),
          b.requests === 0 ? '> 10,000 (timed out)' : b.mean.toFixed(1),
          `${a.p99}`,
          b.requests === 0 ? '—' : `${b.p99}`,
          failed ? '—' : slower.toFixed(2) + '×',
          !failed && slower <= 2 ? 'met' : 'MISSED',
          `${a.errors}/${b.errors}`,
        ];
      });
    const headers = ['look-up', `req/s @${options.scaleBase}`, `req/s @${options.scaleSize}`, `mean ms @${options.scaleBase}`, `mean ms @${options.scaleSize}`, `p99 @${options.scaleBase}`, `p99 @${options.scaleSize}`, 'time ratio', '≤ 2×', 'errors'];
    const total = baseSeconds + bigSeconds;
    process.stdout.write(
      [
        '',
        `scale — ${options.db}, ${options.connections} connections, ${options.duration} s per scenario after ${options.warmup} s warm-up, ${new Date().toISOString()}`,
        `bulk load: ${options.scaleSize} customers (each with 1 address and 1 card) in ${total.toFixed(0)} s = ${(options.scaleSize / total).toFixed(0)} customers/s` +
          ` (first ${options.scaleBase} in ${baseSeconds.toFixed(1)} s, the rest in ${bigSeconds.toFixed(0)} s)`,
        '',
        table(headers, rowsOf(big.results)),
        '',
        `polyvault peak RSS: ${small.peakRss?.toFixed(0) ?? '?'} MB at ${options.scaleBase}, ${big.peakRss?.toFixed(0) ?? '?'} MB at ${options.scaleSize}`,
        `query plans at ${options.scaleSize} (as polyvault leaves the database: no ANALYZE):`,
        plans,
        ...(analysed
          ? ['', `after ANALYZE (${analysed.seconds.toFixed(0)} s), same ${options.scaleSize} customers:`, '', table(headers, rowsOf(analysed.results)), '', 'query plans after ANALYZE:', analysed.plans]
          : []),
        '',
      ].join('\n'),
    );
  } finally {
    if (loader.current) await loader.current.dataSource.destroy();
    if (drop && !options.keep) await drop();
  }
}
