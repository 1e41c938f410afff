#!/usr/bin/env node
/**
 * The `polyvault` command: serve, migrate, and tenant administration, against the same
 * DATABASE_URL as the gateway. Errors go to stderr with a non-zero exit.
 */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { Presets, SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { ConfigError, loadConfig, type Config } from '../../config';
import { masterKeyFromBase64 } from '../../core/crypto/masterKey';
import { reencryptTenant, rotateMasterKey, startTenantKeyVersion } from '../../core/crypto/rotation';
import { ConflictError, ForbiddenError } from '../../core/errors';
import { RESET_NOT_SANDBOX } from '../../core/tenancy/administration';
import { createLogger } from '../../core/logger';
import { createContext, type GatewayContext } from '../context';
import { describeTenant, parseDialectList, provisionTenant } from '../provisioning';
import { listen } from '../server';
import { AdminService, keyView, RESET_REFUSED_MESSAGE, tenantView } from '../admin/service';
import { issueAdminToken } from '../admin/tokens';
import { demoBanner } from './banner';
import { registerMigrationCommands } from './migration';
import { packageVersion } from './version';

/** The merchant id of the Maast documentation, so its examples run verbatim against the demo tenant. */
export const DEMO_MAAST_MERCHANT_ID = '210000000289';

async function withContext<T>(work: (context: GatewayContext, config: Config) => Promise<T>, options: { logLevel?: string } = {}): Promise<T> {
  const config = loadConfig();
  const context = await createContext(config, createLogger({ level: options.logLevel ?? config.logLevel }));
  try {
    return await work(context, config);
  } finally {
    await context.close();
  }
}

/** One clear line on stderr and a non-zero exit now: a supervisor restarts or alerts, nothing hangs on. */
function refuseToStart(reason: string): never {
  process.stderr.write(`polyvault: refusing to start: ${reason}\n`);
  process.exit(1);
}

function listenProblem(error: unknown, port: number, host: string | undefined): string {
  const where = `${host ?? 'every interface'} port ${port}`;
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE') return `${where} is already in use`;
  return `cannot listen on ${where}: ${code ?? ''} ${(error as Error)?.message ?? String(error)}`.replace(/\s+/g, ' ');
}

async function serve(options: { host?: string }): Promise<void> {
  const config = loadConfig();
  const host = options.host ?? config.host;
  // V8 lets the old generation grow to up to ~4x what survived the last full collection; under load
  // most of that is garbage of finished requests. The benchmark measured peak RSS 226 MB with V8's
  // default and 163 MB with 1.5x (POLYVAULT_HEAP_GROWING_PERCENT=50), at the same CPU per request,
  // for ~23 MB live. Set before the heap grows; V8 reads it at each collection.
  if (config.heapGrowingPercent > 0) setFlagsFromString(`--heap-growing-percent=${config.heapGrowingPercent}`);
  const logger = createLogger({ level: config.logLevel });
  if (config.masterKey.source === 'generated') {
    logger.warn(`generated a new master key at ${config.masterKey.path}: FOR DEVELOPMENT ONLY. Set POLYVAULT_MASTER_KEY or POLYVAULT_MASTER_KEY_FILE in production, and back this key up: without it the stored cards cannot be decrypted.`);
    process.stderr.write(`\n!!! polyvault generated a development master key at ${config.masterKey.path} — do not use it in production !!!\n\n`);
  }
  const context = await createContext(config, logger, { backgroundCheckpoints: true });
  // A wrong master key would otherwise start, pass /readyz and answer 500 to every vault request.
  const keys = await context.keyCheck.verify();
  if (!keys.ok) refuseToStart(keys.problem);
  const server = await listen(context, config.port, host).catch((error: unknown) => refuseToStart(listenProblem(error, config.port, host)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const baseUrl = `http://${host && host !== '0.0.0.0' && host !== '::' ? (host.includes(':') ? `[${host}]` : host) : 'localhost'}:${port}`;
  if (config.mode === 'sandbox' && (await context.tenants.count()) === 0) {
    const provisioned = await provisionTenant(context, { name: 'demo', dialects: parseDialectList(undefined), settings: { maast: { merchantId: DEMO_MAAST_MERCHANT_ID } }, sandbox: true });
    process.stdout.write(demoBanner(provisioned, baseUrl));
  }
  logger.info({ host: host ?? null, port, database: config.databaseUrl.replace(/\/\/[^@]*@/, '//***@'), mode: config.mode }, `polyvault listening on ${baseUrl}`);
  const stop = () => {
    server.close(() => void context.close().then(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

export function buildCli(): Command {
  const program = new Command('polyvault').description('multi-tenant customer vault speaking the Maast, FluidPay, Exact and Stax dialects').showHelpAfterError()
  program.version(packageVersion(), '-V, --version', 'print the version of polyvault');

  program
    .command('serve')
    .description('start the gateway (PORT, POLYVAULT_HOST, DATABASE_URL, POLYVAULT_MASTER_KEY[_FILE])')
    .option('--host <address>', 'listen address, e.g. 127.0.0.1 for this machine only (default: POLYVAULT_HOST, else every interface)')
    .action(serve);

  program
    .command('migrate')
    .description('bring the database schema up to date')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      withContext(
        async (context) => {
          const applied = (await context.store.dataSource.query('SELECT name FROM migrations ORDER BY id')) as Array<{ name: string }>;
          process.stdout.write(options.json ? JSON.stringify({ migrations: applied.map((m) => m.name) }) + '\n' : `schema up to date (${applied.length} migrations)\n`);
        },
        { logLevel: 'warn' },
      ),
    );

  const tenant = program.command('tenant').description('manage tenants');
  tenant
    .command('create')
    .description('create a tenant with its dialects and API keys (keys are printed once)')
    .requiredOption('--name <name>', 'tenant name (unique)')
    .option('--dialects <list>', 'comma-separated dialects to enable (default: all)')
    .option('--maast-merchant-id <id>', 'Maast merchant id (default: generated)')
    .option('--sandbox', '`tenant reset` may wipe it even in production mode (default: only in sandbox mode)')
    .option('--json', 'print one JSON object')
    .action((options: { name: string; dialects?: string; maastMerchantId?: string; sandbox?: boolean; json?: boolean }) =>
      withContext(
        async (context) => {
          const provisioned = await provisionTenant(context, {
            name: options.name,
            dialects: parseDialectList(options.dialects),
            settings: options.maastMerchantId ? { maast: { merchantId: options.maastMerchantId } } : {},
            sandbox: options.sandbox,
          });
          if (options.json) process.stdout.write(JSON.stringify({ tenant: tenantView(provisioned.tenant), keys: provisioned.keys }) + '\n');
          else {
            process.stdout.write(`tenant ${provisioned.tenant.name} (${provisioned.tenant.id})\n`);
            for (const [label, key] of Object.entries(provisioned.keys)) process.stdout.write(`  ${label.padEnd(16)} ${key}\n`);
            for (const [name, value] of Object.entries(describeTenant(provisioned.tenant))) process.stdout.write(`  ${name.padEnd(16)} ${String(value)}\n`);
          }
        },
        { logLevel: 'warn' },
      ),
    );
  tenant
    .command('list')
    .description('list tenants')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      withContext(
        async (context) => {
          const tenants = (await context.tenants.list()).map(tenantView);
          if (options.json) process.stdout.write(JSON.stringify(tenants) + '\n');
          else for (const t of tenants) process.stdout.write(`${t.id}  ${String(t.name).padEnd(20)} ${(t.dialects as string[]).join(',')}\n`);
        },
        { logLevel: 'warn' },
      ),
    );
  const cliActor = { dialect: 'cli' as const, actorKeyId: null, requestId: null };
  const print = (json: boolean | undefined, data: unknown, lines: () => string[]) =>
    process.stdout.write(json ? JSON.stringify(data) + '\n' : lines().join('\n') + '\n');
  const admin = <T>(work: (service: AdminService, context: GatewayContext) => Promise<T>) =>
    withContext((context) => work(new AdminService(context), context), { logLevel: 'warn' });

  tenant
    .command('get <tenant>')
    .description('show one tenant (id or name)')
    .option('--json', 'print JSON')
    .action((idOrName: string, options: { json?: boolean }) =>
      admin(async (service) => {
        const view = tenantView(await service.getTenant(idOrName));
        print(options.json, { tenant: view }, () => Object.entries(view).map(([k, v]) => `${k.padEnd(16)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`));
      }),
    );
  tenant
    .command('update <tenant>')
    .description('rename a tenant')
    .requiredOption('--name <name>', 'new name')
    .option('--json', 'print JSON')
    .action((idOrName: string, options: { name: string; json?: boolean }) =>
      admin(async (service) => {
        const view = tenantView(await service.updateTenant(idOrName, { name: options.name }, cliActor));
        print(options.json, { tenant: view }, () => [`tenant ${view.id} renamed to ${view.name}`]);
      }),
    );
  for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
    tenant
      .command(`${verb} <tenant>`)
      .description(`${verb} a tenant (a disabled tenant's keys are refused by every dialect)`)
      .option('--json', 'print JSON')
      .action((idOrName: string, options: { json?: boolean }) =>
        admin(async (service) => {
          const view = tenantView(await service.updateTenant(idOrName, { disabled }, cliActor));
          print(options.json, { tenant: view }, () => [`tenant ${view.name} ${disabled ? 'disabled' : 'enabled'}`]);
        }),
      );
  }
  tenant
    .command('reset <tenant>')
    .description("sandbox reset: delete the tenant's customers, addresses, payment methods and tokens (production mode: sandbox tenants only)")
    .option('--yes', 'confirm: the deletion cannot be undone')
    .option('--json', 'print JSON')
    .action((idOrName: string, options: { yes?: boolean; json?: boolean }) =>
      admin(async (service) => {
        if (!options.yes) throw new Error(`tenant reset deletes every customer, address and payment method of ${idOrName}: add --yes to confirm`);
        const deleted = await service.resetTenant(idOrName, cliActor);
        print(options.json, { deleted }, () => [`deleted ${deleted.customers} customers, ${deleted.addresses} addresses, ${deleted.paymentMethods} payment methods`]);
      }),
    );

  const dialect = program.command('dialect').description("switch a tenant's dialects (takes effect within 2 s in every gateway)");
  dialect
    .command('enable <tenant> <dialect>')
    .description('enable a dialect (issuing its keys the first time) or change its settings with --set')
    .option('--set <setting=value...>', 'dialect settings, e.g. merchantId=210000000289')
    .option('--json', 'print JSON')
    .action((idOrName: string, dialectId: string, options: { set?: string[]; json?: boolean }) =>
      admin(async (service) => {
        const id = parseDialectList(dialectId)[0];
        const settings = Object.fromEntries((options.set ?? []).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
        const { tenant: t, keys: issued } = await service.enableDialect(idOrName, id, settings, cliActor);
        print(options.json, { tenant: tenantView(t), keys: issued }, () => [`${id} enabled for ${t.name}`, ...Object.entries(issued).map(([label, key]) => `  ${label.padEnd(16)} ${key}`)]);
      }),
    );
  dialect
    .command('disable <tenant> <dialect>')
    .description('disable a dialect: its keys get the dialect\'s "no access" answer')
    .option('--json', 'print JSON')
    .action((idOrName: string, dialectId: string, options: { json?: boolean }) =>
      admin(async (service) => {
        const id = parseDialectList(dialectId)[0];
        const t = await service.disableDialect(idOrName, id, cliActor);
        print(options.json, { tenant: tenantView(t) }, () => [`${id} disabled for ${t.name}`]);
      }),
    );

  const key = program.command('key').description('API keys (shown once at creation, stored hashed)');
  key
    .command('create <tenant> <dialect>')
    .option('--public', 'a public key (FluidPay tokenizer)')
    .option('--json', 'print JSON')
    .action((idOrName: string, dialectId: string, options: { public?: boolean; json?: boolean }) =>
      admin(async (service, context) => {
        const { key: secret, info } = await service.createKey(idOrName, parseDialectList(dialectId)[0], options.public ? 'public' : 'secret', cliActor);
        print(options.json, { key: keyView(info, context.clock.now()), secret }, () => [`${info.id}  ${secret}`]);
      }),
    );
  key
    .command('list <tenant>')
    .option('--json', 'print JSON')
    .action((idOrName: string, options: { json?: boolean }) =>
      admin(async (service, context) => {
        const views = (await service.listKeys(idOrName)).map((k) => keyView(k, context.clock.now()));
        print(options.json, { keys: views }, () => views.map((k) => `${k.id}  ${k.dialect.padEnd(9)} ${k.kind.padEnd(7)} ${k.prefix}…  ${k.status}`));
      }),
    );
  key
    .command('revoke <tenant> <keyId>')
    .option('--json', 'print JSON')
    .action((idOrName: string, keyId: string, options: { json?: boolean }) =>
      admin(async (service, context) => {
        const view = keyView(await service.revokeKey(idOrName, keyId, cliActor), context.clock.now());
        print(options.json, { key: view }, () => [`${view.id} revoked`]);
      }),
    );
  key
    .command('rotate <tenant> <keyId>')
    .description('issue a successor; the old key keeps working for the overlap window')
    .option('--overlap <seconds>', 'seconds the old key stays valid', '3600')
    .option('--json', 'print JSON')
    .action((idOrName: string, keyId: string, options: { overlap: string; json?: boolean }) =>
      admin(async (service, context) => {
        const rotated = await service.rotateKey(idOrName, keyId, Number(options.overlap), cliActor);
        print(options.json, { previous: keyView(rotated.previous, context.clock.now()), key: keyView(rotated.next, context.clock.now()), secret: rotated.key }, () => [
          `${rotated.next.id}  ${rotated.key}`,
          `old key ${rotated.previous.id} expires ${new Date(rotated.previous.expiresAt!).toISOString()}`,
        ]);
      }),
    );

  program
    .command('audit')
    .description('read the audit log, newest first')
    .option('--tenant <tenant>', 'tenant id or name')
    .option('--operation <operation>', 'e.g. maast.addCustomer, key.revoke')
    .option('--from <time>', 'ISO 8601')
    .option('--to <time>', 'ISO 8601')
    .option('--limit <n>', 'events per page', '100')
    .option('--offset <n>', 'events to skip', '0')
    .option('--json', 'print JSON')
    .action((options: { tenant?: string; operation?: string; from?: string; to?: string; limit: string; offset: string; json?: boolean }) =>
      admin(async (service) => {
        const time = (value: string | undefined, name: string) => {
          if (value === undefined) return undefined;
          const ms = Date.parse(value);
          if (Number.isNaN(ms)) throw new Error(`--${name} must be an ISO 8601 time`);
          return ms;
        };
        const result = await service.audit({ tenant: options.tenant, operation: options.operation, from: time(options.from, 'from'), to: time(options.to, 'to'), limit: Number(options.limit), offset: Number(options.offset) });
        const events = result.items.map((e) => ({ ...e, createdAt: new Date(e.createdAt).toISOString() }));
        print(options.json, { total: result.total, events }, () => events.map((e) => `${e.createdAt}  ${e.dialect.padEnd(8)} ${e.operation.padEnd(28)} ${e.outcome.padEnd(7)} ${e.targetIds.join(',')}`));
      }),
    );

  program
    .command('admin')
    .description('administration')
    .command('token')
    .description('issue an admin API token (JWT) for /admin/v1')
    .option('--ttl <duration>', 'lifetime, e.g. 15m, 1h, 12h (at most 24h)', '1h')
    .option('--json', 'print JSON')
    .action((options: { ttl: string; json?: boolean }) =>
      withContext(
        async (_context, config) => {
          const token = await issueAdminToken(config, options.ttl);
          process.stdout.write(options.json ? JSON.stringify({ token, ttl: options.ttl }) + '\n' : token + '\n');
        },
        { logLevel: 'warn' },
      ),
    );

  const keys = program.command('keys').description('master-key and tenant data-key rotation');
  keys
    .command('rotate-master')
    .description('step 2 of a master-key rotation (docs/security.md): make the new key the one new wraps use, and re-wrap every tenant key under it (card rows are not rewritten)')
    .requiredOption('--new-key-file <file>', 'file holding the new master key (32 bytes, base64), already given to every gateway as POLYVAULT_NEXT_MASTER_KEY_FILE')
    .option('--json', 'print JSON')
    .action((options: { newKeyFile: string; json?: boolean }) =>
      withContext(
        async (context) => {
          const next = masterKeyFromBase64(readFileSync(options.newKeyFile, 'utf8'));
          const retiring = context.keyring.masterKeyIds.filter((id) => id !== next.id);
          const { rewrapped, remaining } = await rotateMasterKey(context.store, context.keyring, next);
          if (options.json) process.stdout.write(JSON.stringify({ rewrapped, remaining, masterKeyId: next.id, retiring }) + '\n');
          else {
            process.stdout.write(`new wraps now use master key ${next.id}; re-wrapped ${rewrapped} tenant keys under it\n`);
            process.stdout.write(
              remaining > 0
                ? `${remaining} tenant keys are still wrapped by another key (a gateway without the new key is still wrapping): give every gateway POLYVAULT_NEXT_MASTER_KEY_FILE=${options.newKeyFile}, then run this again\n`
                : `step 3: run every gateway with POLYVAULT_MASTER_KEY_FILE=${options.newKeyFile} and without the old key (${retiring.join(', ')}); a gateway that still needs the old key refuses to start and says so\n`,
            );
          }
          if (remaining > 0) process.exitCode = 1;
        },
        { logLevel: 'warn' },
      ),
    );
  keys
    .command('rotate-tenant')
    .description('start a new data-key version for a tenant; --reencrypt moves existing cards to it')
    .requiredOption('--tenant <idOrName>', 'tenant id or name')
    .option('--reencrypt', 're-encrypt rows still on older versions (resumable)')
    .option('--no-new-version', 'only re-encrypt (resume an interrupted run)')
    .option('--batch-size <n>', 'rows per transaction', '500')
    .option('--json', 'print JSON')
    .action((options: { tenant: string; reencrypt?: boolean; newVersion: boolean; batchSize: string; json?: boolean }) =>
      withContext(
        async (context) => {
          const tenant = await context.tenants.get(options.tenant);
          const version = options.newVersion ? await startTenantKeyVersion(context.store, context.keyring, tenant.id, Date.now()) : null;
          let moved = 0;
          if (options.reencrypt) {
            const bar = new SingleBar({ format: 're-encrypting [{bar}] {value}/{total} cards', stream: process.stderr, noTTYOutput: true, notTTYSchedule: 2000 }, Presets.shades_classic);
            let started = false;
            const result = await reencryptTenant(context.store, context.keyring, tenant.id, {
              batchSize: Math.max(1, Number(options.batchSize) || 500),
              onProgress: (done, total) => {
                if (!started) {
                  bar.start(total, done);
                  started = true;
                } else bar.update(done);
              },
            });
            bar.stop();
            moved = result.moved;
          }
          const summary = { tenant: tenant.id, newVersion: version, reencrypted: moved };
          process.stdout.write(options.json ? JSON.stringify(summary) + '\n' : `tenant ${tenant.name}: ${version ? `data key version ${version} started; ` : ''}${moved} cards re-encrypted\n`);
        },
        { logLevel: 'warn' },
      ),
    );
  registerMigrationCommands(program, (work) => withContext(work, { logLevel: 'warn' }));
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (error) {
    const message =
      error instanceof ConflictError && error.rule === 'duplicate_tenant_name'
        ? 'a tenant with that name already exists'
        : error instanceof ForbiddenError && error.reason === RESET_NOT_SANDBOX
          ? RESET_REFUSED_MESSAGE
          : error instanceof ConfigError || error instanceof Error
          ? error.message
          : String(error);
    process.stderr.write(`polyvault: ${message}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
