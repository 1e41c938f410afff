/**
 * The Express application: request ids, access log, security headers, health, and every dialect
 * mounted at its base path (`/maast`, `/fluidpay`, `/exact`, `/stax`), at its unique root prefixes
 * (`/platform`, `/api`), and at the root of any host name the operator binds to it.
 */
import express, { type ErrorRequestHandler, type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import { randomUUID } from 'node:crypto';
import type { Dialect, DialectServices } from '../adapters/dialect';
import { DIALECTS } from '../adapters/registry';
import type { GatewayContext } from './context';
import { errorFacts, scrubDigits } from '../core/logger';
import { IdempotencyStore } from '../core/idempotency';
import type { IdempotencyFence } from '../core/idempotencyFence';
import { authenticateOnce, dialectGuard } from './guards';
import { adminRouter } from './admin/routes';
import { RateLimiter } from './rateLimits';
import { readyKeys } from './readiness';
import { sandboxRules } from './sandbox';

function servicesFor(dialect: Dialect, context: GatewayContext): DialectServices {
  return {
    authenticate: async (key, dialectId, kind, req) => {
      const outcome = await authenticateOnce(context, key, dialectId, kind, req);
      // For the log lines of this request (access log, failures): whose it is, or why it was refused.
      if (req.res) {
        if (outcome.ok) req.res.locals.tenantId = outcome.principal.tenant.id;
        else req.res.locals.authRefusal = outcome.reason;
      }
      return outcome;
    },
    vault: (principal, res) =>
      context.vault.forTenant(principal.tenant, {
        dialect: dialect.id,
        actorKeyId: principal.keyId,
        requestId: res.locals.requestId as string,
        deadline: res.locals.deadline as number,
        idempotencyFence: res.locals.idempotencyFence as IdempotencyFence | undefined,
      }),
    sandbox: sandboxRules,
    logger: context.logger.child({ dialect: dialect.id }),
    bodyLimitBytes: context.config.bodyLimitBytes,
    now: () => context.clock.now(),
  };
}

/**
 * An incoming `X-Request-Id` that is adopted as the request's id: at most 36 characters (a UUID's
 * length, what the audit event's column holds) of letters, digits and `._:-`, so it can break no
 * header, log line or SQL. Anything else is replaced by a fresh UUID.
 */
const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,36}$/;

const requestContext = (limitMs: number) => (req: Request, res: Response, next: NextFunction): void => {
  const incoming = req.get('X-Request-Id');
  const adopted = incoming !== undefined && WELL_FORMED_REQUEST_ID.test(incoming);
  res.locals.requestId = adopted ? incoming : randomUUID();
  res.locals.requestIdFromClient = adopted;
  // On every answer of every dialect and of the admin API (an idempotent replay repeats its first answer's).
  res.setHeader('X-Request-Id', res.locals.requestId as string);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  // The request's vault ends every database call by this deadline (core/persistence/store.ts).
  res.locals.deadline = Date.now() + limitMs;
  next();
};

function accessLog(context: GatewayContext) {
  // The access line is built only from fields that cannot hold a secret: the request id (ours, or a
  // well-formed one the client sent), the dialect id, the tenant id, the method (Node's parser accepts
  // only known ones), the path with card-like digit runs masked, the status, the time and, for a refused
  // credential, the reason (one of ours). Its logger therefore skips the path redaction that every
  // other line goes through (≈ 10 µs of a ≈ 12 µs line, measured: about a twentieth of a get).
  const access = context.logger.child({}, { redact: { paths: [], censor: '[redacted]' } });
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      access.info(
        {
          requestId: res.locals.requestId,
          dialect: res.locals.dialect,
          method: req.method,
          // The path only (query strings may carry customer data), with card-like digit runs
          // masked: clients choose path ids, and a card number can be one.
          path: scrubDigits(req.originalUrl.split('?')[0]),
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          tenantId: res.locals.tenantId,
          reason: refusalReason(res),
        },
        'request',
      );
    });
    next();
  };
}

/**
 * Why a credential was refused, for the access line: the resolver's reason; for a 401 the resolver
 * never saw, no credential in the dialect's form (or, on the admin API, no valid admin token).
 */
function refusalReason(res: Response): string | undefined {
  if (typeof res.locals.authRefusal === 'string') return res.locals.authRefusal;
  if (res.statusCode !== 401) return undefined;
  return res.locals.dialect ? 'no_credential' : 'invalid_admin_token';
}

