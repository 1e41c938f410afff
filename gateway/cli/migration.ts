/**
 * `polyvault import` and `polyvault export` (docs/migration.md): a whole vault in or out through a
 * provider's preset, streamed. Card numbers travel only inside OpenPGP: an encrypted input is
 * decrypted in memory as it is read, and an export with numbers must be encrypted to a recipient.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { writeExport } from '../../core/migration/exportFile';
import { Importer, type ImportCounts } from '../../core/migration/importer';
import { decryptVerifiedFile } from '../../core/migration/openpgp';
import { polyvaultPreset } from '../../core/migration/polyvault';
import type { MigrationPreset } from '../../core/migration/preset';
import { RejectsReport } from '../../core/migration/report';
import { formatFromName, readRows, type FileFormat } from '../../core/migration/rows';
import { DIALECTS } from '../../adapters/registry';
import type { GatewayContext } from '../context';

type WithContext = <T>(work: (context: GatewayContext) => Promise<T>) => Promise<T>;

/** Every preset: each dialect's own, and the lossless `polyvault`. */
export function migrationPresets(): Map<string, MigrationPreset> {
  const presets = new Map<string, MigrationPreset>([[polyvaultPreset.id, polyvaultPreset]]);
  for (const dialect of DIALECTS) if (dialect.migrationPreset) presets.set(dialect.migrationPreset.id, dialect.migrationPreset);
  return presets;
}

class UsageError extends Error {}

function presetNamed(name: string): MigrationPreset {
  const preset = migrationPresets().get(name);
  if (!preset) throw new UsageError(`unknown preset ${name}: use one of ${[...migrationPresets().keys()].join(', ')}`);
  return preset;
}

function formatOf(given: string | undefined, file: string): FileFormat {
  const format = given ?? formatFromName(file);
  if (format !== 'csv' && format !== 'jsonl') throw new UsageError('give --format csv or jsonl (the file name does not tell)');
  return format;
}

async function fileDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** Renames columns (`--map`): `{ "Customer ID": "customer_id" }`, applied to the top-level fields of each row. */
function renamed(map: Record<string, string> | null, rows: AsyncIterable<import('../../core/migration/rows').SourceRow>) {
  if (!map) return rows;
  return (async function* () {
    for await (const row of rows) {
      if ('fields' in row) {
        for (const [from, to] of Object.entries(map)) {
          if (from in row.fields) {
            row.fields[to] = row.fields[from];
            delete row.fields[from];
          }
        }
      }
      yield row;
    }
  })();
}

