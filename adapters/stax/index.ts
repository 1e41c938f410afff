/**
 * The Stax ("UUID-customer") dialect: Stax Payments' (formerly Fattmerchant) customer and
 * payment-method API (docs/dialects/stax.md, "Contract notes"). Served only under `/stax` (and on a
 * host name bound to it): Exact uses the same `/customer` paths, so there is no root prefix.
 */
import type { Dialect } from '../dialect';
import type { DialectSettings } from '../../core/model';
import { isUuid, newUuid } from '../../core/ids';
import { bearerKey } from './auth';
import { sendGuardRefusal, STAX_ERRORS } from './errors';
import { staxRouter } from './routes';
import { sendJson } from '../shared/send';
import { staxPreset } from './migration';

/** The tenant's Stax `merchant_id` (§5): a lower-case UUID v4, chosen by the operator or generated. */
function merchantIdFrom(requested: Record<string, unknown>): string {
  const value = requested.merchantId;
  if (value === undefined || value === null || value === '') return newUuid();
  if (typeof value !== 'string' || !isUuid(value)) throw new Error('stax merchantId must be a UUID');
  return value.toLowerCase();
}

export const stax: Dialect = {
  id: 'stax',
  migrationPreset: staxPreset(),
  title: 'Stax (Fattmerchant) customers',
  rootPrefixes: [],
  // Stax keys are opaque to clients; the 32 random characters are used as they are.
  keys: [{ kind: 'secret', label: 'stax', format: (random) => random }],
  initialSettings: (requested) => ({ enabled: true, merchantId: merchantIdFrom(requested) }),
  describeTenant: (settings: DialectSettings) => ({ staxMerchantId: settings.merchantId }),
  router: (services) => staxRouter(services),
  renderNotFound: (_req, res) => void sendJson(res, STAX_ERRORS.routeNotFound.status, STAX_ERRORS.routeNotFound.body),
  renderInternalError: (_req, res) => void sendJson(res, STAX_ERRORS.internal.status, STAX_ERRORS.internal.body),
  readCredential: (req) => {
    const key = bearerKey(req.headers.authorization);
    return key === null ? null : { key, kind: 'secret' };
  },
  renderRefusal: (refusal, _req, res) => sendGuardRefusal(res, refusal),
  exampleCurl: (baseUrl, keys) =>
    `curl -s ${baseUrl.replace(/\/$/, '')}/stax/customer -H 'Authorization: Bearer ${keys.stax ?? '<stax key>'}' -H 'Accept: application/json'`,
};
