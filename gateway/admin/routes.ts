/**
 * The admin API under /admin/v1, for operators. Authenticated with admin JWTs
 * (`Authorization: Bearer <token>` from `polyvault admin token`). Errors are
 * `{"error":{"code","message","field"?}}` with the usual HTTP statuses.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { isPlainObject, readJsonBody } from '../../adapters/shared/body';
import { ForbiddenError, VaultError } from '../../core/errors';
import { RESET_NOT_SANDBOX } from '../../core/tenancy/administration';
import { isDialectId, type DialectId } from '../../core/model';
import type { GatewayContext } from '../context';
import { parseDialectList } from '../provisioning';
import { AdminService, keyView, RESET_REFUSED_MESSAGE, tenantView } from './service';
import { verifyAdminToken } from './tokens';
import { migrationRoutes } from './migrationRoutes';

export class AdminInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export type Handler = (req: Request, res: Response, actor: { dialect: 'admin'; actorKeyId: string; requestId: string }) => Promise<void>;

export function fail(res: Response, status: number, code: string, message: string, field?: string): void {
  res.status(status).json({ error: { code, message, ...(field ? { field } : {}) } });
}

export async function body(req: Request, limit: number): Promise<Record<string, unknown>> {
  const parsed = await readJsonBody(req, limit);
  if (!parsed.ok) throw new AdminInputError('body', parsed.reason === 'too_large' ? 'body is too large' : 'body is not valid JSON');
  if (parsed.empty) return {};
  if (!isPlainObject(parsed.value)) throw new AdminInputError('body', 'body must be a JSON object');
  return parsed.value;
}

export function text(value: unknown, field: string, options: { required?: boolean; max?: number } = {}): string | undefined {
  if (value === undefined || value === null) {
    if (options.required) throw new AdminInputError(field, `${field} is required`);
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') throw new AdminInputError(field, `${field} must be a non-empty string`);
  if (options.max && value.length > options.max) throw new AdminInputError(field, `${field} must be at most ${options.max} characters`);
  return value;
}

export function flag(value: unknown, field: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw new AdminInputError(field, `${field} must be a boolean`);
  return value;
}

function dialectParam(value: string): DialectId {
  if (!isDialectId(value)) throw new AdminInputError('dialect', `unknown dialect ${value}`);
  return value;
}

function intQuery(value: unknown, field: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new AdminInputError(field, `${field} must be an integer between 0 and ${max}`);
  return n;
}

function timeQuery(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(String(value));
  if (Number.isNaN(ms)) throw new AdminInputError(field, `${field} must be an ISO 8601 time`);
  return ms;
}

export function adminRouter(context: GatewayContext): Router {
  const router = Router();
  const admin = new AdminService(context);
  const limit = context.config.bodyLimitBytes;

  const route =
    (handler: Handler) =>
    async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      try {
        const header = req.get('authorization') ?? '';
        const match = /^Bearer\s+(\S+)$/i.exec(header);
        const verified = match ? await verifyAdminToken(context.config, match[1]) : null;
        if (!verified) return fail(res, 401, 'unauthorized', 'a valid admin token is required');
        await handler(req, res, { dialect: 'admin', actorKeyId: verified.tokenId.slice(0, 36), requestId: String(res.locals.requestId) });
      } catch (error) {
        if (error instanceof AdminInputError) return fail(res, 400, 'invalid_request', error.message, error.field);
        if (error instanceof VaultError) {
          if (error.kind === 'not_found') return fail(res, 404, 'not_found', `${(error as { resource?: string }).resource ?? 'resource'} not found`);
          if (error.kind === 'conflict') return fail(res, 409, 'conflict', 'a tenant with that name already exists', 'name');
          if (error instanceof ForbiddenError && error.reason === RESET_NOT_SANDBOX) return fail(res, 403, 'forbidden', RESET_REFUSED_MESSAGE, 'sandbox');
        }
        if (error instanceof Error && /must be|merchant id|account id/i.test(error.message) && !(error instanceof VaultError)) return fail(res, 400, 'invalid_request', error.message, 'settings');
        next(error);
      }
    };

  router.post(
    '/tenants',
    route(async (req, res, actor) => {
      const input = await body(req, limit);
      const name = text(input.name, 'name', { required: true, max: 100 })!;
      let dialects: DialectId[];
      try {
        dialects = Array.isArray(input.dialects) ? parseDialectList(input.dialects.join(',')) : parseDialectList(text(input.dialects, 'dialects'));
      } catch (error) {
        throw new AdminInputError('dialects', (error as Error).message);
      }
      if (input.settings !== undefined && !isPlainObject(input.settings)) throw new AdminInputError('settings', 'settings must be an object keyed by dialect');
      const sandbox = flag(input.sandbox, 'sandbox');
      const provisioned = await admin.createTenant({ name, dialects, settings: input.settings as Partial<Record<DialectId, Record<string, unknown>>>, sandbox }, actor);
      res.status(201).json({ tenant: tenantView(provisioned.tenant), keys: provisioned.keys });
    }),
  );
  router.get(
    '/tenants',
    route(async (_req, res) => void res.json({ tenants: (await admin.listTenants()).map(tenantView) })),
  );
  router.get(
    '/tenants/:tenant',
    route(async (req, res) => void res.json({ tenant: tenantView(await admin.getTenant(String(req.params.tenant))) })),
  );
  router.patch(
    '/tenants/:tenant',
    route(async (req, res, actor) => {
      const input = await body(req, limit);
      const change = { name: text(input.name, 'name', { max: 100 }), disabled: flag(input.disabled, 'disabled'), sandbox: flag(input.sandbox, 'sandbox') };
      const tenant = await admin.updateTenant(String(req.params.tenant), change, actor);
      res.json({ tenant: tenantView(tenant) });
    }),
  );
  for (const [path, disabled] of [['disable', true], ['enable', false]] as const) {
    router.post(
      `/tenants/:tenant/${path}`,
      route(async (req, res, actor) => void res.json({ tenant: tenantView(await admin.updateTenant(String(req.params.tenant), { disabled }, actor)) })),
    );
  }
  router.post(
    '/tenants/:tenant/reset',
    route(async (req, res, actor) => {
      // Wiping a tenant's data is not undoable: the caller must say so in the body.
      if ((await body(req, limit)).confirm !== true) throw new AdminInputError('confirm', 'confirm must be true to delete the tenant\'s customers, addresses and payment methods');
      res.json({ deleted: await admin.resetTenant(String(req.params.tenant), actor) });
    }),
  );
  router.get(
    '/tenants/:tenant/dialects',
    route(async (req, res) => void res.json({ dialects: (await admin.getTenant(String(req.params.tenant))).dialects })),
  );
  router.put(
    '/tenants/:tenant/dialects/:dialect',
    route(async (req, res, actor) => {
      const dialect = dialectParam(String(req.params.dialect));
      const input = await body(req, limit);
      if (input.enabled !== undefined && typeof input.enabled !== 'boolean') throw new AdminInputError('enabled', 'enabled must be a boolean');
      if (input.settings !== undefined && !isPlainObject(input.settings)) throw new AdminInputError('settings', 'settings must be an object');
      if (input.enabled === false) {
        const tenant = await admin.disableDialect(String(req.params.tenant), dialect, actor);
        return void res.json({ tenant: tenantView(tenant), keys: {} });
      }
      const { tenant, keys } = await admin.enableDialect(String(req.params.tenant), dialect, (input.settings as Record<string, unknown>) ?? {}, actor);
      res.json({ tenant: tenantView(tenant), keys });
    }),
  );
  router.delete(
    '/tenants/:tenant/dialects/:dialect',
    route(async (req, res, actor) => void res.json({ tenant: tenantView(await admin.disableDialect(String(req.params.tenant), dialectParam(String(req.params.dialect)), actor)) })),
  );
  router.get(
    '/tenants/:tenant/keys',
    route(async (req, res) => void res.json({ keys: (await admin.listKeys(String(req.params.tenant))).map((k) => keyView(k, context.clock.now())) })),
  );
  router.post(
    '/tenants/:tenant/keys',
    route(async (req, res, actor) => {
      const input = await body(req, limit);
      const dialect = dialectParam(text(input.dialect, 'dialect', { required: true })!);
      if (input.kind !== undefined && input.kind !== 'secret' && input.kind !== 'public') throw new AdminInputError('kind', 'kind must be secret or public');
      const { key, info } = await admin.createKey(String(req.params.tenant), dialect, input.kind as 'secret' | 'public' | undefined, actor);
      res.status(201).json({ key: keyView(info, context.clock.now()), secret: key });
    }),
  );
  router.post(
    '/tenants/:tenant/keys/:key/revoke',
    route(async (req, res, actor) => void res.json({ key: keyView(await admin.revokeKey(String(req.params.tenant), String(req.params.key), actor), context.clock.now()) })),
  );
  router.post(
    '/tenants/:tenant/keys/:key/rotate',
    route(async (req, res, actor) => {
      const input = await body(req, limit);
      const overlap = input.overlapSeconds === undefined ? 3600 : Number(input.overlapSeconds);
      if (!Number.isInteger(overlap) || overlap < 0 || overlap > 30 * 86400) throw new AdminInputError('overlapSeconds', 'overlapSeconds must be an integer between 0 and 2592000');
      const rotated = await admin.rotateKey(String(req.params.tenant), String(req.params.key), overlap, actor);
      res.json({ previous: keyView(rotated.previous, context.clock.now()), key: keyView(rotated.next, context.clock.now()), secret: rotated.key });
    }),
  );
  router.get(
    '/audit',
    route(async (req, res) => {
      const q = req.query as Record<string, unknown>;
      const result = await admin.audit({
        tenant: typeof q.tenant === 'string' ? q.tenant : undefined,
        operation: typeof q.operation === 'string' ? q.operation : undefined,
        from: timeQuery(q.from, 'from'),
        to: timeQuery(q.to, 'to'),
        limit: intQuery(q.limit, 'limit', 100, 1000),
        offset: intQuery(q.offset, 'offset', 0, 10_000_000),
      });
      res.json({ total: result.total, events: result.items.map((e) => ({ ...e, createdAt: new Date(e.createdAt).toISOString() })) });
    }),
  );
  migrationRoutes(router, route, context);
  router.use((_req, res) => fail(res, 404, 'not_found', 'no such admin route'));
  return router;
}
