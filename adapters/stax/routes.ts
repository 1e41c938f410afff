/**
 * The Stax routes S1–S11 (contract §1.2, §4). Checks run in the contract's order (§3.2):
 * route (404/405) → key (401) → dialect enabled (403) → body size and JSON (413/400) → the path's
 * resource (404) → validation (422) → the write. Every write is one core transaction, so a refusal
 * found inside it (404, 422) leaves nothing behind.
 */
import { Router, type Request, type Response } from 'express';
import type { DialectServices, Principal } from '../dialect';
import type { CustomerAggregate, PaymentMethod } from '../../core/model';
import type { LoadOptions, TenantVault, VaultSession } from '../../core/vault/commands';
import { isUuid } from '../../core/ids';
import { displayName } from '../../core/names';
import { isPlainObject, readJsonBody } from '../shared/body';
import { logRequestFailure } from '../shared/logging';
import { authenticateStax } from './auth';
import { answerError, sendFieldErrors, sendStaxError, StaxRefusal, type StaxErrorName } from './errors';
import { customerQueryFrom, paginate, parseListParams } from './list';
import {
  addressPatchFrom,
  customerPatchFrom,
  defaultAddress,
  nameFieldsOf,
  newAddressFrom,
  newCustomerFrom,
  newPaymentMethodFrom,
  paymentMethodPatchFrom,
  toStaxCustomer,
  toStaxPaymentMethod,
} from './translate';
import { createValidators, MESSAGES, RANK, type StaxValidators } from './validate';
import { sendJson } from '../shared/send';

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface Call {
  req: Request;
  res: Response;
  /** The `{id}` of the path, when the route has one. */
  id: string;
  /** The parsed JSON object body (routes that read one), `{}` when the body is empty. */
  body: Record<string, unknown>;
  principal: Principal;
  vault: TenantVault;
}

interface Endpoint {
  readsBody: boolean;
  handle(call: Call): Promise<void>;
}

interface Route {
  pattern: RegExp;
  methods: Partial<Record<HttpMethod, Endpoint>>;
}

const SEGMENT = '([^/]+)';
/** Every route accepts a trailing slash (§1.1). */
const path = (source: string): RegExp => new RegExp(`^${source}/?$`);

function merchantIdOf(principal: Principal): string {
  const merchantId = principal.tenant.dialects.stax?.merchantId;
  return typeof merchantId === 'string' ? merchantId : '';
}

/** Path ids are UUIDs looked up without regard to case; anything else is simply unknown (§4). */
const asUuid = (id: string): string | null => (isUuid(id) ? id.toLowerCase() : null);

async function loadCustomerOrRefuse(session: VaultSession, id: string, options: LoadOptions): Promise<CustomerAggregate> {
  const uuid = asUuid(id);
  const customer = uuid === null ? null : await session.loadCustomer({ by: 'id', id: uuid }, options);
  if (!customer) throw StaxRefusal.notFound('customerNotFound');
  return customer;
}

async function reloadCustomer(session: VaultSession, seq: number): Promise<CustomerAggregate> {
  const customer = await session.loadCustomer({ by: 'seq', seq }, { includeDeleted: true });
  if (!customer) throw StaxRefusal.notFound('customerNotFound');
  return customer;
}

/** A payment method as Stax sees it: only while attached to a customer of the tenant (§8.10). */
async function findAttachedPaymentMethod(
  session: VaultSession,
  id: string,
  options: { includeDeleted?: boolean; forUpdate?: boolean },
): Promise<{ pm: PaymentMethod; customer: CustomerAggregate }> {
  const uuid = asUuid(id);
  const pm = uuid === null ? null : await session.findPaymentMethod({ by: 'id', id: uuid }, options);
  if (!pm || pm.customerSeq === null) throw StaxRefusal.notFound('paymentMethodNotFound');
  const customer = await session.loadCustomer({ by: 'seq', seq: pm.customerSeq }, { includeDeleted: true, forUpdate: options.forUpdate });
  if (!customer) throw StaxRefusal.notFound('paymentMethodNotFound');
  return { pm, customer };
}

/**
 * Points the customer's default at `seq` (or at none). The method that loses the flag changed as
 * Stax shows it, so its `updated_at` moves too (§8.5).
 */
