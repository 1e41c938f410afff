/**
 * What every dialect implements (one folder under adapters/, one line in adapters/registry.ts).
 * A dialect owns its whole wire format: routes, credential parsing, request schemas, translation
 * to and from the canonical model, and its provider's error envelopes. The gateway owns everything
 * shared: request ids, logging, key look-up, tenant resolution, and (later) rate limits and idempotency.
 */
import type { Request, Response, Router } from 'express';
import type { ApiKeyKind, DialectId, DialectSettings, Tenant } from '../core/model';
import type { TenantVault } from '../core/vault/commands';
import type { Logger } from '../core/logger';
import type { MigrationPreset } from '../core/migration/preset';

/** Who is calling: resolved from an API key by the gateway. */
export interface Principal {
  tenant: Tenant;
  keyId: string;
  dialect: DialectId;
  kind: ApiKeyKind;
}

export type AuthOutcome =
  | { ok: true; principal: Principal }
  /**
   * Every reason but dialect_disabled is answered like a bad key; the reason itself goes to the log only.
   * unknown_key: no such key (or not a key at all).
   * revoked / expired: the key existed and was revoked, or has expired.
   * wrong_dialect: a key of another dialect.
   * wrong_kind: a public key on a secret route, or the reverse.
   * dialect_disabled: the key is valid but its tenant has this dialect switched off.
   * tenant_disabled: the tenant as a whole is disabled.
   */
  | { ok: false; reason: AuthRefusalReason };

export type AuthRefusalReason = 'unknown_key' | 'revoked' | 'expired' | 'wrong_dialect' | 'wrong_kind' | 'dialect_disabled' | 'tenant_disabled';

/** Outcome of the gateway's per-request guards (rate limits, idempotency) that a dialect renders. */
export type GuardRefusal =
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'idempotency_in_flight' }
  | { kind: 'idempotency_mismatch' }
  /** The key's request was written (committed) but its answer was never stored: it is not run again. */
  | { kind: 'idempotency_answer_lost' };

export interface DialectServices {
  /**
   * Look an API key up (hashed, cached) and check it belongs to this dialect and kind. `req` is the
   * request the key came with: the gateway's guard has usually resolved that key already, and its
   * answer is handed over instead of a second look-up.
   */
  authenticate(key: string, dialect: DialectId, kind: ApiKeyKind, req: Request): Promise<AuthOutcome>;
  /**
   * The tenant's vault for this request: audit events attributed to this principal and the request's
   * id, database calls bounded by the request's deadline, writes fenced by its Idempotency-Key.
   */
  vault(principal: Principal, res: Response): TenantVault;
  /** Sandbox rules shared by every dialect (test card numbers that decline verification). */
  sandbox: SandboxRules;
  logger: Logger;
  /** Maximum accepted request body in bytes. */
  bodyLimitBytes: number;
  /** Current time in ms; tests may freeze it. */
  now(): number;
}

export interface SandboxRules {
  /** True when this PAN is one of the documented test numbers that decline verification/validation. */
  declinesVerification(pan: string): boolean;
}

/** A key issued for a dialect when it is enabled for a tenant (FluidPay issues a secret and a public one). */
export interface KeySpec {
  kind: ApiKeyKind;
  /** Name under `keys` in `tenant create --json` (`maast`, `fluidpay`, `fluidpay_public`, …). */
  label: string;
  /** Turns 32 random characters [A-Za-z0-9] into the key string the provider's clients expect (`api_…`). */
  format(random: string): string;
}

export interface Dialect {
  id: DialectId;
  /** Human name for logs and the CLI. */
  title: string;
  /**
   * Path prefixes that are unique to this dialect and also served at the root of the gateway,
   * exactly where the provider's clients expect them (`/platform` for Maast, `/api` for FluidPay).
   */
  rootPrefixes: string[];
  /** Keys issued when the dialect is enabled. */
  keys: KeySpec[];
  /**
   * True when the contract wants a new request id for every request, never the client's
   * `X-Request-Id` (Exact §3.1); other dialects answer with a well-formed one the client sent.
   */
  freshRequestIds?: boolean;
  /**
   * Settings stored for a tenant when the dialect is enabled (e.g. Maast merchant id, Exact account id).
   * `requested` carries operator-chosen values (e.g. `{ merchantId: '210000000289' }`); the dialect
   * validates them and generates what is missing.
   */
  initialSettings(requested: Record<string, unknown>): DialectSettings;
  /** Public, display-safe facts about the tenant for this dialect (printed by the CLI, e.g. `{ exactAccountId }`). */
  describeTenant?(settings: DialectSettings): Record<string, unknown>;
  /** Builds the dialect's routes once at start-up (schemas compiled here, never per request). */
  router(services: DialectServices): Router;
  /** Answers a path under the dialect's base path (or root prefixes) that no route matched. */
  renderNotFound(req: Request, res: Response): void;
  /** Answers an error that escaped the router (always a 500 in the dialect's format, without detail). */
  renderInternalError(req: Request, res: Response): void;
  /**
   * The API key a request carries, read the dialect's way without judging it (null when absent or
   * malformed). The gateway uses it for rate limits and idempotency before the router runs.
   */
  readCredential?(req: Request): { key: string; kind: ApiKeyKind } | null;
  /** Answers a request the gateway's guards refused (429 with Retry-After, idempotency conflicts) in the dialect's envelope. */
  renderRefusal?(refusal: GuardRefusal, req: Request, res: Response): void;
  /** The provider's own export format, for `polyvault import --from` / `export --to` (docs/migration.md). */
  migrationPreset?: MigrationPreset;
  /** One ready-to-paste curl command for this dialect against a local gateway (start-up banner). */
  exampleCurl(baseUrl: string, keys: Record<string, string>, settings: DialectSettings): string;
}
