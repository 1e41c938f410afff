/**
 * Creating tenants with their dialects: each dialect chooses its settings (merchant id, account id…)
 * and the shape of its keys; the core stores the tenant, its data keys and the hashed API keys.
 */
import { DIALECTS, dialectById } from '../adapters/registry';
import { randomKeyMaterial } from '../core/tenancy/apiKeys';
import type { ApiKeyDialect, ApiKeyKind, DialectId, DialectSettings, Tenant } from '../core/model';
import { isDialectId } from '../core/model';
import type { GatewayContext } from './context';

export interface ProvisionedTenant {
  tenant: Tenant;
  /** Clear keys by label (`maast`, `fluidpay`, `fluidpay_public`, `exact`, `stax`): shown once, never stored. */
  keys: Record<string, string>;
}

export function parseDialectList(value: string | undefined): DialectId[] {
  if (value === undefined || value.trim() === '') return DIALECTS.map((dialect) => dialect.id);
  const ids = value.split(',').map((id) => id.trim().toLowerCase()).filter(Boolean);
  for (const id of ids) if (!isDialectId(id)) throw new Error(`unknown dialect "${id}" (known: ${DIALECTS.map((d) => d.id).join(', ')})`);
  return [...new Set(ids)] as DialectId[];
}

export async function provisionTenant(
  context: GatewayContext,
  input: { name: string; dialects: DialectId[]; settings?: Partial<Record<DialectId, Record<string, unknown>>>; sandbox?: boolean },
  actor: { dialect: 'admin' | 'cli'; actorKeyId: string | null; requestId: string | null } = { dialect: 'cli', actorKeyId: null, requestId: null },
): Promise<ProvisionedTenant> {
  const dialects: Partial<Record<DialectId, DialectSettings>> = {};
  const keys: Array<{ dialect: ApiKeyDialect; kind: ApiKeyKind; key: string; label: string }> = [];
  for (const id of input.dialects) {
    const dialect = dialectById(id);
    dialects[id] = { ...dialect.initialSettings(input.settings?.[id] ?? {}), enabled: true };
    for (const spec of dialect.keys) keys.push({ dialect: id, kind: spec.kind, key: spec.format(randomKeyMaterial()), label: spec.label });
  }
  // A tenant made by a sandbox-mode gateway is a sandbox tenant unless told otherwise.
  const sandbox = input.sandbox ?? context.config.mode === 'sandbox';
  const { tenant } = await context.tenants.create({ name: input.name, sandbox, dialects, keys: keys.map(({ dialect, kind, key }) => ({ dialect, kind, key })) }, actor);
  return { tenant, keys: Object.fromEntries(keys.map((k) => [k.label, k.key])) };
}

/** Display-safe per-dialect facts (`exactAccountId`, `maastMerchantId`, …) for the CLI and banner. */
export function describeTenant(tenant: Tenant): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const dialect of DIALECTS) {
    const settings = tenant.dialects[dialect.id];
    if (settings && dialect.describeTenant) Object.assign(out, dialect.describeTenant(settings));
  }
  return out;
}
