/**
 * Per-request guards the gateway runs in front of every dialect: rate limits per key and tenant,
 * a slow-down for addresses that keep sending bad credentials, and Idempotency-Key replays for
 * POST and PUT. Refusals are rendered by the dialect, in its own envelope.
 */
import type { NextFunction, Request, Response } from 'express';
import type { AuthOutcome, Dialect } from '../adapters/dialect';
import type { ApiKeyKind, DialectId } from '../core/model';
import { readRawBody } from '../adapters/shared/body';
import { IdempotencyStore, requestFingerprint } from '../core/idempotency';
import { errorFacts } from '../core/logger';
import type { IdempotencyFence } from '../core/idempotencyFence';
import type { GatewayContext } from './context';
import type { RateLimiter } from './rateLimits';

const NOT_REPLAYED_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'etag']);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function pathOf(req: Request): string {
  return req.originalUrl.split('?')[0];
}

/**
 * Holds the response back until it is stored as the replay of its Idempotency-Key: a client that
 * retries the moment it has the answer must find the stored answer, never "still in progress".
 */
function storeBeforeSending(res: Response, store: (status: number, body: Buffer) => Promise<void>, fenceLost: () => boolean, onFenceLost: () => void): void {
  const chunks: Buffer[] = [];
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  const keep = (chunk: unknown) => {
    if (typeof chunk === 'string') chunks.push(Buffer.from(chunk));
    else if (Buffer.isBuffer(chunk) || chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
  };
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk);
    return write(chunk, ...rest);
  }) as Response['write'];
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    // The write found its key taken over by a retry and rolled back (the adapter saw an internal
    // error): the answer is the in-flight refusal, and nothing of it is stored.
    if (fenceLost() && !res.headersSent) {
      res.write = write as Response['write'];
      res.end = end as Response['end'];
      onFenceLost();
      return res;
    }
    if (typeof chunk !== 'function') keep(chunk);
    void store(res.statusCode, Buffer.concat(chunks)).finally(() => end(chunk, ...rest));
    return res;
  }) as Response['end'];
}

/** What the guard resolved for a request's key, handed to the dialect so it is not resolved twice. */
interface Resolved {
  key: string;
  dialect: DialectId;
  kind: ApiKeyKind;
  outcome: AuthOutcome;
}
const resolvedKeys = new WeakMap<Request, Resolved>();

/** The key's outcome for this request: the guard's when it resolved this very key, else a look-up. */
export function authenticateOnce(context: GatewayContext, key: string, dialect: DialectId, kind: ApiKeyKind, req: Request): Promise<AuthOutcome> {
  const resolved = resolvedKeys.get(req);
  if (resolved && resolved.key === key && resolved.dialect === dialect && resolved.kind === kind) return Promise.resolve(resolved.outcome);
  return context.credentials.authenticate(key, dialect, kind);
}

export function dialectGuard(dialect: Dialect, context: GatewayContext, limiter: RateLimiter, idempotency: IdempotencyStore) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      if (!dialect.readCredential || !dialect.renderRefusal) return next();
      const credential = dialect.readCredential(req);
      const outcome = credential ? await context.credentials.authenticate(credential.key, dialect.id, credential.kind) : null;
      if (credential && outcome) resolvedKeys.set(req, { key: credential.key, dialect: dialect.id, kind: credential.kind, outcome });
      if (!outcome?.ok) {
        const delay = limiter.penalty(req.ip ?? 'unknown');
        if (delay > 0) await sleep(delay);
        return next();
      }
      const { principal } = outcome;
      res.locals.tenantId = principal.tenant.id; // for this request's log lines, refusals below included
      const wait = limiter.admit(principal.keyId, principal.tenant.id);
      if (wait > 0) {
        res.setHeader('Retry-After', String(wait));
        return dialect.renderRefusal({ kind: 'rate_limited', retryAfterSeconds: wait }, req, res);
      }
      const key = req.get('Idempotency-Key');
      if (key === undefined || (req.method !== 'POST' && req.method !== 'PUT')) return next();
      if (key.length === 0 || key.length > 255) return dialect.renderRefusal({ kind: 'idempotency_mismatch' }, req, res);
      const raw = await readRawBody(req, context.config.bodyLimitBytes);
      if (raw === 'too_large') return next();
      const path = pathOf(req);
      const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
      const start = await idempotency.begin({ tenantId: principal.tenant.id, dialect: dialect.id, method: req.method, path, key }, requestFingerprint(req.method, path + query, raw));
      switch (start.kind) {
        case 'mismatch':
          return dialect.renderRefusal({ kind: 'idempotency_mismatch' }, req, res);
        case 'in_flight':
          return dialect.renderRefusal({ kind: 'idempotency_in_flight' }, req, res);
        case 'answer_lost':
          return dialect.renderRefusal({ kind: 'idempotency_answer_lost' }, req, res);
        case 'replay': {
          // A replay is the first response, headers and body as they were, request ids included (so
          // Exact's X-Request-Id still equals the body's requestId and names the request that did the work).
          for (const [name, value] of Object.entries(start.headers)) if (name !== '__request_id') res.setHeader(name, value);
          res.setHeader('Idempotent-Replayed', 'true');
          res.status(start.status).end(start.body);
          return;
        }
        case 'proceed': {
          const fence: IdempotencyFence = { recordId: start.recordId, lost: false, now: () => context.clock.now(), crashAfterCommit: context.config.crashAfterIdempotentCommit };
          const renderRefusal = dialect.renderRefusal.bind(dialect);
          storeBeforeSending(res, async (status, body) => {
            try {
              if (status >= 500) await idempotency.abandon(start.recordId);
              else {
                const headers = Object.fromEntries(
                  Object.entries(res.getHeaders())
                    .filter(([name]) => !NOT_REPLAYED_HEADERS.has(name.toLowerCase()))
                    .map(([name, value]) => [name, String(value)]),
                );
                // Stored with the store's own time limit, not the request's deadline: an answer is kept even
                // when the request used up its time, since without it a retry could only be refused.
                await idempotency.complete(start.recordId, status, { ...headers, __request_id: String(res.locals.requestId) }, body.toString('utf8'));
              }
            } catch (error) {
              context.logger.error({ requestId: res.locals.requestId, tenantId: principal.tenant.id, error: errorFacts(error) }, 'could not store idempotent response');
            }
          }, () => fence.lost, () => {
            res.removeHeader('Content-Length');
            renderRefusal({ kind: 'idempotency_in_flight' }, req, res);
          });
          // The request's vault carries the fence into each of its write transactions (gateway/app.ts).
          res.locals.idempotencyFence = fence;
          return next();
        }
      }
    } catch (error) {
      next(error);
    }
  };
}
