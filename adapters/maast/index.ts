/**
 * The Maast (formerly Qualpay) Platform Customer Vault dialect: `/platform/vault/customer…` with
 * `{code,message,data}` envelopes, HTTP Basic credentials, and the tenant's merchant id as `node_id`.
 * Contract: shared/dialects/maast.md. User documentation: docs/dialects/maast.md.
 */
import type { Dialect } from '../dialect';
import { internalError, serviceNotFound } from './errors';
import { sendError } from './envelope';
import { buildRouter } from './routes';
import { formatMaastKey, initialMaastSettings } from './settings';

export const maast: Dialect = {
  id: 'maast',
  title: 'Maast Customer Vault',
  rootPrefixes: ['/platform'],
  keys: [{ kind: 'secret', label: 'maast', format: formatMaastKey }],
  initialSettings: initialMaastSettings,
  describeTenant: (settings) => ({ maastMerchantId: settings.merchantId }),
  router: buildRouter,
  renderNotFound: (_req, res) => sendError(res, serviceNotFound()),
  renderInternalError: (_req, res) => sendError(res, internalError()),
  exampleCurl: (baseUrl, keys) => `curl -sS -u ':${keys.maast ?? '<maast key>'}' ${baseUrl.replace(/\/+$/, '')}/platform/vault/customer`,
};
