/**
 * The Maast (formerly Qualpay) Platform Customer Vault dialect: `/platform/vault/customer…` with
 * `{code,message,data}` envelopes, HTTP Basic credentials, and the tenant's merchant id as `node_id`.
 * User documentation, and the contract sections (§) comments here cite: docs/dialects/maast.md ("Contract notes").
 */
import type { Dialect } from '../dialect';
import { parseBasicCredentials } from './auth';
import { fieldFailed, internalError, MaastCode, MaastError, serviceNotFound } from './errors';
import { sendError } from './envelope';
import { buildRouter } from './routes';
import { formatMaastKey, initialMaastSettings } from './settings';
import { maastPreset } from './migration';

export const maast: Dialect = {
  id: 'maast',
  migrationPreset: maastPreset,
  title: 'Maast Customer Vault',
  rootPrefixes: ['/platform'],
  keys: [{ kind: 'secret', label: 'maast', format: formatMaastKey }],
  initialSettings: initialMaastSettings,
  describeTenant: (settings) => ({ maastMerchantId: settings.merchantId }),
  router: buildRouter,
  renderNotFound: (_req, res) => sendError(res, serviceNotFound()),
  renderInternalError: (_req, res) => sendError(res, internalError()),
  readCredential: (req) => {
    const credentials = parseBasicCredentials(req.headers.authorization);
    return credentials ? { key: credentials.key, kind: 'secret' } : null;
  },
  // Not in the provider's table (polyvault's gateway guards, docs/security.md): the provider publishes
  // only six codes, and 99 ("server problem", retry later) is the one a client already retries on.
  // Idempotency conflicts are not server problems: they carry code 409 (no Maast code, so no Maast
  // meaning), beside HTTP 409, see docs/dialects/maast.md.
  renderRefusal: (refusal, _req, res) =>
    sendError(
      res,
      refusal.kind === 'rate_limited'
        ? new MaastError(429, { code: MaastCode.internal, message: 'Too many requests' })
        : refusal.kind === 'idempotency_in_flight'
          ? new MaastError(409, { code: MaastCode.idempotencyConflict, message: 'A request with this Idempotency-Key is in progress' })
          : refusal.kind === 'idempotency_answer_lost'
            ? new MaastError(409, { code: MaastCode.idempotencyConflict, message: 'The request with this Idempotency-Key was carried out, but its response was lost; it is not carried out again' })
            : fieldFailed('Idempotency-Key', 'Idempotency-Key was already used with a different request'),
    ),
  exampleCurl: (baseUrl, keys) => `curl -sS -u ':${keys.maast ?? '<maast key>'}' ${baseUrl.replace(/\/+$/, '')}/platform/vault/customer`,
};
