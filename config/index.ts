/**
 * Typed configuration from the environment, validated once at start-up. Nothing else reads
 * process.env; the gateway hands these values down.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';

export interface Config {
  port: number;
  databaseUrl: string;
  /** `sandbox` (embedded default: generous limits) or `production`. */
  mode: 'sandbox' | 'production';
  masterKey: { source: 'env' | 'file' | 'generated'; base64: string; path?: string };
  /**
   * The master key a rotation is moving to (POLYVAULT_NEXT_MASTER_KEY[_FILE], base64): accepted for
   * unwrapping at once, used for new wraps only once `keys rotate-master` records it in the database.
   */
  nextMasterKey?: string;
  /** Base64 master keys still accepted for unwrapping during a rotation (POLYVAULT_PREVIOUS_MASTER_KEYS, comma-separated). */
  previousMasterKeys: string[];
  /** Address to listen on (POLYVAULT_HOST; `127.0.0.1` = loopback only); unset = every interface. */
  host?: string;
  bodyLimitBytes: number;
  logLevel: string;
  /** Host names bound to one dialect at the root (`exact.example.com=exact,stax.example.com=stax`). */
  hostDialects: Record<string, string>;
  rateLimits: { perKeyPerMinute: number; perTenantPerMinute: number; badCredentialsPerMinute: number; maxPenaltyMs: number };
  /** Secret used to sign admin tokens (POLYVAULT_ADMIN_SECRET, base64); derived from the master key when unset. */
  adminSecret?: string;
  /** V8's old-generation growth per GC cycle for `serve`, in percent (POLYVAULT_HEAP_GROWING_PERCENT; 0 = V8's own). */
  heapGrowingPercent: number;
  /** Time limits on the database, in ms (POLYVAULT_DB_TIMEOUT_MS for a request's reads and transactions, POLYVAULT_READY_TIMEOUT_MS for /readyz). */
  databaseTimeouts: { requestMs: number; readyMs: number };
  /**
   * Tests only: the gateway kills its own process (SIGKILL) right after an idempotent write commits,
   * before its answer is stored (POLYVAULT_TEST_CRASH_AFTER_COMMIT=1). Refused in production mode.
   */
  crashAfterIdempotentCommit: boolean;
  /** Where admin-API migration jobs keep rejects reports, export files and encrypted import spools (POLYVAULT_DATA_DIR/migration). */
  migrationDir: string;
  /**
   * The OpenPGP private key that decrypts import files sent to the admin API
   * (POLYVAULT_IMPORT_KEY_FILE, armored; POLYVAULT_IMPORT_KEY_PASSPHRASE_FILE when it is protected).
   */
  importKey?: { armored: string; passphrase: string | null };
  /** Whether the admin API accepts plaintext import files (POLYVAULT_ADMIN_PLAINTEXT_IMPORTS=1); they are streamed, never spooled. */
  adminPlaintextImports: boolean;
}

export class ConfigError extends Error {}

