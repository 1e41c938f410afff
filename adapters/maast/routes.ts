/**
 * The Maast router: the fifteen routes at the provider's full paths, each running the contract's
 * order of checks (§3.5): route match (Express; unmatched paths reach `renderNotFound`),
 * credentials (E1/E2), body (E6), merchant scope (E3), then the operation itself.
 */
import { Router, type Request, type Response } from 'express';
import type { DialectServices } from '../dialect';
import { isPlainObject, readJsonBody } from '../shared/body';
import { resolvePrincipal } from './auth';
import { MaastError, Message, fieldFailed, serviceNotFound, toMaastError } from './errors';
import { sendError, sendSuccess } from './envelope';
import * as ops from './operations';
import { checkMerchantScope } from './scope';
import { createSchemaChecker } from './schemaCheck';
import { merchantIdOf } from './settings';
import type { Body, RuleContext } from './validate';
import { tolerateUndecodablePaths } from '../shared/paths';
import { logRequestFailure } from '../shared/logging';

type Method = 'get' | 'post' | 'put' | 'delete';

const CUSTOMER = '/platform/vault/customer';
const ONE = `${CUSTOMER}/:customer_id`;

/** Method, path, operation. POST and PUT routes read a JSON body; GET and DELETE ignore one. */
const ROUTES: Array<[Method, string, ops.Operation]> = [
  ['post', CUSTOMER, ops.addCustomer],
  ['get', CUSTOMER, ops.browseCustomers],
  ['get', ONE, ops.getCustomer],
  ['put', ONE, ops.updateCustomer],
  ['delete', ONE, ops.deleteCustomer],
  ['post', `${ONE}/billing`, ops.addBillingCard],
  ['get', `${ONE}/billing`, ops.getBillingCards],
  ['put', `${ONE}/billing`, ops.updateBillingCard],
  ['put', `${ONE}/billing/delete`, ops.deleteBillingCard],
  ['put', `${ONE}/billing/primary`, ops.setPrimaryBillingCard],
  ['post', `${ONE}/shipping`, ops.addShippingAddress],
  ['get', `${ONE}/shipping`, ops.getShippingAddresses],
  ['put', `${ONE}/shipping`, ops.updateShippingAddress],
  ['delete', `${ONE}/shipping/:id`, ops.deleteShippingAddress],
  ['put', `${ONE}/shipping/primary`, ops.setPrimaryShippingAddress],
];

/** The body of a POST/PUT, or the E6 answer. An empty body is not a JSON object. */
async function readBody(req: Request, limitBytes: number): Promise<Body | MaastError> {
  const parsed = await readJsonBody(req, limitBytes);
  if (!parsed.ok) {
    if (parsed.reason === 'too_large') return fieldFailed('body', `Request body must be at most ${limitBytes} bytes`);
    return fieldFailed('body', Message.malformedBody);
  }
  if (parsed.empty || !isPlainObject(parsed.value)) return fieldFailed('body', Message.notAnObject);
  return parsed.value;
}

function queryOf(req: Request): URLSearchParams {
  const question = req.originalUrl.indexOf('?');
  return new URLSearchParams(question < 0 ? '' : req.originalUrl.slice(question + 1));
}

export function buildRouter(services: DialectServices): Router {
  const router = Router({ caseSensitive: true });
  // `%ff` in a customer id is an id that names nothing (E5/E11), not a server error.
  router.use(tolerateUndecodablePaths);
  const rules: RuleContext = {
    schemas: createSchemaChecker(),
    declinesVerification: (pan) => services.sandbox.declinesVerification(pan),
  };

  const serve = (operation: ops.Operation, hasBody: boolean) => async (req: Request, res: Response) => {
    const requestId = String(res.locals.requestId ?? '');
    try {
      const principal = await resolvePrincipal(services, req);
      if (principal instanceof MaastError) return sendError(res, principal);
      let body: Body | undefined;
      if (hasBody) {
        const read = await readBody(req, services.bodyLimitBytes);
        if (read instanceof MaastError) return sendError(res, read);
        body = read;
      }
      const merchantId = merchantIdOf(principal.tenant);
      const query = queryOf(req);
      const scope = checkMerchantScope(merchantId, query, body);
      if (scope.forbidden) return sendError(res, scope.forbidden);
      const reply = await operation({
        vault: services.vault(principal, res),
        merchantId,
        params: req.params as Record<string, string>,
        query,
        body,
        scope,
        rules,
        now: () => services.now(),
      });
      sendSuccess(res, reply.data, reply.paging);
    } catch (error) {
      const answer = toMaastError(error);
      if (answer.status === 500) logRequestFailure(services.logger, res, error, 'maast request failed');
      sendError(res, answer);
    }
  };

  for (const [method, path, operation] of ROUTES) router[method](path, serve(operation, method === 'post' || method === 'put'));
  // Any other method on these paths (OPTIONS, PATCH, …) is E4 like an unknown path, not Express's
  // automatic `Allow` answer.
  for (const path of new Set(ROUTES.map(([, path]) => path))) router.all(path, (_req, res) => sendError(res, serviceNotFound()));
  return router;
}