function progress(enabled: boolean) {
  const started = Date.now();
  if (enabled && process.stderr.isTTY) {
    const bar = new SingleBar({ format: '{bar} {value} rows | {rate} rows/s | imported {imported} rejected {rejected}', stream: process.stderr }, Presets.shades_classic);
    bar.start(0, 0, { rate: 0, imported: 0, rejected: 0 });
    return {
      update: (c: ImportCounts) => {
        bar.setTotal(c.read);
        bar.update(c.read, { rate: Math.round(c.read / Math.max(0.001, (Date.now() - started) / 1000)), imported: c.imported, rejected: c.rejected });
      },
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update: (c: ImportCounts) => {
      if (!enabled || Date.now() - last < 5000) return;
      last = Date.now();
      process.stderr.write(`progress: read ${c.read} imported ${c.imported} already present ${c.alreadyPresent} rejected ${c.rejected} (${Math.round(c.read / Math.max(0.001, (last - started) / 1000))} rows/s)\n`);
    },
    stop: () => undefined,
  };
}

interface ImportFlags {
  tenant: string;
  from: string;
  format?: string;
  map?: string;
  dryRun?: boolean;
  report?: string;
  json?: boolean;
  decryptKey?: string;
  passphraseFile?: string;
  allowRejects?: boolean;
}

async function runImport(withContext: WithContext, file: string, flags: ImportFlags): Promise<void> {
  const preset = presetNamed(flags.from);
  const format = formatOf(flags.format, file);
  const map = flags.map ? (JSON.parse(readFileSync(flags.map, 'utf8')) as Record<string, string>) : null;
  const digest = await fileDigest(file);
  let input: Readable;
  if (flags.decryptKey) {
    const passphrase = flags.passphraseFile ? readFileSync(flags.passphraseFile, 'utf8').trim() : null;
    // Checked to its end before the first row is read (core/migration/openpgp.ts): a tampered file imports nothing.
    input = await decryptVerifiedFile(file, readFileSync(flags.decryptKey, 'utf8'), passphrase);
  } else input = createReadStream(file);
  const reportFile = flags.report ? createWriteStream(flags.report) : null;
  const report = reportFile ? new RejectsReport(reportFile, formatFromName(flags.report!) ?? 'csv') : null;
  const counts = await withContext(async (context) => {
    const tenant = await context.tenants.get(flags.tenant);
    const bar = progress(!flags.json);
    const importer = new Importer(context.vault, {
      tenant,
      preset,
      audit: { dialect: 'cli', actorKeyId: 'cli', requestId: null },
      fileDigest: digest,
      dryRun: flags.dryRun,
      onReject: (rejection) => report?.write(rejection),
      onProgress: (c) => bar.update(c),
    });
    try {
      return await importer.run(renamed(map, readRows(input, format)));
    } finally {
      bar.stop();
    }
  });
  if (reportFile) {
    reportFile.end();
    await finished(reportFile);
  }
  const summary = { tenant: flags.tenant, from: preset.id, dryRun: flags.dryRun === true, ...counts };
  if (flags.json) process.stdout.write(JSON.stringify(summary) + '\n');
  else {
    process.stdout.write(`${flags.dryRun ? 'dry run: nothing written\n' : ''}read ${counts.read}, imported ${counts.imported}, already present ${counts.alreadyPresent}, rejected ${counts.rejected}, CVVs dropped ${counts.cvvsDropped}\n`);
  }
  if (counts.rejected > 0 && !flags.allowRejects) process.exitCode = 3;
}

interface ExportFlags {
  tenant: string;
  to: string;
  out: string;
  format?: string;
  includePan?: boolean;
  encryptTo?: string;
  json?: boolean;
}

async function runExport(withContext: WithContext, flags: ExportFlags): Promise<void> {
  const preset = presetNamed(flags.to);
  const format = formatOf(flags.format, flags.out);
  if (flags.includePan && !flags.encryptTo) throw new UsageError('--include-pan needs --encrypt-to recipient.asc: card numbers are only written OpenPGP-encrypted');
  const recipient = flags.encryptTo ? readFileSync(flags.encryptTo, 'utf8') : null;
  const written = await withContext(async (context) => {
    const tenant = await context.tenants.get(flags.tenant);
    const audit = { dialect: 'cli' as const, actorKeyId: 'cli', requestId: null };
    return writeExport(context.vault, { tenant, preset, format, includeNumbers: flags.includePan === true, recipient, audit }, flags.out);
  });
  if (flags.json) process.stdout.write(JSON.stringify({ tenant: flags.tenant, to: preset.id, customers: written, encrypted: recipient !== null, out: flags.out }) + '\n');
  else process.stdout.write(`exported ${written} customers to ${flags.out}${recipient ? ' (OpenPGP-encrypted)' : ''}\n`);
}

const fail = (error: unknown) => {
  process.stderr.write(`${error instanceof UsageError ? '' : 'error: '}${(error as Error).message}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
};

export function registerMigrationCommands(program: Command, withContext: WithContext): void {
  program
    .command('import')
    .description('import a whole vault from a provider export file, keeping its ids (docs/migration.md)')
    .argument('<file>', 'the file (CSV or JSON lines, optionally OpenPGP-encrypted)')
    .requiredOption('--tenant <tenant>', 'tenant id or name')
    .requiredOption('--from <preset>', 'maast, fluidpay, exact, stax or polyvault')
    .option('--format <format>', 'csv or jsonl (default: from the file name)')
    .option('--map <mapping.json>', 'rename columns: {"their column": "preset field"}')
    .option('--dry-run', 'check every row, write nothing')
    .option('--report <file>', 'write rejected rows (line, source id, field, reason) as CSV or JSON lines')
    .option('--json', 'print the summary as JSON')
    .option('--decrypt-key <private.asc>', 'OpenPGP private key: the file is encrypted')
    .option('--passphrase-file <file>', 'passphrase of the private key')
    .option('--allow-rejects', 'exit 0 even when rows were rejected')
    .action((file: string, flags: ImportFlags) => runImport(withContext, file, flags).catch(fail));
  program
    .command('export')
    .description('export a tenant in a provider format (masked numbers unless --include-pan)')
    .requiredOption('--tenant <tenant>', 'tenant id or name')
    .requiredOption('--to <preset>', 'maast, fluidpay, exact, stax or polyvault')
    .requiredOption('--out <file>', 'output file')
    .option('--format <format>', 'csv or jsonl (default: from the file name)')
    .option('--include-pan', 'full card and account numbers (needs --encrypt-to)')
    .option('--encrypt-to <recipient.asc>', 'OpenPGP public key to encrypt the file to')
    .option('--json', 'print the summary as JSON')
    .action((flags: ExportFlags) => runExport(withContext, flags).catch(fail));
}