const DEFAULT_DATABASE_URL = 'sqlite:./data/polyvault.sqlite';
const DEFAULT_KEY_FILE = './data/master.key';

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 8080;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be an integer between 0 and 65535, got "${value}"`);
  return port;
}

function parseHostDialects(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (value ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const [host, dialect] = pair.split('=').map((p) => p.trim().toLowerCase());
    if (!host || !dialect) throw new ConfigError(`POLYVAULT_HOST_DIALECTS entries look like host=dialect, got "${pair}"`);
    out[host] = dialect;
  }
  return out;
}

function checkKey(base64: string, where: string): string {
  if (Buffer.from(base64.trim(), 'base64').length !== 32) throw new ConfigError(`${where} must hold 32 bytes, base64-encoded`);
  return base64.trim();
}

/** A key given as `<NAME>` (base64) or `<NAME>_FILE` (a file holding it). */
function configuredKey(env: NodeJS.ProcessEnv, name: string): { source: 'env' | 'file'; base64: string; path?: string } | undefined {
  if (env[name]) return { source: 'env', base64: checkKey(env[name]!, name) };
  const file = env[`${name}_FILE`];
  if (!file) return undefined;
  const path = resolve(file);
  if (!existsSync(path)) throw new ConfigError(`${name}_FILE ${path} does not exist`);
  return { source: 'file', base64: checkKey(readFileSync(path, 'utf8'), `the key file ${path}`), path };
}

/**
 * Master key: POLYVAULT_MASTER_KEY (base64), else POLYVAULT_MASTER_KEY_FILE, else (embedded default
 * in sandbox mode only) a key generated under ./data on first start. Production mode never falls
 * back to a key file it found or made itself: it must be told which key to use.
 */
function resolveMasterKey(env: NodeJS.ProcessEnv, databaseUrl: string, mode: Config['mode']): Config['masterKey'] {
  const configured = configuredKey(env, 'POLYVAULT_MASTER_KEY');
  if (configured) return configured;
  if (mode === 'production') throw new ConfigError('production mode needs POLYVAULT_MASTER_KEY or POLYVAULT_MASTER_KEY_FILE (a generated development key is never used in production)');
  if (!databaseUrl.startsWith('sqlite:')) throw new ConfigError('POLYVAULT_MASTER_KEY or POLYVAULT_MASTER_KEY_FILE is required outside the embedded SQLite default');
  const path = resolve(env.POLYVAULT_DATA_DIR ? `${env.POLYVAULT_DATA_DIR}/master.key` : DEFAULT_KEY_FILE);
  if (existsSync(path)) return { source: 'file', base64: checkKey(readFileSync(path, 'utf8'), `the key file ${path}`), path };
  mkdirSync(dirname(path), { recursive: true });
  const base64 = randomBytes(32).toString('base64');
  writeFileSync(path, base64 + '\n', { mode: 0o600 });
  return { source: 'generated', base64, path };
}

function parseCount(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new ConfigError(`${name} must be a whole number of 0 or more (0 = off)`);
  return value;
}

/** Off in the embedded sandbox (tests hammer it), on in production. */
function rateLimits(env: NodeJS.ProcessEnv, mode: Config['mode']): Config['rateLimits'] {
  const production = mode === 'production';
  return {
    perKeyPerMinute: parseCount(env, 'POLYVAULT_RATE_LIMIT_PER_KEY', production ? 600 : 0),
    perTenantPerMinute: parseCount(env, 'POLYVAULT_RATE_LIMIT_PER_TENANT', production ? 3000 : 0),
    badCredentialsPerMinute: parseCount(env, 'POLYVAULT_BAD_CREDENTIALS_PER_MINUTE', production ? 20 : 0),
    maxPenaltyMs: parseCount(env, 'POLYVAULT_BAD_CREDENTIALS_MAX_DELAY_MS', 5000),
  };
}

function parseMilliseconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 3_600_000) throw new ConfigError(`${name} must be a whole number of milliseconds from 1 to 3600000`);
  return value;
}

function readImportKey(env: NodeJS.ProcessEnv): Config['importKey'] {
  const keyFile = env.POLYVAULT_IMPORT_KEY_FILE;
  if (!keyFile) return undefined;
  const readable = (name: string, path: string) => {
    if (!existsSync(resolve(path))) throw new ConfigError(`${name} ${resolve(path)} does not exist`);
    return readFileSync(resolve(path), 'utf8');
  };
  const passphraseFile = env.POLYVAULT_IMPORT_KEY_PASSPHRASE_FILE;
  return { armored: readable('POLYVAULT_IMPORT_KEY_FILE', keyFile), passphrase: passphraseFile ? readable('POLYVAULT_IMPORT_KEY_PASSPHRASE_FILE', passphraseFile).trim() : null };
}

function parseCrashHook(env: NodeJS.ProcessEnv, mode: Config['mode']): boolean {
  if (env.POLYVAULT_TEST_CRASH_AFTER_COMMIT !== '1') return false;
  if (mode === 'production') throw new ConfigError('POLYVAULT_TEST_CRASH_AFTER_COMMIT is a test hook and is refused in production mode');
  return true;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  if (!/^(sqlite:|mysql:\/\/|mariadb:\/\/)/.test(databaseUrl)) throw new ConfigError('DATABASE_URL must be sqlite:<path> or mysql://user:pass@host:port/db');
  const mode = (env.POLYVAULT_MODE ?? (env.NODE_ENV === 'production' ? 'production' : 'sandbox')) as Config['mode'];
  if (mode !== 'sandbox' && mode !== 'production') throw new ConfigError('POLYVAULT_MODE must be sandbox or production');
  const heapGrowingPercent = Number(env.POLYVAULT_HEAP_GROWING_PERCENT || 50);
  if (!Number.isInteger(heapGrowingPercent) || heapGrowingPercent < 0 || heapGrowingPercent > 1000) throw new ConfigError('POLYVAULT_HEAP_GROWING_PERCENT must be an integer from 0 to 1000');
  const bodyLimit = Number(env.POLYVAULT_BODY_LIMIT_BYTES ?? 1024 * 1024);
  if (!Number.isInteger(bodyLimit) || bodyLimit < 1024) throw new ConfigError('POLYVAULT_BODY_LIMIT_BYTES must be an integer of at least 1024');
  return {
    port: parsePort(env.PORT),
    databaseUrl,
    mode,
    masterKey: resolveMasterKey(env, databaseUrl, mode),
    nextMasterKey: configuredKey(env, 'POLYVAULT_NEXT_MASTER_KEY')?.base64,
    previousMasterKeys: (env.POLYVAULT_PREVIOUS_MASTER_KEYS ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean)
      .map((k) => checkKey(k, 'POLYVAULT_PREVIOUS_MASTER_KEYS')),
    host: env.POLYVAULT_HOST || undefined,
    bodyLimitBytes: bodyLimit,
    logLevel: env.LOG_LEVEL ?? 'info',
    hostDialects: parseHostDialects(env.POLYVAULT_HOST_DIALECTS),
    rateLimits: rateLimits(env, mode),
    adminSecret: env.POLYVAULT_ADMIN_SECRET,
    heapGrowingPercent,
    databaseTimeouts: { requestMs: parseMilliseconds(env, 'POLYVAULT_DB_TIMEOUT_MS', 5000), readyMs: parseMilliseconds(env, 'POLYVAULT_READY_TIMEOUT_MS', 1000) },
    crashAfterIdempotentCommit: parseCrashHook(env, mode),
    migrationDir: resolve(env.POLYVAULT_DATA_DIR || './data', 'migration'),
    importKey: readImportKey(env),
    adminPlaintextImports: env.POLYVAULT_ADMIN_PLAINTEXT_IMPORTS === '1',
  };
}
