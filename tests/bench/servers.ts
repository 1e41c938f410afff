/**
 * The two servers of a benchmark run, each a child process of its own (so neither shares a CPU
 * scheduler, heap or event loop with the load generator, and polyvault runs exactly as an operator
 * starts it): polyvault's `serve` command and the reference server. Also the throw-away databases.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../gateway/cli/version';

/** The repository root, found from dist/bench/tests/bench where this runs compiled. */
export const ROOT = packageRoot(__dirname);
export const CLI = join(ROOT, 'dist/gateway/cli/main.js');
const REFERENCE = join(__dirname, 'reference.js');

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not answer /healthz within 60 s`);
}

/** Peak resident set size (VmHWM) of a process, in MB; null once it is gone. */
export function peakRssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used so far, in ms; null once it is gone. */
export function cpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    // Fields after the command name (which is in parentheses and may hold spaces): utime is the 12th, stime the 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

export interface RunningServer {
  name: string;
  url: string;
  child: ChildProcess;
  /** When the process was spawned (Date.now()). */
  startedAt: number;
  /** Highest VmHWM seen so far (MB). */
  peakRss(): number | null;
  stop(): Promise<void>;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', () => {
        clearTimeout(kill);
        done();
      });
      child.kill('SIGTERM');
    });
}

function tracked(name: string, url: string, child: ChildProcess, startedAt: number): RunningServer {
  let peak: number | null = null;
  const sample = () => {
    const now = peakRssMb(child.pid);
    if (now !== null && (peak === null || now > peak)) peak = now;
  };
  const timer = setInterval(sample, 500);
  timer.unref();
  const stop = stopper(child);
  return {
    name,
    url,
    child,
    startedAt,
    peakRss: () => {
      sample();
      return peak;
    },
    stop: async () => {
      sample();
      clearInterval(timer);
      await stop();
    },
  };
}

export interface PolyvaultSetup {
  databaseUrl: string;
  masterKey: string;
  dataDir: string;
  logLevel: string;
  nodeOptions?: string | null;
}

export function newMasterKey(): string {
  return randomBytes(32).toString('base64');
}

export function polyvaultEnv(setup: PolyvaultSetup, port: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    DATABASE_URL: setup.databaseUrl,
    POLYVAULT_MASTER_KEY: setup.masterKey,
    // Sandbox mode keeps the rate limits off (the benchmark is one client hammering one key).
    POLYVAULT_MODE: 'sandbox',
    LOG_LEVEL: setup.logLevel,
    PORT: String(port),
    ...(setup.nodeOptions ? { NODE_OPTIONS: setup.nodeOptions } : {}),
  };
}

export interface BenchTenant {
  tenant: { id: string; name: string };
  keys: Record<string, string>;
}

/** `polyvault tenant create --name bench --json` against the run's database. */
export async function createTenant(setup: PolyvaultSetup): Promise<BenchTenant> {
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'tenant', 'create', '--name', 'bench', '--json', '--maast-merchant-id', '210000000289'], {
    env: polyvaultEnv(setup, 0),
    cwd: setup.dataDir,
  });
  return JSON.parse(stdout) as BenchTenant;
}

export async function startPolyvault(setup: PolyvaultSetup, options: { profileDir?: string } = {}): Promise<RunningServer> {
  const port = await freePort();
  const log = openSync(join(setup.dataDir, 'polyvault.log'), 'a');
  const startedAt = Date.now();
  const args = [...(options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : []), CLI, 'serve'];
  const child = spawn(process.execPath, args, { env: polyvaultEnv(setup, port), cwd: setup.dataDir, stdio: ['ignore', log, log] });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, 'polyvault');
  return tracked('polyvault', url, child, startedAt);
}

export async function startReference(databaseUrl: string, dataDir: string): Promise<RunningServer> {
  const port = await freePort();
  const log = openSync(join(dataDir, 'reference.log'), 'a');
  const startedAt = Date.now();
  const child = spawn(process.execPath, [REFERENCE], {
    env: { PATH: process.env.PATH, NODE_ENV: 'production', REFERENCE_DATABASE_URL: databaseUrl, PORT: String(port) },
    cwd: dataDir,
    stdio: ['ignore', log, log],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, 'reference');
  return tracked('reference', url, child, startedAt);
}

/** Throw-away databases on the MariaDB/MySQL server. */
export async function createMysqlDatabases(serverUrl: string, names: string[]): Promise<{ urls: string[]; drop(): Promise<void> }> {
  const mysql = await import('mysql2/promise');
  const parsed = new URL(serverUrl);
  const connect = () =>
    mysql.createConnection({ host: parsed.hostname, port: Number(parsed.port || 3306), user: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) });
  const connection = await connect();
  try {
    for (const name of names) {
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    }
  } finally {
    await connection.end();
  }
  return {
    urls: names.map((name) => `${serverUrl}/${name}`),
    async drop() {
      const c = await connect();
      try {
        for (const name of names) await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * The newest .cpuprofile of a main thread in a directory. Node writes one file per thread,
 * `CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile`; the WAL checkpoint worker is thread 1+.
 */
export function newestProfile(dir: string): string | null {
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir)
    .filter((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f))
    .sort();
  return files.length ? join(dir, files[files.length - 1]) : null;
}
