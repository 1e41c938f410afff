/**
 * The Exact Payments dialect (docs/dialects/exact.md, "Contract notes"): customers and payment-method
 * tokens under the dialect's own base path `/exact`. It has no root prefixes: Exact's `/customer`
 * is shared with Stax, so at the root it is reachable only on a host name bound to it.
 */
import { createHash } from 'node:crypto';
import type { Dialect } from '../dialect';
import type { DialectSettings } from '../../core/model';
import { newObjectId } from '../../core/ids';
import { isAccountId, keyFromAuthorization } from './auth';
import { sendError } from './errors';
import { buildRouter, renderInternalError, renderNotFound } from './routes';
import { exactPreset } from './migration';

/** An Exact key is 32 lowercase hex characters, derived from the gateway's random input. */
function formatKey(random: string): string {
  return createHash('sha256').update(random).digest('hex').slice(0, 32);
}

export const exact: Dialect = {
  id: 'exact',
  migrationPreset: exactPreset,
  title: 'Exact Payments',
  rootPrefixes: [],
  keys: [{ kind: 'secret', label: 'exact', format: formatKey }],
  // §3.1: "A request id sent by the client is not reused."
  freshRequestIds: true,

  initialSettings(requested: Record<string, unknown>): DialectSettings {
    const chosen = requested.accountId;
    if (chosen !== undefined && !isAccountId(chosen)) throw new Error('exact accountId must be 24 hexadecimal characters');
    return { enabled: true, accountId: chosen === undefined ? newObjectId() : chosen.toLowerCase() };
  },

  describeTenant(settings: DialectSettings): Record<string, unknown> {
    return { exactAccountId: settings.accountId };
  },

  router: buildRouter,
  renderNotFound,
  renderInternalError,

  readCredential(req) {
    const key = keyFromAuthorization(req.headers.authorization);
    return key === null ? null : { key, kind: 'secret' };
  },

  renderRefusal(refusal, _req, res) {
    const requestId = String(res.locals.requestId);
    if (refusal.kind === 'rate_limited') return sendError(res, 'rate_limited', requestId, undefined, { 'Retry-After': String(refusal.retryAfterSeconds) });
    if (refusal.kind === 'idempotency_in_flight') return sendError(res, 'idempotency_in_flight', requestId);
    if (refusal.kind === 'idempotency_answer_lost') return sendError(res, 'idempotency_answer_lost', requestId);
    sendError(res, 'validation', requestId, [{ field: 'Idempotency-Key', type: 'custom', details: ['Idempotency-Key was already used with a different request'] }]);
  },

  exampleCurl(baseUrl: string, keys: Record<string, string>): string {
    const base = baseUrl.replace(/\/+$/, '');
    return `curl -s '${base}/exact/customer?$limit=10' -H 'Authorization: ${keys.exact ?? '<exact key>'}'`;
  },
};