/** `platform` of `/platform/vault/customer?x=1`, lower-cased; `''` for `/`. */
function firstSegment(url: string): string {
  let end = 1;
  while (end < url.length) {
    const c = url.charCodeAt(end);
    if (c === 47 /* / */ || c === 63 /* ? */) break;
    end += 1;
  }
  return url.slice(1, end).toLowerCase();
}

/** Whether `url` is under `prefix` as Express's mount match sees it (case-insensitive, whole segments). */
function isUnder(url: string, prefix: string): boolean {
  if (url.length < prefix.length || url.slice(0, prefix.length).toLowerCase() !== prefix) return false;
  const next = url.charCodeAt(prefix.length);
  return url.length === prefix.length || next === 47 /* / */ || next === 63 /* ? */;
}

interface DialectEntry {
  dialect: Dialect;
  router: Router;
  guard: ReturnType<typeof dialectGuard>;
}

const tagDialect = (dialect: Dialect) => (_req: Request, res: Response, next: NextFunction) => {
  res.locals.dialect = dialect.id;
  if (dialect.freshRequestIds && res.locals.requestIdFromClient) {
    res.locals.requestId = randomUUID();
    res.locals.requestIdFromClient = false;
    res.setHeader('X-Request-Id', res.locals.requestId as string);
  }
  next();
};

export function createApp(context: GatewayContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'extended');
  app.use(requestContext(context.config.databaseTimeouts.requestMs));
  app.use(accessLog(context));

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    if (!(await context.store.ping(context.config.databaseTimeouts.readyMs))) return void res.status(503).json({ status: 'database unreachable' });
    await readyKeys(context, res);
  });

  app.use('/admin/v1', adminRouter(context));

  const limiter = new RateLimiter(context.config.rateLimits, () => context.clock.now());
  const idempotency = new IdempotencyStore(context.store, () => context.clock.now());
  const routers = new Map<string, DialectEntry>();
  for (const dialect of DIALECTS) {
    routers.set(dialect.id, { dialect, router: dialect.router(servicesFor(dialect, context)), guard: dialectGuard(dialect, context, limiter, idempotency) });
  }

  /** The whole dialect for a request that is its own: tag, guards, routes, else its not-found answer. */
  const serveDialect = (entry: DialectEntry, req: Request, res: Response, next: NextFunction) =>
    tagDialect(entry.dialect)(req, res, () =>
      entry.guard(req, res, (guardError?: unknown) =>
        guardError ? next(guardError) : entry.router(req, res, (err?: unknown) => (err ? next(err) : entry.dialect.renderNotFound(req, res))),
      ),
    );

  // Host names bound to one dialect: the whole host is that dialect's root.
  const hostBound = Object.entries(context.config.hostDialects);
  if (hostBound.length > 0) {
    app.use((req, res, next) => {
      const bound = context.config.hostDialects[(req.hostname ?? '').toLowerCase()];
      const entry = bound ? routers.get(bound) : undefined;
      if (!entry) return next();
      serveDialect(entry, req, res, next);
    });
  }

  // Root prefixes (`/platform`, `/api`) go straight to their dialect, found by the first path
  // segment and matched as Express's mount would (case-insensitively), instead of through every
  // other dialect's mount and, for FluidPay, the whole Maast router.
  const byFirstSegment = new Map<string, Array<{ prefix: string; entry: DialectEntry }>>();
  for (const entry of routers.values()) {
    for (const prefix of entry.dialect.rootPrefixes) {
      const lower = prefix.toLowerCase();
      const segment = firstSegment(lower);
      byFirstSegment.set(segment, [...(byFirstSegment.get(segment) ?? []), { prefix: lower, entry }]);
    }
  }
  app.use((req, res, next) => {
    const match = byFirstSegment.get(firstSegment(req.url))?.find(({ prefix }) => isUnder(req.url, prefix));
    if (!match) return next();
    serveDialect(match.entry, req, res, next);
  });

  for (const { dialect, router, guard } of routers.values()) {
    app.use(`/${dialect.id}`, tagDialect(dialect), guard, router, (req: Request, res: Response) => dialect.renderNotFound(req, res));
  }

  app.use((_req, res) => void res.status(404).json({ error: 'not found' }));

  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    context.logger.error({ requestId: res.locals.requestId, dialect: res.locals.dialect, tenantId: res.locals.tenantId, error: errorFacts(err) }, 'unhandled error');
    if (res.headersSent) return;
    const entry = res.locals.dialect ? routers.get(res.locals.dialect as string) : undefined;
    if (entry) entry.dialect.renderInternalError(req, res);
    else res.status(500).json({ error: 'internal server error' });
  };
  app.use(onError);
  return app;
}