async function moveDefault(session: VaultSession, customer: CustomerAggregate, seq: number | null): Promise<void> {
  const previous = customer.defaultPaymentMethodSeq;
  await session.updateCustomer(customer.seq, { defaultPaymentMethodSeq: seq });
  if (previous !== null && previous !== seq && customer.paymentMethods.some((pm) => pm.seq === previous)) {
    await session.updatePaymentMethod(previous, {});
  }
}

function newestFirst(a: PaymentMethod, b: PaymentMethod): number {
  if (a.createdAt !== b.createdAt) return b.createdAt - a.createdAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function buildRoutes(services: DialectServices, validators: StaxValidators): Route[] {
  const presentPaymentMethod = (pm: PaymentMethod, customer: { id: string; defaultPaymentMethodSeq: number | null }, principal: Principal) =>
    toStaxPaymentMethod(pm, { customerId: customer.id, merchantId: merchantIdOf(principal), defaultPaymentMethodSeq: customer.defaultPaymentMethodSeq });

  // S1
  const createCustomer: Endpoint = {
    readsBody: true,
    async handle({ res, body, vault }) {
      const checked = validators.customer(body, null);
      if (!checked.ok) return sendFieldErrors(res, checked.errors);
      const customer = await vault.write('stax.customer.create', async (session) => {
        const created = await session.createCustomer(newCustomerFrom(checked.value));
        const address = newAddressFrom(checked.value.address);
        if (address) {
          // The customer's only address is both its billing and its shipping default (§8.10).
          const added = await session.addAddress(created.seq, address);
          await session.updateCustomer(created.seq, { defaultBillingAddressSeq: added.seq, defaultShippingAddressSeq: added.seq });
        }
        return reloadCustomer(session, created.seq);
      });
      sendJson(res, 201, toStaxCustomer(customer));
    },
  };

  // S2
  const listCustomers: Endpoint = {
    readsBody: false,
    async handle({ req, res, vault }) {
      const [pathname, rawQuery = ''] = req.originalUrl.split(/\?(.*)/s, 2);
      const params = parseListParams(rawQuery);
      const page = await vault.read((session) => session.listCustomers(customerQueryFrom(params)));
      const base = `${req.protocol}://${req.host}${pathname}`;
      sendJson(res, 200, paginate(page.items.map(toStaxCustomer), page.total, params, base, rawQuery));
    },
  };

  // S3
  const getCustomer: Endpoint = {
    readsBody: false,
    async handle({ res, id, vault }) {
      // A Stax customer shows its addresses, never its payment methods.
      const customer = await vault.read((session) => loadCustomerOrRefuse(session, id, { includeDeleted: true, details: 'addresses' }));
      sendJson(res, 200, toStaxCustomer(customer));
    },
  };

  // S4
  const updateCustomer: Endpoint = {
    readsBody: true,
    async handle({ res, id, body, vault }) {
      const customer = await vault.write('stax.customer.update', async (session) => {
        const current = await loadCustomerOrRefuse(session, id, { forUpdate: true });
        const checked = validators.customer(body, nameFieldsOf(current));
        if (!checked.ok) throw StaxRefusal.fields(checked.errors);
        const patch = customerPatchFrom(current, checked.value);
        let addressChanged = false;
        if (checked.value.address) {
          const address = defaultAddress(current);
          if (address) {
            const addressPatch = addressPatchFrom(address, checked.value.address);
            if (addressPatch) {
              await session.updateAddress(address.seq, addressPatch);
              addressChanged = true;
            }
          } else {
            const fields = newAddressFrom(checked.value.address);
            if (fields) {
              const added = await session.addAddress(current.seq, fields);
              patch.defaultBillingAddressSeq = added.seq;
              patch.defaultShippingAddressSeq = added.seq;
            }
          }
        }
        // An update that changes nothing leaves `updated_at` alone (§8.3); an address change is a
        // change of the customer as Stax shows it.
        if (Object.keys(patch).length > 0) await session.updateCustomer(current.seq, patch);
        else if (addressChanged) await session.touchCustomer(current.seq);
        return reloadCustomer(session, current.seq);
      });
      sendJson(res, 200, toStaxCustomer(customer));
    },
  };

  // S5
  const deleteCustomer: Endpoint = {
    readsBody: false,
    async handle({ res, id, vault }) {
      const customer = await vault.write('stax.customer.delete', async (session) => {
        const current = await loadCustomerOrRefuse(session, id, { forUpdate: true });
        await session.deleteCustomer(current.seq, 'soft');
        return reloadCustomer(session, current.seq);
      });
      sendJson(res, 200, toStaxCustomer(customer));
    },
  };

  // S6. Its fields are ignored (§4.7), but the body is read like every other route's: a malformed
  // or oversized one is refused (400, 413) rather than passed over unread.
  const restoreCustomer: Endpoint = {
    readsBody: true,
    async handle({ res, id, vault }) {
      const customer = await vault.write('stax.customer.restore', async (session) => {
        const current = await loadCustomerOrRefuse(session, id, { includeDeleted: true, forUpdate: true });
        if (current.deletedAt !== null) await session.restoreCustomer(current.seq);
        return reloadCustomer(session, current.seq);
      });
      sendJson(res, 200, toStaxCustomer(customer));
    },
  };

  // S7
  const listCustomerPaymentMethods: Endpoint = {
    readsBody: false,
    async handle({ res, id, vault, principal }) {
      const { customer, methods } = await vault.read(async (session) => {
        const found = await loadCustomerOrRefuse(session, id, { includeDeleted: true });
        return { customer: found, methods: await session.listPaymentMethods(found.seq) };
      });
      const live = methods.filter((pm) => pm.deletedAt === null).sort(newestFirst);
      sendJson(res, 200, live.map((pm) => presentPaymentMethod(pm, customer, principal)));
    },
  };

  // S8
  const createPaymentMethod: Endpoint = {
    readsBody: true,
    async handle({ res, body, vault, principal }) {
      const checked = validators.paymentMethodCreate(body, services.now());
      const result = await vault.write('stax.payment_method.create', async (session) => {
        const customerId = checked.ok ? checked.value.customerId : checked.customerId;
        const uuid = customerId === null ? null : asUuid(customerId);
        // Unknown, foreign and soft-deleted customers cannot receive payment methods (§8.4).
        const customer = uuid === null ? null : await session.loadCustomer({ by: 'id', id: uuid }, { forUpdate: true });
        if (!checked.ok) {
          if (customerId !== null && !customer) checked.errors.add('customer_id', RANK.cross, MESSAGES.customerIdInvalid);
          throw StaxRefusal.fields(checked.errors.toJSON());
        }
        if (!customer) throw StaxRefusal.fields({ customer_id: [MESSAGES.customerIdInvalid] });
        const input = checked.value;
        const personName = input.personName ? input.personName : displayName(customer.givenName, customer.familyName, customer.company);
        const pm = await session.addPaymentMethod(newPaymentMethodFrom(input, customer.seq, personName));
        // §8.5: the first live method becomes the default, whatever `is_default` says.
        let defaultSeq = customer.defaultPaymentMethodSeq;
        if (customer.paymentMethods.length === 0 || input.isDefault === true) {
          await moveDefault(session, customer, pm.seq);
          defaultSeq = pm.seq;
        }
        return { pm, customer: { id: customer.id, defaultPaymentMethodSeq: defaultSeq } };
      });
      sendJson(res, 200, presentPaymentMethod(result.pm, result.customer, principal));
    },
  };

  // S9
  const getPaymentMethod: Endpoint = {
    readsBody: false,
    async handle({ res, id, vault, principal }) {
      const { pm, customer } = await vault.read((session) => findAttachedPaymentMethod(session, id, { includeDeleted: true }));
      sendJson(res, 200, presentPaymentMethod(pm, customer, principal));
    },
  };

  // S10
  const updatePaymentMethod: Endpoint = {
    readsBody: true,
    async handle({ res, id, body, vault, principal }) {
      const result = await vault.write('stax.payment_method.update', async (session) => {
        const { pm, customer } = await findAttachedPaymentMethod(session, id, { forUpdate: true });
        const checked = validators.paymentMethodUpdate(body, pm.kind === 'card' ? 'card' : 'bank', services.now());
        if (!checked.ok) throw StaxRefusal.fields(checked.errors);
        const patch = paymentMethodPatchFrom(pm, checked.value);
        let updated = Object.keys(patch).length > 0 ? await session.updatePaymentMethod(pm.seq, patch) : pm;
        let defaultSeq = customer.defaultPaymentMethodSeq;
        const wantsDefault = checked.value.isDefault;
        // A soft-deleted customer cannot be changed (core), so its default stays as it is.
        const canMoveDefault = customer.deletedAt === null;
        if (canMoveDefault && ((wantsDefault === true && defaultSeq !== pm.seq) || (wantsDefault === false && defaultSeq === pm.seq))) {
          defaultSeq = wantsDefault ? pm.seq : null;
          await moveDefault(session, customer, defaultSeq);
          // The flag is part of the method as Stax shows it, so the method itself changed.
          if (Object.keys(patch).length === 0) updated = await session.updatePaymentMethod(pm.seq, {});
        }
        return { pm: updated, customer: { id: customer.id, defaultPaymentMethodSeq: defaultSeq } };
      });
      sendJson(res, 200, presentPaymentMethod(result.pm, result.customer, principal));
    },
  };

  // S11
  const deletePaymentMethod: Endpoint = {
    readsBody: false,
    async handle({ res, id, vault, principal }) {
      const result = await vault.write('stax.payment_method.delete', async (session) => {
        const { pm, customer } = await findAttachedPaymentMethod(session, id, { forUpdate: true });
        // Deleting the default clears the pointer (core) and promotes nothing (§8.5).
        await session.deletePaymentMethod(pm.seq, 'soft');
        const deleted = await session.findPaymentMethod({ by: 'seq', seq: pm.seq }, { includeDeleted: true });
        if (!deleted) throw StaxRefusal.notFound('paymentMethodNotFound');
        return { pm: deleted, customer: { id: customer.id, defaultPaymentMethodSeq: null } };
      });
      sendJson(res, 200, presentPaymentMethod(result.pm, result.customer, principal));
    },
  };

  return [
    { pattern: path('/customer'), methods: { GET: listCustomers, POST: createCustomer } },
    { pattern: path(`/customer/${SEGMENT}`), methods: { GET: getCustomer, PUT: updateCustomer, DELETE: deleteCustomer } },
    { pattern: path(`/customer/${SEGMENT}/restore`), methods: { PUT: restoreCustomer } },
    { pattern: path(`/customer/${SEGMENT}/payment-method`), methods: { GET: listCustomerPaymentMethods } },
    { pattern: path('/payment-method'), methods: { POST: createPaymentMethod } },
    { pattern: path(`/payment-method/${SEGMENT}`), methods: { GET: getPaymentMethod, PUT: updatePaymentMethod, DELETE: deletePaymentMethod } },
  ];
}

type BodyOutcome = { ok: true; body: Record<string, unknown> } | { ok: false; refusal: StaxErrorName };

/** §3.2: over 1 MiB → 413; not JSON, or JSON that is not an object → 400; an empty body is `{}`. */
async function readObjectBody(req: Request, services: DialectServices): Promise<BodyOutcome> {
  const parsed = await readJsonBody(req, services.bodyLimitBytes);
  if (!parsed.ok) return { ok: false, refusal: parsed.reason === 'too_large' ? 'payloadTooLarge' : 'invalidJson' };
  if (parsed.empty) return { ok: true, body: {} };
  if (!isPlainObject(parsed.value)) return { ok: false, refusal: 'invalidJson' };
  return { ok: true, body: parsed.value };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matchRoute(routes: Route[], path: string): { route: Route; id: string } | null {
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (match) return { route, id: decodeSegment(match[1] ?? '') };
  }
  return null;
}

export function staxRouter(services: DialectServices): Router {
  const validators = createValidators();
  const routes = buildRoutes(services, validators);
  const router = Router();

  router.use(async (req, res, next) => {
    const matched = matchRoute(routes, req.path);
    if (!matched) return next(); // the gateway answers with renderNotFound
    const { route, id } = matched;
    const method = (req.method === 'HEAD' ? 'GET' : req.method) as HttpMethod;
    const endpoint = route.methods[method];
    if (!endpoint) {
      res.setHeader('Allow', Object.keys(route.methods).join(', '));
      return sendStaxError(res, 'methodNotAllowed');
    }
    const requestId = typeof res.locals.requestId === 'string' ? res.locals.requestId : '';
    try {
      const auth = await authenticateStax(req, services);
      if (!auth.ok) return sendStaxError(res, auth.refusal);
      let body: Record<string, unknown> = {};
      if (endpoint.readsBody) {
        const outcome = await readObjectBody(req, services);
        if (!outcome.ok) return sendStaxError(res, outcome.refusal);
        body = outcome.body;
      }
      const vault = services.vault(auth.principal, res);
      await endpoint.handle({ req, res, id, body, principal: auth.principal, vault });
    } catch (error) {
      if (res.headersSent) return;
      if (!answerError(res, error)) logRequestFailure(services.logger, res, error, 'stax request failed');
    }
  });

  return router;
}
