/**
 * The FluidPay-style ("NMI-style") customer vault dialect: `/api/vault/customer…` with
 * `{status,msg,data}` envelopes, raw `api_…` keys in `Authorization`, `pub_…` keys for the tokenizer.
 * User guide, and the contract sections (§) comments here cite: docs/dialects/fluidpay.md ("Contract notes").
 */
import type { Dialect } from '../dialect';
import type { DialectSettings } from '../../core/model';
import { newObjectId, objectIdToXid } from '../../core/ids';
import { keyFromAuthorization } from './auth';
import { FluidPayError, internalError, notFound } from './errors';
import { buildRouter, setCorrelationId } from './routes';
import { sendJson } from '../shared/send';
import { fluidpayPreset } from './migration';

/** An operator-chosen owner id: what the provider shows (`testmerchant12345678`), letters and digits. */
const OWNER_ID = /^[A-Za-z0-9]{1,40}$/;

export const fluidpay: Dialect = {
  id: 'fluidpay',
  migrationPreset: fluidpayPreset,
  title: 'FluidPay-style (NMI-style) Customer Vault',
  rootPrefixes: ['/api'],
  keys: [
    { kind: 'secret', label: 'fluidpay', format: (random) => `api_${random}` },
    { kind: 'public', label: 'fluidpay_public', format: (random) => `pub_${random}` },
  ],
  initialSettings(requested: Record<string, unknown>): DialectSettings {
    const ownerId = requested.ownerId;
    if (ownerId !== undefined && (typeof ownerId !== 'string' || !OWNER_ID.test(ownerId))) {
      throw new Error('fluidpay ownerId must be 1-40 characters of a-z, A-Z, 0-9');
    }
    return { enabled: true, ownerId: ownerId ?? objectIdToXid(newObjectId()) };
  },
  describeTenant: (settings) => ({ fluidpayOwnerId: settings.ownerId }),
  router: buildRouter,
  renderNotFound(_req, res) {
    setCorrelationId(res);
    sendJson(res, 404, notFound().body());
  },
  renderInternalError(_req, res) {
    setCorrelationId(res);
    sendJson(res, 500, internalError().body());
  },
  readCredential(req) {
    const key = keyFromAuthorization(req.headers.authorization);
    if (key === null) return null;
    // The tokenizer is the one route for public keys (contract §2.1).
    return { key, kind: /\/api\/tokenizer\/token\/?$/.test(req.originalUrl.split('?')[0]) ? 'public' : 'secret' };
  },
  renderRefusal(refusal, _req, res) {
    setCorrelationId(res);
    // Not in the provider's table (polyvault's gateway guards, docs/security.md); same envelope.
    const error =
      refusal.kind === 'rate_limited'
        ? new FluidPayError(429, 'too many requests')
        : refusal.kind === 'idempotency_in_flight'
          ? new FluidPayError(409, 'a request with this Idempotency-Key is in progress')
          : refusal.kind === 'idempotency_answer_lost'
            ? new FluidPayError(409, 'the request with this Idempotency-Key was carried out, but its response was lost; it is not carried out again')
            : new FluidPayError(400, 'bad request error: Idempotency-Key: already used with a different request');
    sendJson(res, error.httpStatus, error.body());
  },
  exampleCurl(baseUrl, keys) {
    return [
      `curl -s -X POST '${baseUrl}/api/vault/customer/search'`,
      `-H 'Authorization: ${keys.fluidpay ?? 'api_…'}'`,
      `-H 'Content-Type: application/json'`,
      `-d '{"limit": 10}'`,
    ].join(' \\\n  ');
  },
};
