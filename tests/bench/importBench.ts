/**
 * `npm run bench -- --import [--import-rows N] [--db mysql] [--profile]` (issue 16, point 4): the
 * rows per second of `polyvault import` for customers with one card each, through the core's
 * encryption, and the import process's peak RSS. The file is generated into the run's temporary
 * directory (Maast preset, JSON lines) and imported by the built CLI, as an operator would.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { BenchOptions } from './options';
import { CLI, createMysqlDatabases, createTenant, newMasterKey, peakRssMb, polyvaultEnv, type PolyvaultSetup } from './servers';

const log = (line: string) => process.stderr.write(`${line}\n`);
/** Targets of issue 16 on the 2-core machine. */
const TARGET_ROWS_PER_S = { sqlite: 3000, mysql: 1500 } as const;
const TARGET_PEAK_RSS_MB = 300;

async function writeFile(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < rows; i++) {
    const line = `{"customer_id":"B${i}","customer_first_name":"Bench","customer_last_name":"Row ${i}","customer_email":"row${i}@example.com","billing_cards":[{"card_number":"4111111111111111","exp_date":"1230","billing_zip":"32801"}]}\n`;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
}

export async function runImportBench(options: BenchOptions, dataDir: string): Promise<void> {
  let databaseUrl = `sqlite:${join(dataDir, 'import.sqlite')}`;
  let drop: (() => Promise<void>) | null = null;
  if (options.db === 'mysql') {
    const created = await createMysqlDatabases(options.mysqlUrl, [`pv_bench_import_${Date.now().toString(36)}`]);
    databaseUrl = created.urls[0];
    drop = created.drop;
  }
  try {
    const setup: PolyvaultSetup = { databaseUrl, masterKey: newMasterKey(), dataDir, logLevel: 'warn', nodeOptions: options.nodeOptions };
    const { tenant } = await createTenant(setup);
    const file = join(dataDir, 'import.jsonl');
    log(`writing ${options.importRows} rows to ${file}`);
    await writeFile(file, options.importRows);
    const profile = options.profile ? ['--cpu-prof', '--cpu-prof-dir', join(dataDir, 'profile')] : [];
    const started = Date.now();
    const child = spawn(process.execPath, [...profile, CLI, 'import', '--tenant', tenant.id, '--from', 'maast', file, '--json'], { env: polyvaultEnv(setup, 0), cwd: dataDir, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, peakRssMb(child.pid) ?? 0)), 100);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearInterval(sampler);
    const seconds = (Date.now() - started) / 1000;
    if (code !== 0) throw new Error(`polyvault import exited with ${code}: ${stdout}`);
    const summary = JSON.parse(stdout) as { imported: number; rejected: number };
    const rate = summary.imported / seconds;
    const target = TARGET_ROWS_PER_S[options.db];
    process.stdout.write(
      [
        `import — ${options.db}, ${options.importRows} customers with one card each (Maast JSON lines), ${new Date().toISOString()}`,
        `imported ${summary.imported}, rejected ${summary.rejected} in ${seconds.toFixed(1)} s (process start included)`,
        `rows/s ${Math.round(rate)} (target ≥ ${target}: ${rate >= target ? 'met' : 'MISSED'})`,
        `peak RSS of the import process ${peak.toFixed(0)} MB (target ≤ ${TARGET_PEAK_RSS_MB} MB: ${peak <= TARGET_PEAK_RSS_MB ? 'met' : 'MISSED'})`,
      ].join('\n') + '\n',
    );
  } finally {
    if (drop && !options.keep) await drop();
  }
}
