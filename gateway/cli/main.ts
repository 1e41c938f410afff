#!/usr/bin/env node
/**
 * The `polyvault` command: serve, migrate, and tenant administration, against the same
 * DATABASE_URL as the gateway. Errors go to stderr with a non-zero exit.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Presets, SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { ConfigError, loadConfig, type Config } from '../../config';
import { masterKeyFromBase64 } from '../../core/crypto/masterKey';
import { reencryptTenant, rotateMasterKey, startTenantKeyVersion } from '../../core/crypto/rotation';
import { ConflictError } from '../../core/errors';
import { createLogger } from '../../core/logger';
import { createContext, type GatewayContext } from '../context';
import { describeTenant, parseDialectList, provisionTenant } from '../provisioning';
import { listen } from '../server';
import { demoBanner } from './banner';

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

function tenantJson(tenant: Awaited<ReturnType<GatewayContext['tenants']['get']>>): Record<string, unknown> {
  return {
    id: tenant.id,
    name: tenant.name,
    disabled: tenant.disabled,
    dialects: Object.entries(tenant.dialects)
      .filter(([, settings]) => settings?.enabled)
      .map(([id]) => id),
    ...describeTenant(tenant),
  };
}

async function serve(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  if (config.masterKey.source === 'generated') {
    logger.warn(`generated a new master key at ${config.masterKey.path}: FOR DEVELOPMENT ONLY. Set POLYVAULT_MASTER_KEY or POLYVAULT_MASTER_KEY_FILE in production, and back this key up: without it the stored cards cannot be decrypted.`);
    process.stderr.write(`\n!!! polyvault generated a development master key at ${config.masterKey.path} — do not use it in production !!!\n\n`);
  }
  const context = await createContext(config, logger);
  const server = await listen(context, config.port);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const baseUrl = `http://localhost:${port}`;
  if (config.mode === 'sandbox' && (await context.tenants.count()) === 0) {
    const provisioned = await provisionTenant(context, { name: 'demo', dialects: parseDialectList(undefined), settings: { maast: { merchantId: DEMO_MAAST_MERCHANT_ID } } });
    process.stdout.write(demoBanner(provisioned, baseUrl));
  }
  logger.info({ port, database: config.databaseUrl.replace(/\/\/[^@]*@/, '//***@'), mode: config.mode }, `polyvault listening on ${baseUrl}`);
  const stop = () => {
    server.close(() => void context.close().then(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

export function buildCli(): Command {
  const program = new Command('polyvault').description('multi-tenant customer vault speaking the Maast, FluidPay, Exact and Stax dialects').showHelpAfterError();

  program.command('serve').description('start the gateway (PORT, DATABASE_URL, POLYVAULT_MASTER_KEY[_FILE])').action(serve);

  program
    .command('migrate')
    .description('bring the database schema up to date')
    .action(() => withContext(async () => void process.stdout.write('migrations applied\n'), { logLevel: 'warn' }));

  const tenant = program.command('tenant').description('manage tenants');
  tenant
    .command('create')
    .description('create a tenant with its dialects and API keys (keys are printed once)')
    .requiredOption('--name <name>', 'tenant name (unique)')
    .option('--dialects <list>', 'comma-separated dialects to enable (default: all)')
    .option('--maast-merchant-id <id>', 'Maast merchant id (default: generated)')
    .option('--json', 'print one JSON object')
    .action((options: { name: string; dialects?: string; maastMerchantId?: string; json?: boolean }) =>
      withContext(
        async (context) => {
          const provisioned = await provisionTenant(context, {
            name: options.name,
            dialects: parseDialectList(options.dialects),
            settings: options.maastMerchantId ? { maast: { merchantId: options.maastMerchantId } } : {},
          });
          if (options.json) process.stdout.write(JSON.stringify({ tenant: tenantJson(provisioned.tenant), keys: provisioned.keys }) + '\n');
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
          const tenants = (await context.tenants.list()).map(tenantJson);
          if (options.json) process.stdout.write(JSON.stringify(tenants) + '\n');
          else for (const t of tenants) process.stdout.write(`${t.id}  ${String(t.name).padEnd(20)} ${(t.dialects as string[]).join(',')}\n`);
        },
        { logLevel: 'warn' },
      ),
    );
  const keys = program.command('keys').description('master-key and tenant data-key rotation');
  keys
    .command('rotate-master')
    .description('re-wrap every tenant data key under a new master key (card rows are not rewritten)')
    .requiredOption('--new-key-file <file>', 'file holding the new master key (32 bytes, base64)')
    .option('--json', 'print JSON')
    .action((options: { newKeyFile: string; json?: boolean }) =>
      withContext(
        async (context, config) => {
          const next = masterKeyFromBase64(readFileSync(options.newKeyFile, 'utf8'));
          const { rewrapped } = await rotateMasterKey(context.store, context.keyring, next);
          // The embedded default keeps its key in ./data/master.key: point it at the new key too.
          const replacedDefault = config.masterKey.source !== 'env' && config.masterKey.path !== undefined && !process.env.POLYVAULT_MASTER_KEY_FILE;
          if (replacedDefault) writeFileSync(config.masterKey.path!, readFileSync(options.newKeyFile, 'utf8'), { mode: 0o600 });
          if (options.json) process.stdout.write(JSON.stringify({ rewrapped, masterKeyId: next.id, keyFileUpdated: replacedDefault ? config.masterKey.path : null }) + '\n');
          else {
            process.stdout.write(`re-wrapped ${rewrapped} tenant keys under master key ${next.id}\n`);
            process.stdout.write(replacedDefault ? `updated ${config.masterKey.path}\n` : `now run every gateway with POLYVAULT_MASTER_KEY_FILE=${options.newKeyFile}; the old key is no longer needed\n`);
          }
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
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (error) {
    const message =
      error instanceof ConflictError && error.rule === 'duplicate_tenant_name'
        ? 'a tenant with that name already exists'
        : error instanceof ConfigError || error instanceof Error
          ? error.message
          : String(error);
    process.stderr.write(`polyvault: ${message}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
