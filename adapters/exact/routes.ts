/**
 * The Exact routes (contract §1.3, E1–E14), each served twice: merchant context (`/customer…`) and
 * partner context (`/account/{accountId}/customer…`). Every request goes through the contract's
 * order of checks (§3.3): route (404/405) → key (401) → dialect enabled (403) → account (403) →
 * body size (413) → JSON and validation (400) → network token (402) → resources (404) → no-op (304).
 */
import { Router, type Request, type Response } from 'express';
import type { DialectServices, Principal } from '../dialect';
import { createAjv } from '../shared/ajv';
import { readJsonBody } from '../shared/body';
import { tolerateUndecodablePaths } from '../shared/paths';
import { isObjectIdHex, isUuid, newUuid } from '../../core/ids';
import { NotFoundError, VaultError, ConflictError, ValidationError } from '../../core/errors';
import type { Customer, CustomerAggregate, PaymentMethod } from '../../core/model';
import type { LoadOptions, TenantVault, VaultSession } from '../../core/vault/commands';
import { accountMatches, keyFromAuthorization } from './auth';
import { ExactError, sendError, validationError } from './errors';
import { canonicalSort, filterConditions, parseFilters, parsePaging, parseSort, type Paging, type QueryParams } from './query';
import { checkAttach, checkNewCustomer, checkTokenization, MALFORMED_BODY_ISSUE, type Checked } from './requests';
import { compileExactValidators, type ExactValidators } from './schemas';
import { addressFieldsFromInput, customerName, customerToWire, lookUpCustomerToWire, nameWrite, newPaymentMethodFromInput, paymentMethodToWire, type Attachment } from './translate';
import { parseCustomerUpdate, planCustomerUpdate, planIsEmpty } from './update';
import type { PathIssue } from './wire';
import { sendJson } from '../shared/send';
import { logRequestFailure } from '../shared/logging';

/** What a handler is given once the route, key, account and body checks have passed. */
interface Call {
  req: Request;
  res: Response;
  requestId: string;
  principal: Principal;
  vault: TenantVault;
  /** Parsed JSON body (POST/PUT only); undefined when the body is empty (a 400 `Required` for them). */
  body: unknown;
  params: Record<string, string>;
  query: QueryParams;
}

type Handler = (call: Call) => Promise<void>;

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export function requestIdOf(res: Response): string {
  const existing = res.locals.requestId;
  if (typeof existing === 'string' && existing !== '') return existing;
  const fresh = newUuid();
  res.locals.requestId = fresh;
  return fresh;
}

function orFail<T>(checked: Checked<T>): T {
  if (!checked.ok) throw validationError(checked.issues);
  return checked.value;
}

/** The query as plain values: Express 5 exposes it through a getter, parsed by the app's query parser. */
function queryOf(req: Request): QueryParams {
  return (req.query ?? {}) as QueryParams;
}

