/**
 * The reference server of the benchmark: the same storage work polyvault does for the benchmark's
 * requests, with nothing in between. Express 5 and the same driver (better-sqlite3 or mysql2), one
 * transaction inserting a customer and (when the request carries one) a card whose PAN is sealed
 * with AES-256-GCM, and plain indexed selects for reads. No validation, no dialect translation, no
 * ORM, no authentication, no audit log: the best Node can do on this machine, so that polyvault can
 * be measured as a ratio against it in the same run.
 *
 * It answers the same paths the benchmark sends to polyvault:
 *   POST /platform/vault/customer, /api/vault/customer, /exact/customer, /stax/customer  create
 *   GET  /platform/vault/customer/:id                                                    get by merchant id
 *   GET  /stax/customer/:uuid, /exact/customer/:uuid                                      get by uuid
 *   POST /api/vault/customer/search                                                       by e-mail
 *   GET  /exact/customer?$limit&$skip                                                     page + total
 *
 * Run as a child process: `node dist/bench/tests/bench/reference.js` with REFERENCE_DATABASE_URL
 * (`sqlite:<path>` or `mysql://…/<db>`) and PORT.
 */
import express, { type Request, type Response } from 'express';
import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';

const KEY = randomBytes(32);
const TENANT = randomUUID();

