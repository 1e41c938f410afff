/**
 * Experiment for docs/performance.md ("Profile, session 5"): what a MariaDB/MySQL create costs the
 * Node process per round trip, with mysql2 alone (no Express, no TypeORM, no polyvault).
 *
 *   node tests/bench/experiments/mysql-round-trips.js [mysql://root@127.0.0.1:3306] [seconds]
 *
 * Three shapes of the same kind of transaction, 16 concurrent callers on a pool of 10, each for
 * `seconds` (default 6), in a throw-away database that is dropped afterwards:
 *   seven — polyvault's Maast create today: START, customer, live count, card, default-card
 *           update, audit event, COMMIT, each its own round trip;
 *   three — the same five writes in three round trips (`multipleStatements`: START + customer,
 *           count + card, update + audit + COMMIT), which polyvault does not enable;
 *   four  — the reference server's shape: START, customer, card, COMMIT.
 * It prints transactions per second and the Node process's CPU per transaction (user + system),
 * which is what a statement costs polyvault beyond the server's own work.
 */
'use strict';
const mysql = require('mysql2/promise');

const url = new URL(process.argv[2] ?? 'mysql://root@127.0.0.1:3306');
const seconds = Number(process.argv[3] ?? 6);
const database = `pv_round_trips_${process.pid}`;
const connection = { host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username || 'root'), password: decodeURIComponent(url.password) };

const SHAPES = {
  async seven(conn, i, run) {
    await conn.query('START TRANSACTION');
    const [customer] = await conn.execute('INSERT INTO customer (id, name) VALUES (?, ?)', [`${run}-${i}`, 'Jane']);
    await conn.execute('INSERT INTO live_count (shard, live) VALUES (?, 1) ON DUPLICATE KEY UPDATE live = live + 1', [i % 8]);
    const [card] = await conn.execute('INSERT INTO card (customer_seq, secret) VALUES (?, ?)', [customer.insertId, Buffer.alloc(44)]);
    await conn.execute('UPDATE customer SET default_card_seq = ? WHERE seq = ?', [card.insertId, customer.insertId]);
    await conn.execute('INSERT INTO audit (id, operation) VALUES (?, ?)', [`${run}-${i}`, 'customer.create']);
    await conn.query('COMMIT');
  },
  async three(conn, i, run) {
    const [first] = await conn.query('START TRANSACTION; INSERT INTO customer (id, name) VALUES (?, ?)', [`${run}-${i}`, 'Jane']);
    const customerSeq = first[1].insertId;
    const [second] = await conn.query('INSERT INTO live_count (shard, live) VALUES (?, 1) ON DUPLICATE KEY UPDATE live = live + 1; INSERT INTO card (customer_seq, secret) VALUES (?, ?)', [i % 8, customerSeq, Buffer.alloc(44)]);
    await conn.query('UPDATE customer SET default_card_seq = ? WHERE seq = ?; INSERT INTO audit (id, operation) VALUES (?, ?); COMMIT', [second[1].insertId, customerSeq, `${run}-${i}`, 'customer.create']);
  },
  async four(conn, i, run) {
    await conn.query('START TRANSACTION');
    const [customer] = await conn.execute('INSERT INTO customer (id, name) VALUES (?, ?)', [`${run}-${i}`, 'Jane']);
    await conn.execute('INSERT INTO card (customer_seq, secret) VALUES (?, ?)', [customer.insertId, Buffer.alloc(44)]);
    await conn.query('COMMIT');
  },
};

let next = 0; // one numbering for every run, so no two transactions share an id

async function measure(pool, shape) {
  const first = next;
  const started = Date.now();
  const cpu = process.cpuUsage();
  const caller = async () => {
    while (Date.now() - started < seconds * 1000) {
      const conn = await pool.getConnection();
      try {
        await SHAPES[shape](conn, next++, `${shape}-${process.pid}`);
      } finally {
        conn.release();
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, caller));
  const used = process.cpuUsage(cpu);
  const done = next - first;
  return { shape, perSecond: Math.round(done / ((Date.now() - started) / 1000)), cpuMicros: Math.round((used.user + used.system) / done) };
}

async function main() {
  const admin = await mysql.createConnection(connection);
  await admin.query(`CREATE DATABASE ${database}`);
  try {
    await admin.query(`USE ${database}`);
    await admin.query('CREATE TABLE customer (seq INT AUTO_INCREMENT PRIMARY KEY, id VARCHAR(40) NOT NULL UNIQUE, name VARCHAR(50), default_card_seq INT NULL)');
    await admin.query('CREATE TABLE card (seq INT AUTO_INCREMENT PRIMARY KEY, customer_seq INT NOT NULL, secret VARBINARY(100), KEY (customer_seq))');
    await admin.query('CREATE TABLE live_count (shard INT PRIMARY KEY, live INT NOT NULL)');
    await admin.query('CREATE TABLE audit (id VARCHAR(40) PRIMARY KEY, operation VARCHAR(40))');
    const pool = mysql.createPool({ ...connection, database, connectionLimit: 10, multipleStatements: true });
    try {
      // Twice each, alternating, so the machine's drift shows.
      for (const shape of ['seven', 'three', 'four', 'seven', 'three', 'four']) {
        const { perSecond, cpuMicros } = await measure(pool, shape);
        console.log(`${shape.padEnd(6)} ${String(perSecond).padStart(6)} transactions/s  ${String(cpuMicros).padStart(4)} µs Node CPU per transaction`);
      }
    } finally {
      await pool.end();
    }
  } finally {
    await admin.query(`DROP DATABASE ${database}`);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error.message);
  process.exitCode = 1;
});