/** Core errors that can reach an Exact answer; everything else is a 500 without detail. */
function fromVaultError(error: VaultError): ExactError | null {
  if (error instanceof NotFoundError) {
    if (error.resource === 'customer') return new ExactError('customer_not_found');
    if (error.resource === 'payment_method' || error.resource === 'token') return new ExactError('payment_method_not_found');
    return null;
  }
  if (error instanceof ConflictError && error.rule === 'attached_elsewhere') {
    return validationError([{ field: 'token', type: 'custom', details: ['Payment method is attached to another customer'] }]);
  }
  if (error instanceof ValidationError) {
    return validationError(error.issues.map((issue): PathIssue => ({ field: issue.path, type: 'custom', details: [issue.message ?? issue.reason] })));
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Look-ups shared by the handlers (a foreign or malformed id answers like an unknown one)

async function liveCustomerById(session: VaultSession, customerId: string, forUpdate = false, details: LoadOptions['details'] = 'all'): Promise<CustomerAggregate> {
  const customer = isObjectIdHex(customerId) ? await session.loadCustomer({ by: 'objectId', objectId: customerId.toLowerCase() }, { forUpdate, details }) : null;
  if (!customer || customer.deletedAt !== null) throw new ExactError('customer_not_found');
  return customer;
}

async function livePaymentMethod(session: VaultSession, token: string, forUpdate = false): Promise<PaymentMethod> {
  const pm = isUuid(token) ? await session.findPaymentMethod({ by: 'id', id: token.toLowerCase() }, { forUpdate }) : null;
  if (!pm || pm.deletedAt !== null) throw new ExactError('payment_method_not_found');
  return pm;
}

/** A method counts as attached only while its customer is live (a deleted customer's methods are unattached tokens). */
async function attachmentOf(session: VaultSession, pm: PaymentMethod): Promise<Attachment> {
  if (pm.customerSeq === null) return { attached: false, isDefault: false };
  const customer = await session.findCustomer({ by: 'seq', seq: pm.customerSeq });
  if (!customer || customer.deletedAt !== null) return { attached: false, isDefault: false };
  return { attached: true, isDefault: customer.defaultPaymentMethodSeq === pm.seq };
}

/** Attached methods in attachment order, oldest first (§8.8; `$sort` does not apply). */
function attachedInOrder(customer: CustomerAggregate): PaymentMethod[] {
  return customer.paymentMethods
    .filter((pm) => pm.deletedAt === null && pm.customerSeq === customer.seq)
    .sort((a, b) => (a.attachedAt ?? a.createdAt) - (b.attachedAt ?? b.createdAt) || a.seq - b.seq);
}

function sendPaymentMethodPage(res: Response, customer: Customer & { paymentMethods: PaymentMethod[] }, methods: PaymentMethod[], paging: Paging): void {
  const page = methods.slice(paging.skip, paging.skip + paging.limit);
  res.setHeader('X-Total-Count', String(methods.length));
  sendJson(res, 200, page.map((pm) => paymentMethodToWire(pm, { attached: true, isDefault: customer.defaultPaymentMethodSeq === pm.seq })));
}

/**
 * Sets the customer's default pointer; the method that loses it gets a new `updatedAt` (§8.6). The
 * customer's own `updatedAt` stays: attaching and unlinking do not change it (§8.5).
 */
async function moveDefault(session: VaultSession, customer: Customer, toSeq: number | null): Promise<void> {
  const previous = customer.defaultPaymentMethodSeq;
  if (previous === toSeq) return;
  await session.updateCustomer(customer.seq, { defaultPaymentMethodSeq: toSeq }, { touch: false });
  if (previous !== null) {
    const loser = await session.findPaymentMethod({ by: 'seq', seq: previous });
    if (loser && loser.deletedAt === null) await session.updatePaymentMethod(previous, {});
  }
}

// ---------------------------------------------------------------------------------------------
// Handlers

function handlers(validators: ExactValidators, services: DialectServices) {
  const createCustomer: Handler = async ({ res, vault, body }) => {
    const input = orFail(checkNewCustomer(validators, body));
    const created = await vault.write('exact.customer.create', async (session) => {
      const customer = await session.createCustomer({ ...nameWrite(input.name, {}), email: input.email || null, phone: input.phone || null });
      for (const address of input.addresses ?? []) await session.addAddress(customer.seq, addressFieldsFromInput(address));
      return session.loadCustomer({ by: 'seq', seq: customer.seq });
    });
    if (!created) throw new Error('created customer not found');
    sendJson(res, 201, customerToWire(created));
  };

  const listCustomers: Handler = async ({ res, vault, query }) => {
    const paging = orFail(parsePaging(query));
    const filters = parseFilters(query);
    const sort = canonicalSort(parseSort(query));
    const where = filterConditions(filters);
    const { items, total } = await vault.read(async (session) => {
      if (filters.name === undefined) {
        // An Exact customer carries its addresses, not its payment methods.
        const page = await session.listCustomers({ where, sort, limit: Math.max(paging.limit, 1), offset: paging.skip, withDetails: 'addresses' });
        return { items: paging.limit === 0 ? [] : page.items, total: page.total };
      }
      // The displayed name is composed: the name indexes give the candidates (in order, without their
      // addresses), the exact matches are kept here, and only the page is loaded in full.
      const candidates = await session.listCustomers({ where, sort, limit: Number.MAX_SAFE_INTEGER, offset: 0, withDetails: false });
      const matching = candidates.items.filter((customer) => customerName(customer) === filters.name);
      const pageSeqs = matching.slice(paging.skip, paging.skip + paging.limit).map((customer) => customer.seq);
      if (pageSeqs.length === 0) return { items: [], total: matching.length };
      const page = await session.listCustomers({ where: [{ field: 'seq', op: 'in', values: pageSeqs }], sort, limit: pageSeqs.length, withDetails: 'addresses' });
      return { items: page.items, total: matching.length };
    });
    res.setHeader('X-Total-Count', String(total));
    sendJson(res, 200, items.map(customerToWire));
  };

  const getCustomer: Handler = async ({ res, vault, params }) => {
    // An Exact customer shows its addresses, never its payment methods.
    const customer = await vault.read((session) => liveCustomerById(session, params.customerId, false, 'addresses'));
    sendJson(res, 200, customerToWire(customer));
  };

  const updateCustomer: Handler = async ({ res, vault, params, body }) => {
    const update = orFail(parseCustomerUpdate(validators, body));
    const outcome = await vault.write('exact.customer.update', async (session) => {
      const customer = await liveCustomerById(session, params.customerId, true);
      const plan = orFail(planCustomerUpdate(customer, update));
      if (planIsEmpty(plan)) return 'unchanged' as const;
      if (Object.keys(plan.customer).length > 0) await session.updateCustomer(customer.seq, plan.customer);
      else await session.touchCustomer(customer.seq);
      for (const seq of plan.deleteAddressSeqs) await session.deleteAddress(seq);
      for (const { seq, patch } of plan.updateAddresses) await session.updateAddress(seq, patch);
      for (const fields of plan.addAddresses) await session.addAddress(customer.seq, fields);
      return 'changed' as const;
    });
    res.status(outcome === 'changed' ? 204 : 304).end();
  };

  const deleteCustomer: Handler = async ({ res, vault, params }) => {
    await vault.write('exact.customer.delete', async (session) => {
      const customer = await liveCustomerById(session, params.customerId, true);
      await session.deleteCustomer(customer.seq, 'soft');
    });
    res.status(204).end();
  };

  const tokenize: Handler = async ({ res, vault, body }) => {
    const checked = orFail(checkTokenization(validators, body, services.now()));
    if (checked.networkToken) throw new ExactError('network_tokens');
    const pm = await vault.write('exact.payment_method.create', (session) => session.addPaymentMethod(newPaymentMethodFromInput(checked.input)));
    sendJson(res, 200, paymentMethodToWire(pm, { attached: false, isDefault: false }));
  };

  const getPaymentMethodOrCustomerToken: Handler = async ({ res, vault, params }) => {
    const answer = await vault.read(async (session) => {
      if (!isUuid(params.token)) throw new ExactError('payment_method_not_found');
      const token = params.token.toLowerCase();
      const pm = await session.findPaymentMethod({ by: 'id', id: token });
      if (pm && pm.deletedAt === null) return paymentMethodToWire(pm, await attachmentOf(session, pm));
      const customer = await session.findCustomer({ by: 'id', id: token });
      if (customer && customer.deletedAt === null) return lookUpCustomerToWire(customer);
      throw new ExactError('payment_method_not_found');
    });
    sendJson(res, 200, answer);
  };

  const deletePaymentMethod: Handler = async ({ res, vault, params }) => {
    await vault.write('exact.payment_method.delete', async (session) => {
      const pm = await livePaymentMethod(session, params.token, true);
      await session.deletePaymentMethod(pm.seq, 'soft');
    });
    res.status(204).end();
  };

  const attach: Handler = async ({ res, vault, params, body }) => {
    const input = orFail(checkAttach(validators, body));
    const outcome = await vault.write('exact.payment_method.attach', async (session) => {
      const customer = await liveCustomerById(session, params.customerId, true);
      // Locked so that two concurrent attaches of one token cannot both see it unattached.
      let pm = await livePaymentMethod(session, input.token, true);
      if (pm.customerSeq !== null && pm.customerSeq !== customer.seq) {
        const holder = await session.findCustomer({ by: 'seq', seq: pm.customerSeq });
        if (holder && holder.deletedAt === null) throw validationError([{ field: 'token', type: 'custom', details: ['Payment method is attached to another customer'] }]);
      }
      if (pm.customerSeq === customer.seq) {
        // Re-attach: only `label` and `isDefault` can change; nothing changing is a 304 (§8.5).
        const labelChanges = input.label !== undefined && input.label !== pm.label;
        const isDefault = customer.defaultPaymentMethodSeq === pm.seq;
        const defaultChanges = input.isDefault !== undefined && input.isDefault !== isDefault;
        if (!labelChanges && !defaultChanges) return null;
        if (defaultChanges) await moveDefault(session, customer, input.isDefault ? pm.seq : null);
        pm = await session.updatePaymentMethod(pm.seq, labelChanges ? { label: input.label } : {});
        return { pm, isDefault: input.isDefault ?? isDefault };
      }
      const othersAttached = customer.paymentMethods.some((other) => other.seq !== pm.seq && other.deletedAt === null && other.customerSeq === customer.seq);
      const becomesDefault = !othersAttached || input.isDefault === true;
      pm = await session.attachPaymentMethod(pm.seq, customer.seq);
      // A label belongs to the link: a new link starts with the label sent (or none).
      pm = await session.updatePaymentMethod(pm.seq, { label: input.label ?? null });
      if (becomesDefault) await moveDefault(session, customer, pm.seq);
      return { pm, isDefault: becomesDefault };
    });
    if (!outcome) {
      res.status(304).end();
      return;
    }
    sendJson(res, 201, paymentMethodToWire(outcome.pm, { attached: true, isDefault: outcome.isDefault }));
  };

  const listAttached: Handler = async ({ res, vault, params, query }) => {
    const paging = orFail(parsePaging(query));
    const customer = await vault.read((session) => liveCustomerById(session, params.customerId));
    sendPaymentMethodPage(res, customer, attachedInOrder(customer), paging);
  };

  const listByCustomerToken: Handler = async ({ res, vault, params, query }) => {
    const paging = orFail(parsePaging(query));
    const customer = await vault.read(async (session) => {
      const found = isUuid(params.customerToken) ? await session.loadCustomer({ by: 'id', id: params.customerToken.toLowerCase() }) : null;
      if (!found || found.deletedAt !== null) throw new ExactError('customer_not_found');
      return found;
    });
    sendPaymentMethodPage(res, customer, attachedInOrder(customer), paging);
  };

  const getAttached: Handler = async ({ res, vault, params }) => {
    const answer = await vault.read(async (session) => {
      const customer = await liveCustomerById(session, params.customerId);
      const pm = await livePaymentMethod(session, params.token);
      if (pm.customerSeq !== customer.seq) throw new ExactError('payment_method_not_found');
      return paymentMethodToWire(pm, { attached: true, isDefault: customer.defaultPaymentMethodSeq === pm.seq });
    });
    sendJson(res, 200, answer);
  };

  const unlink: Handler = async ({ res, vault, params }) => {
    const changed = await vault.write('exact.payment_method.unlink', async (session) => {
      const customer = await liveCustomerById(session, params.customerId, true);
      const pm = await livePaymentMethod(session, params.token, true);
      if (pm.customerSeq !== customer.seq) return false;
      // Detaching clears the customer's default pointer when it named this method (no method is promoted, §8.6).
      await session.attachPaymentMethod(pm.seq, null);
      if (pm.label !== null) await session.updatePaymentMethod(pm.seq, { label: null });
      return true;
    });
    res.status(changed ? 204 : 304).end();
  };

  const getDefault: Handler = async ({ res, vault, params }) => {
    const answer = await vault.read(async (session) => {
      const customer = await liveCustomerById(session, params.customerId);
      const pm = attachedInOrder(customer).find((candidate) => candidate.seq === customer.defaultPaymentMethodSeq);
      if (!pm) throw new ExactError('payment_method_not_found');
      return paymentMethodToWire(pm, { attached: true, isDefault: true });
    });
    sendJson(res, 200, answer);
  };

  return {
    createCustomer,
    listCustomers,
    getCustomer,
    updateCustomer,
    deleteCustomer,
    tokenize,
    getPaymentMethodOrCustomerToken,
    deletePaymentMethod,
    attach,
    listAttached,
    listByCustomerToken,
    getAttached,
    unlink,
    getDefault,
  };
}

// ---------------------------------------------------------------------------------------------
// Router

export function buildRouter(services: DialectServices): Router {
  const validators = compileExactValidators(createAjv());
  const h = handlers(validators, services);
  const router = Router();
  // An undecodable id (`%ff`) is an unknown id (§3.3), not a 500.
  router.use(tolerateUndecodablePaths);

  // §3.1: every response carries the request id, whatever answers it.
  router.use((_req, res, next) => {
    res.setHeader('X-Request-Id', requestIdOf(res));
    next();
  });

  const run = (handler: Handler, readsBody: boolean) => async (req: Request, res: Response): Promise<void> => {
    const requestId = requestIdOf(res);
    try {
      const key = keyFromAuthorization(req.headers.authorization);
      if (key === null) throw new ExactError('unauthorized');
      const outcome = await services.authenticate(key, 'exact', 'secret', req);
      if (!outcome.ok) throw new ExactError(outcome.reason === 'dialect_disabled' ? 'no_permission' : 'unauthorized');
      const principal = outcome.principal;
      const params = req.params as Record<string, string>;
      if (params.accountId !== undefined && !accountMatches(params.accountId, principal.tenant.dialects.exact?.accountId)) {
        throw new ExactError('account_not_found');
      }
      let body: unknown;
      if (readsBody) {
        const read = await readJsonBody(req, services.bodyLimitBytes);
        if (!read.ok) {
          if (read.reason === 'too_large') throw new ExactError('payload_too_large');
          throw validationError([MALFORMED_BODY_ISSUE]);
        }
        body = read.value;
      }
      const vault = services.vault(principal, res);
      await handler({ req, res, requestId, principal, vault, body, params, query: queryOf(req) });
    } catch (error) {
      let answer: ExactError | null = error instanceof ExactError ? error : error instanceof VaultError ? fromVaultError(error) : null;
      if (!answer) {
        logRequestFailure(services.logger, res, error, 'exact request failed');
        answer = new ExactError('unhandled');
      }
      if (res.headersSent) return;
      sendError(res, answer.errorName, requestId, answer.pathIssues, answer.headers);
    }
  };

  const methodNotAllowed = (allowed: Method[]) => (_req: Request, res: Response): void => {
    sendError(res, 'method_not_allowed', requestIdOf(res), undefined, { Allow: allowed.join(', ') });
  };

  const serve = (path: string, methods: Partial<Record<Method, [Handler, boolean]>>): void => {
    for (const prefix of ['', '/account/:accountId']) {
      const route = router.route(prefix + path);
      for (const [method, [handler, readsBody]] of Object.entries(methods) as Array<[Method, [Handler, boolean]]>) {
        const fn = run(handler, readsBody);
        if (method === 'GET') route.get(fn);
        else if (method === 'POST') route.post(fn);
        else if (method === 'PUT') route.put(fn);
        else route.delete(fn);
      }
      route.all(methodNotAllowed(Object.keys(methods) as Method[]));
    }
  };

  serve('/customer', { GET: [h.listCustomers, false], POST: [h.createCustomer, true] });
  serve('/customer/:customerId', { GET: [h.getCustomer, false], PUT: [h.updateCustomer, true], DELETE: [h.deleteCustomer, false] });
  serve('/customer/:customerId/payment-method', { GET: [h.listAttached, false], POST: [h.attach, true] });
  // The literal `default` is matched before `{token}` (§4.14).
  serve('/customer/:customerId/payment-method/default', { GET: [h.getDefault, false] });
  serve('/customer/:customerId/payment-method/:token', { GET: [h.getAttached, false], DELETE: [h.unlink, false] });
  serve('/payment-method', { POST: [h.tokenize, true] });
  serve('/payment-method/:token', { GET: [h.getPaymentMethodOrCustomerToken, false], DELETE: [h.deletePaymentMethod, false] });
  serve('/customer-token/:customerToken/payment-method', { GET: [h.listByCustomerToken, false] });
  return router;
}

export function renderNotFound(_req: Request, res: Response): void {
  sendError(res, 'route_not_found', requestIdOf(res));
}

export function renderInternalError(_req: Request, res: Response): void {
  if (res.headersSent) return;
  sendError(res, 'unhandled', requestIdOf(res));
}