function seal(pan: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', KEY, iv);
  cipher.setAAD(Buffer.from(`ref:${TENANT}:1`));
  const body = Buffer.concat([cipher.update(pan, 'utf8'), cipher.final()]);
  return 'k1:' + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

interface NewCustomer {
  vaultId: string;
  givenName: string | null;
  familyName: string | null;
  email: string | null;
  card: { pan: string; exp: string | null } | null;
}

interface CustomerRow {
  seq: number;
  id: string;
  vault_id: string;
  given_name: string | null;
  family_name: string | null;
  email: string | null;
  created_at: number;
}

interface CardRow {
  customer_seq: number;
  id: string;
  bin: string;
  last4: string;
  exp: string | null;
}

/** The storage operations, one implementation per driver. */
interface Storage {
  create(customer: NewCustomer): Promise<{ seq: number; id: string }>;
  byVaultId(vaultId: string): Promise<CustomerRow | undefined>;
  byId(id: string): Promise<CustomerRow | undefined>;
  byEmail(email: string, limit: number): Promise<{ rows: CustomerRow[]; total: number }>;
  page(limit: number, skip: number): Promise<{ rows: CustomerRow[]; total: number }>;
  cards(seqs: number[]): Promise<CardRow[]>;
}

const DDL = (auto: string, text: string) => [
  `CREATE TABLE IF NOT EXISTS ref_customer (seq INTEGER PRIMARY KEY ${auto}, id VARCHAR(36) NOT NULL, tenant_id VARCHAR(36) NOT NULL, vault_id VARCHAR(64) NOT NULL,
     given_name VARCHAR(255) NULL, family_name VARCHAR(255) NULL, email VARCHAR(255) NULL, created_at BIGINT NOT NULL)`,
  `CREATE UNIQUE INDEX ux_ref_customer_id ON ref_customer (id)`,
  `CREATE UNIQUE INDEX ux_ref_customer_vault ON ref_customer (tenant_id, vault_id)`,
  `CREATE INDEX ix_ref_customer_email ON ref_customer (tenant_id, email)`,
  `CREATE INDEX ix_ref_customer_created ON ref_customer (tenant_id, created_at)`,
  `CREATE TABLE IF NOT EXISTS ref_card (seq INTEGER PRIMARY KEY ${auto}, id VARCHAR(36) NOT NULL, tenant_id VARCHAR(36) NOT NULL, customer_seq INTEGER NOT NULL,
     secret ${text} NOT NULL, bin VARCHAR(6) NOT NULL, last4 VARCHAR(4) NOT NULL, exp VARCHAR(8) NULL, created_at BIGINT NOT NULL)`,
  `CREATE INDEX ix_ref_card_customer ON ref_card (customer_seq)`,
];

const COLUMNS = 'seq, id, vault_id, given_name, family_name, email, created_at';

/** The little of better-sqlite3 this server uses (the project ships no typings for it). */
interface SqliteStatement {
  run(...params: unknown[]): { lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
interface SqliteDatabase {
  pragma(statement: string): unknown;
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  transaction<A extends unknown[], R>(work: (...args: A) => R): (...args: A) => R;
}

async function sqliteStorage(path: string): Promise<Storage> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Database = require('better-sqlite3') as new (file: string) => SqliteDatabase;
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  for (const statement of DDL('AUTOINCREMENT', 'TEXT')) db.exec(statement.replace(/^CREATE (UNIQUE )?INDEX /, (m) => m + 'IF NOT EXISTS '));
  const insertCustomer = db.prepare('INSERT INTO ref_customer (id, tenant_id, vault_id, given_name, family_name, email, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertCard = db.prepare('INSERT INTO ref_card (id, tenant_id, customer_seq, secret, bin, last4, exp, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const create = db.transaction((c: NewCustomer) => {
    const id = randomUUID();
    const now = Date.now();
    const seq = Number(insertCustomer.run(id, TENANT, c.vaultId, c.givenName, c.familyName, c.email, now).lastInsertRowid);
    if (c.card) insertCard.run(randomUUID(), TENANT, seq, seal(c.card.pan), c.card.pan.slice(0, 6), c.card.pan.slice(-4), c.card.exp, now);
    return { seq, id };
  });
  const byVaultId = db.prepare(`SELECT ${COLUMNS} FROM ref_customer WHERE tenant_id = ? AND vault_id = ?`);
  const byId = db.prepare(`SELECT ${COLUMNS} FROM ref_customer WHERE id = ? AND tenant_id = ?`);
  const byEmail = db.prepare(`SELECT ${COLUMNS} FROM ref_customer WHERE tenant_id = ? AND email = ? ORDER BY created_at DESC, seq DESC LIMIT ?`);
  const countEmail = db.prepare('SELECT COUNT(*) AS n FROM ref_customer WHERE tenant_id = ? AND email = ?');
  const page = db.prepare(`SELECT ${COLUMNS} FROM ref_customer WHERE tenant_id = ? ORDER BY created_at ASC, seq ASC LIMIT ? OFFSET ?`);
  const count = db.prepare('SELECT COUNT(*) AS n FROM ref_customer WHERE tenant_id = ?');
  return {
    create: async (c) => create(c),
    byVaultId: async (v) => byVaultId.get(TENANT, v) as CustomerRow | undefined,
    byId: async (id) => byId.get(id, TENANT) as CustomerRow | undefined,
    byEmail: async (email, limit) => ({ rows: byEmail.all(TENANT, email, limit) as CustomerRow[], total: (countEmail.get(TENANT, email) as { n: number }).n }),
    page: async (limit, skip) => ({ rows: page.all(TENANT, limit, skip) as CustomerRow[], total: (count.get(TENANT) as { n: number }).n }),
    cards: async (seqs) =>
      seqs.length === 0 ? [] : (db.prepare(`SELECT customer_seq, id, bin, last4, exp FROM ref_card WHERE customer_seq IN (${seqs.map(() => '?').join(',')})`).all(...seqs) as CardRow[]),
  };
}

async function mysqlStorage(url: string): Promise<Storage> {
  const mysql = await import('mysql2/promise');
  const parsed = new URL(url);
  const pool = mysql.createPool({
    host: parsed.hostname,
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: parsed.pathname.slice(1),
    connectionLimit: 10,
    supportBigNumbers: true,
    bigNumberStrings: false,
  });
  for (const statement of DDL('AUTO_INCREMENT', 'TEXT')) {
    try {
      await pool.query(statement);
    } catch (error) {
      if (!/Duplicate key name/.test(String(error))) throw error;
    }
  }
  const rows = async <T>(sql: string, params: unknown[]) => (await pool.execute(sql, params as never[]))[0] as unknown as T[];
  return {
    async create(c) {
      const connection = await pool.getConnection();
      try {
        await connection.beginTransaction();
        const id = randomUUID();
        const now = Date.now();
        const [result] = await connection.execute('INSERT INTO ref_customer (id, tenant_id, vault_id, given_name, family_name, email, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
          id,
          TENANT,
          c.vaultId,
          c.givenName,
          c.familyName,
          c.email,
          now,
        ]);
        const seq = (result as { insertId: number }).insertId;
        if (c.card)
          await connection.execute('INSERT INTO ref_card (id, tenant_id, customer_seq, secret, bin, last4, exp, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
            randomUUID(),
            TENANT,
            seq,
            seal(c.card.pan),
            c.card.pan.slice(0, 6),
            c.card.pan.slice(-4),
            c.card.exp,
            now,
          ]);
        await connection.commit();
        return { seq, id };
      } catch (error) {
        await connection.rollback().catch(() => undefined);
        throw error;
      } finally {
        connection.release();
      }
    },
    byVaultId: async (v) => (await rows<CustomerRow>(`SELECT ${COLUMNS} FROM ref_customer WHERE tenant_id = ? AND vault_id = ?`, [TENANT, v]))[0],
    byId: async (id) => (await rows<CustomerRow>(`SELECT ${COLUMNS} FROM ref_customer WHERE id = ? AND tenant_id = ?`, [id, TENANT]))[0],
    async byEmail(email, limit) {
      const [found, total] = await Promise.all([
        rows<CustomerRow>(`SELECT ${COLUMNS} FROM ref_customer WHERE tenant_id = ? AND email = ? ORDER BY created_at DESC, seq DESC LIMIT ${Number(limit)}`, [TENANT, email]),
        rows<{ n: number }>('SELECT COUNT(*) AS n FROM ref_customer WHERE tenant_id = ? AND email = ?', [TENANT, email]),
      ]);
      return { rows: found, total: Number(total[0].n) };
    },
    async page(limit, skip) {
      const [found, total] = await Promise.all([
        rows<CustomerRow>(`SELECT ${COLUMNS} FROM ref_customer WHERE tenant_id = ? ORDER BY created_at ASC, seq ASC LIMIT ${Number(limit)} OFFSET ${Number(skip)}`, [TENANT]),
        rows<{ n: number }>('SELECT COUNT(*) AS n FROM ref_customer WHERE tenant_id = ?', [TENANT]),
      ]);
      return { rows: found, total: Number(total[0].n) };
    },
    cards: async (seqs) => (seqs.length === 0 ? [] : rows<CardRow>(`SELECT customer_seq, id, bin, last4, exp FROM ref_card WHERE customer_seq IN (${seqs.map(() => '?').join(',')})`, seqs)),
  };
}

type Body = Record<string, unknown> & {
  billing_cards?: Array<Record<string, unknown>>;
  default_payment?: { card?: { number?: string; expiration_date?: string } };
  default_billing_address?: Record<string, unknown>;
};
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Picks the few fields the storage needs out of any dialect's create body, without checking anything. */
function newCustomer(body: Body): NewCustomer {
  const maastCard = body.billing_cards?.[0];
  const fluidCard = body.default_payment?.card;
  const address = body.default_billing_address ?? {};
  const card = maastCard?.card_number ? { pan: String(maastCard.card_number), exp: str(maastCard.exp_date) } : fluidCard?.number ? { pan: fluidCard.number, exp: str(fluidCard.expiration_date) } : null;
  return {
    vaultId: str(body.customer_id) ?? str(body.id) ?? randomUUID().replace(/-/g, ''),
    givenName: str(body.customer_first_name) ?? str(body.firstname) ?? str(address.first_name) ?? str(body.name),
    familyName: str(body.customer_last_name) ?? str(body.lastname) ?? str(address.last_name),
    email: str(body.customer_email) ?? str(body.email) ?? str(address.email),
    card,
  };
}

function view(row: CustomerRow, cards: CardRow[]) {
  return {
    id: row.id,
    token: row.id,
    customer_id: row.vault_id,
    first_name: row.given_name,
    last_name: row.family_name,
    email: row.email,
    created_at: new Date(row.created_at).toISOString(),
    cards: cards.filter((c) => c.customer_seq === row.seq).map((c) => ({ id: c.id, masked: `${c.bin}xxxxxx${c.last4}`, exp: c.exp })),
  };
}

async function main(): Promise<void> {
  const url = process.env.REFERENCE_DATABASE_URL ?? 'sqlite::memory:';
  const storage = url.startsWith('sqlite:') ? await sqliteStorage(url.slice('sqlite:'.length)) : await mysqlStorage(url);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(express.json());
  const handle = (work: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response) =>
    void work(req, res).catch((error: Error) => void res.status(/UNIQUE|Duplicate/.test(error.message) ? 409 : 500).json({ error: error.message }));

  const create = handle(async (req, res) => {
    const created = await storage.create(newCustomer((req.body ?? {}) as Body));
    res.status(201).json({ id: created.id, seq: created.seq });
  });
  for (const path of ['/platform/vault/customer', '/api/vault/customer', '/exact/customer', '/stax/customer']) app.post(path, create);

  const one = (find: (key: string) => Promise<CustomerRow | undefined>) =>
    handle(async (req, res) => {
      const row = await find(String(req.params.id));
      if (!row) return void res.status(404).json({ error: 'not found' });
      res.json({ data: view(row, await storage.cards([row.seq])) });
    });
  app.get('/platform/vault/customer/:id', one((id) => storage.byVaultId(id)));
  app.get('/stax/customer/:id', one((id) => storage.byId(id)));
  app.get('/exact/customer/:id', one((id) => storage.byId(id)));

  app.post(
    '/api/vault/customer/search',
    handle(async (req, res) => {
      const body = (req.body ?? {}) as { email?: { value?: string }; limit?: number };
      const { rows, total } = await storage.byEmail(String(body.email?.value ?? ''), body.limit || 10);
      const cards = await storage.cards(rows.map((r) => r.seq));
      res.json({ data: rows.map((r) => view(r, cards)), total_count: total });
    }),
  );
  app.get(
    '/exact/customer',
    handle(async (req, res) => {
      const limit = Math.min(1000, Number(req.query.$limit ?? 100));
      const { rows, total } = await storage.page(limit, Number(req.query.$skip ?? 0));
      const cards = await storage.cards(rows.map((r) => r.seq));
      res.setHeader('X-Total-Count', String(total));
      res.json(rows.map((r) => view(r, cards)));
    }),
  );
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));

  const server = app.listen(Number(process.env.PORT ?? 0), () => {
    const address = server.address();
    process.stdout.write(`reference listening on ${typeof address === 'object' && address ? address.port : '?'}\n`);
  });
  server.keepAliveTimeout = 65_000;
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
