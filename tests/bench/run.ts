/**
 * `npm run bench`: polyvault against the reference server, same machine, same run, same requests.
 * See docs/performance.md for the method. `--scale` runs the scale comparison instead (scale.ts).
 */
import { runImportBench } from './importBench';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOptions, type BenchOptions } from './options';
import { formatProfile, summariseProfile } from './profile';
import { checkScenario, fmt, measure, table, type Measurement } from './measure';
import { SCENARIOS, auth, fluidpayCreateBody, type Keys, type Scenario, type Targets } from './scenarios';
import { createMysqlDatabases, createTenant, newMasterKey, newestProfile, startPolyvault, startReference, type RunningServer } from './servers';
import { runScale } from './scale';

const log = (line: string) => process.stderr.write(line + '\n');

/** Creates the customers the read scenarios read, through the API, identically on each server. */
async function seed(server: RunningServer, keys: Keys, count: number): Promise<Targets> {
  const targets: Targets = { vaultIds: [], uuids: [], exactIds: [], emails: [], familyNames: ['Smith'] };
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const id = `BSEED${i}`;
      const email = `seed${i}@bench.example`;
      const res = await fetch(server.url + '/api/vault/customer', { method: 'POST', headers: { ...auth.fluidpay(keys), 'Content-Type': 'application/json' }, body: fluidpayCreateBody(id, email) });
      if (res.status !== 200 && res.status !== 201) throw new Error(`${server.name}: seeding answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      await res.arrayBuffer().catch(() => undefined);
      targets.vaultIds.push(id);
      targets.emails.push(email);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  for (let skip = 0; targets.uuids.length < count; skip += 1000) {
    const res = await fetch(`${server.url}/exact/customer?$limit=1000&$skip=${skip}`, { headers: auth.exact(keys) });
    const page = (await res.json()) as Array<{ id: string; token: string }>;
    if (!Array.isArray(page) || page.length === 0) break;
    targets.uuids.push(...page.map((c) => c.token));
    targets.exactIds.push(...page.map((c) => c.id));
  }
  if (targets.uuids.length === 0) throw new Error(`${server.name}: no customer tokens after seeding`);
  return targets;
}

interface ScenarioResult {
  scenario: Scenario;
  reference: Measurement;
  polyvault: Measurement;
}

function report(results: ScenarioResult[], options: BenchOptions, peakRss: number | null): string {
  const verdicts: string[] = [];
  const rows = results.map(({ scenario, reference: r, polyvault: p }) => {
    const ratio = r.rps > 0 ? p.rps / r.rps : 0;
    const checks: string[] = [];
    if (scenario.target) checks.push(`${scenario.target.kind} ≥ ${scenario.target.ratio}×: ${ratio >= scenario.target.ratio ? 'met' : 'MISSED'}`);
    if (options.db === 'sqlite') checks.push(`p99 ≤ 25 ms: ${p.p99 <= 25 ? 'met' : 'MISSED'}`);
    verdicts.push(`${scenario.name}: ${checks.join(', ') || '—'}`);
    const cpu = (m: Measurement) => (m.cpuPerRequest === null ? '?' : fmt(m.cpuPerRequest, 2));
    return [scenario.title, fmt(r.rps), fmt(p.rps), fmt(ratio, 2) + '×', fmt(r.p50), fmt(p.p50), fmt(r.p99), fmt(p.p99), cpu(r), cpu(p), `${p.errors}/${r.errors}`];
  });
  const rss = peakRss === null ? '?' : `${fmt(peakRss)} MB`;
  return [
    `polyvault vs reference — ${options.db}, ${options.connections} connections, ${options.duration} s per scenario after ${options.warmup} s warm-up, ${process.env.HOSTNAME ?? ''} ${new Date().toISOString()}`,
    '',
    table(['scenario', 'ref req/s', 'pv req/s', 'pv ÷ ref', 'ref p50 ms', 'pv p50 ms', 'ref p99 ms', 'pv p99 ms', 'ref CPU ms/req', 'pv CPU ms/req', 'errors pv/ref'], rows),
    '',
    `polyvault peak RSS (VmHWM): ${rss}${peakRss !== null ? (peakRss <= 200 ? ' — target ≤ 200 MB met' : ' — target ≤ 200 MB MISSED') : ''}`,
    ...verdicts.map((v) => `  ${v}`),
  ].join('\n');
}

async function compare(options: BenchOptions, dataDir: string): Promise<void> {
  let polyvaultUrl = `sqlite:${join(dataDir, 'polyvault.sqlite')}`;
  let referenceUrl = `sqlite:${join(dataDir, 'reference.sqlite')}`;
  let dropDatabases: (() => Promise<void>) | null = null;
  if (options.db === 'mysql') {
    const tag = `${process.pid}`;
    const created = await createMysqlDatabases(options.mysqlUrl, [`pv_bench_${tag}`, `pv_bench_ref_${tag}`]);
    [polyvaultUrl, referenceUrl] = created.urls;
    dropDatabases = created.drop;
  }
  const setup = { databaseUrl: polyvaultUrl, masterKey: newMasterKey(), dataDir, logLevel: options.logLevel, nodeOptions: options.nodeOptions };
  const servers: RunningServer[] = [];
  try {
    log(`creating the bench tenant on ${polyvaultUrl.replace(/\/\/[^@]*@/, '//')}`);
    const tenant = await createTenant(setup);
    const keys = tenant.keys as unknown as Keys;
    const profileDir = options.profile ? join(dataDir, 'profile') : undefined;
    const polyvault = await startPolyvault(setup, { profileDir });
    servers.push(polyvault);
    const reference = await startReference(referenceUrl, dataDir);
    servers.push(reference);
    log(`polyvault pid ${polyvault.child.pid} at ${polyvault.url}; reference pid ${reference.child.pid} at ${reference.url}`);

    log(`seeding ${options.seed} customers through the API on each server`);
    const targets = new Map<RunningServer, Targets>([
      [reference, await seed(reference, keys, options.seed)],
      [polyvault, await seed(polyvault, keys, options.seed)],
    ]);

    const chosen = SCENARIOS.filter((s) => !options.scenarios || options.scenarios.includes(s.name));
    if (chosen.length === 0) throw new Error(`no scenario named ${options.scenarios?.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
    const results: ScenarioResult[] = [];
    let profiledRequests = 0;
    // The profile summary leaves out start-up and seeding: only the scenarios' requests count.
    const profileSkipMs = Date.now() - polyvault.startedAt;
    for (const scenario of chosen) {
      const measured = new Map<RunningServer, Measurement>();
      // Reference first, then polyvault, back to back: both see the same minute of machine noise.
      for (const server of [reference, polyvault]) {
        const requests = scenario.requests(keys, targets.get(server)!);
        await checkScenario(server, requests);
        const m = await measure(server, requests, options);
        measured.set(server, m);
        if (server === polyvault) profiledRequests += m.requests + m.warmupRequests + requests.length;
        log(`  ${scenario.name.padEnd(16)} ${server.name.padEnd(9)} ${fmt(m.rps).padStart(6)} req/s  p50 ${fmt(m.p50)} ms  p99 ${fmt(m.p99)} ms  CPU ${m.cpuPerRequest?.toFixed(2) ?? '?'} ms/req  errors ${m.errors}`);
      }
      results.push({ scenario, reference: measured.get(reference)!, polyvault: measured.get(polyvault)! });
    }
    const peak = polyvault.peakRss();
    process.stdout.write('\n' + report(results, options, peak) + '\n');
    if (options.json) {
      writeFileSync(
        options.json,
        JSON.stringify({ db: options.db, connections: options.connections, duration: options.duration, warmup: options.warmup, peakRssMb: peak, at: new Date().toISOString(), results: results.map((r) => ({ scenario: r.scenario.name, reference: r.reference, polyvault: r.polyvault, ratio: r.polyvault.rps / r.reference.rps })) }, null, 2),
      );
    }
    if (profileDir) {
      await polyvault.stop();
      const file = newestProfile(profileDir);
      if (file) process.stdout.write('\n' + formatProfile(summariseProfile(file, profileSkipMs), profiledRequests) + `\n(profile: ${file}, start-up and seeding left out: node dist/bench/tests/bench/profile.js <file> ${profiledRequests} ${profileSkipMs})\n`);
      else log('no CPU profile was written');
    }
  } finally {
    for (const server of servers) await server.stop();
    if (dropDatabases && !options.keep) await dropDatabases();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const dataDir = mkdtempSync(join(tmpdir(), 'polyvault-bench-'));
  try {
    if (options.importRun) await runImportBench(options, dataDir);
    else if (options.scale) await runScale(options, dataDir);
    else await compare(options, dataDir);
  } finally {
    if (options.keep || options.profile) log(`data kept in ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
    process.exit(1);
  });
}
