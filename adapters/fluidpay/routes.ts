/**
 * The routes of the FluidPay dialect (contract §1.2), each checked in the contract's order (§3.5):
 * route match (Express; unmatched paths go to `renderNotFound`) → key → body → customer, then
 * address / payment method → fields in table order → duplicates → wallet configuration.
 * Every write runs in one vault transaction; any failure rolls it back, so nothing is written.
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { DialectServices, Principal } from '../dialect';
import type { CustomerAggregate, PaymentMethod } from '../../core/model';
import type { TenantVault, VaultSession } from '../../core/vault/commands';
import { cardBrand } from '../../core/cards';
import { isPlainObject, readJsonBody } from '../shared/body';
import { tolerateUndecodablePaths } from '../shared/paths';
import { logRequestFailure } from '../shared/logging';
import { keyFromAuthorization } from './auth';
import {
  bodyNotObject,
  bodyTooDeep,
  bodyTooLarge,
  duplicateAddress,
  duplicateCustomerId,
  invalidField,
  invalidToken,
  malformedJson,
  notFound,
  toFluidPayError,
  unauthorized,
  walletNotConfigured,
} from './errors';
import { FieldReader, type JsonObject } from './fields';
import {
  expiryHasPassed,
  isEmptyAddress,
  readAch,
  readAddress,
  readApplePay,
  readCard,
  readCreateCustomer,
  readGooglePayBody,
  readTokenBody,
  readTokenize,
  readUpdateCustomer,
  type PaymentChecks,
} from './inputs';
import { readSearch, toCustomerQuery } from './search';
import { isEmptyAddressFields, patchedAddressFields, toAddressPatch, toNewAddress, toWireRecord, xidOf, objectIdOfXid } from './translate';
import { sendJson } from '../shared/send';

/** Tokenizer tokens live two minutes (§4.19). */
export const TOKEN_TTL_MS = 120_000;
const TOKEN_PATTERN = /^[A-Za-z0-9]{32}$/;

interface Call {
  principal: Principal;
  vault: TenantVault;
  ownerId: string;
  body: JsonObject;
  params: Record<string, string>;
  checks: PaymentChecks;
}

type SuccessBody = { data: unknown; total_count?: number };

/** `validate=true` / `authorize=true` (any case) or `=1` (§4.0.9); anything else is off, never an error. */
function flagOn(value: unknown): boolean {
  return typeof value === 'string' && (value.toLowerCase() === 'true' || value === '1');
}

export function setCorrelationId(res: Response): void {
  const requestId = res.locals.requestId;
  if (typeof requestId === 'string') res.setHeader('x-correlation-id', requestId);
}

export function buildRouter(services: DialectServices): Router {
  const router = Router({ caseSensitive: true });
  // An undecodable id (`%ff`) is an unknown id (F2/F3), not a 500.
  router.use(tolerateUndecodablePaths);

  /** Wraps one operation: key (of the route's kind), body, the work, the envelope; every failure through the table. */
  function operation(kind: 'secret' | 'public', readsBody: boolean, work: (call: Call) => Promise<SuccessBody>): RequestHandler {
    return async (req: Request, res: Response) => {
      setCorrelationId(res);
      if (kind === 'public') res.setHeader('Access-Control-Allow-Origin', '*');
      try {
        const key = keyFromAuthorization(req.headers.authorization);
        if (key === null) throw unauthorized();
        const outcome = await services.authenticate(key, 'fluidpay', kind, req);
        if (!outcome.ok) throw unauthorized();
        const principal = outcome.principal;
        let body: JsonObject = {};
        if (readsBody) {
          const parsed = await readJsonBody(req, services.bodyLimitBytes);
          if (!parsed.ok) throw parsed.reason === 'malformed' ? malformedJson() : parsed.reason === 'too_large' ? bodyTooLarge() : bodyTooDeep();
          // An empty body reads as `{}` (an update that changes nothing, a create with no fields).
          if (!parsed.empty) {
            if (!isPlainObject(parsed.value)) throw bodyNotObject();
            body = parsed.value;
          }
        }
        const settings = principal.tenant.dialects.fluidpay;
        const refuseExpired = flagOn(req.query.validate) || flagOn(req.query.authorize);
        const result = await work({
          principal,
          vault: services.vault(principal, res),
          ownerId: typeof settings?.ownerId === 'string' ? settings.ownerId : '',
          body,
          params: req.params as Record<string, string>,
          checks: { refuseExpired, now: services.now() },
        });
        sendJson(res, 200, { status: 'success', msg: 'success', ...result });
      } catch (error) {
        const failure = toFluidPayError(error);
        if (failure.httpStatus >= 500) logRequestFailure(services.logger, res, error, 'fluidpay request failed');
        sendJson(res, failure.httpStatus, failure.body());
      }
    };
  }

  // ------------------------------------------------------------ shared steps

  async function lockCustomer(s: VaultSession, vaultId: string): Promise<CustomerAggregate> {
    const customer = await s.loadCustomer({ by: 'vaultId', vaultId }, { forUpdate: true });
    if (!customer) throw notFound();
    return customer;
  }

  async function record(s: VaultSession, seq: number, ownerId: string, extra: Record<string, string> = {}): Promise<SuccessBody> {
    const customer = await s.loadCustomer({ by: 'seq', seq });
    if (!customer) throw notFound();
    return { data: { ...toWireRecord(customer, ownerId), ...extra } };
  }

  function addressOf(customer: CustomerAggregate, xid: string) {
    return customer.addresses.find((address) => xidOf(address) === xid) ?? null;
  }

  function methodOf(customer: CustomerAggregate, xid: string, kind?: 'card' | 'ach'): PaymentMethod | null {
    return customer.paymentMethods.find((pm) => xidOf(pm) === xid && (kind === undefined || pm.kind === kind)) ?? null;
  }

  /**
   * A tokenizer token that can still be consumed: issued to this tenant (the session only sees its
   * tenant), unattached, unexpired. Locked so two concurrent uses cannot both succeed.
   */
  async function usableToken(s: VaultSession, token: string): Promise<PaymentMethod> {
    if (!TOKEN_PATTERN.test(token)) throw invalidToken();
    const pm = await s.findPaymentMethod({ by: 'singleUseToken', token }, { forUpdate: true });
    const live = pm !== null && pm.customerSeq === null && pm.deletedAt === null && pm.singleUseToken === token;
    if (!live || pm.tokenExpiresAt === null || pm.tokenExpiresAt <= services.now()) throw invalidToken();
    return pm;
  }

  /** `validate` / `authorize` refuse an expired card that arrives in a token (reported at the token field). */
  function checkTokenExpiry(pm: PaymentMethod, checks: PaymentChecks, path: string): void {
    if (checks.refuseExpired && pm.kind === 'card' && pm.expMonth !== null && pm.expYear !== null && expiryHasPassed(pm.expMonth, pm.expYear, checks.now)) {
      throw invalidField(path, 'card is expired');
    }
  }

  /** §8.1: the first payment method of a customer without a default becomes the default. */
  async function afterMethodAdded(s: VaultSession, customer: CustomerAggregate, pm: PaymentMethod): Promise<void> {
    if (customer.defaultPaymentMethodSeq === null) await s.updateCustomer(customer.seq, { defaultPaymentMethodSeq: pm.seq });
    else await s.touchCustomer(customer.seq);
  }

  // ------------------------------------------------------------ 19. tokenizer

  router.options('/api/tokenizer/token', (_req, res) => {
    setCorrelationId(res);
    res
      .status(204)
      .set({
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type',
        'Access-Control-Max-Age': '600',
      })
      .end();
  });

  router.post(
    '/api/tokenizer/token',
    operation('public', true, async ({ vault, body, checks }) => {
      const input = readTokenize(body, checks.now);
      const pm = await vault.write('fluidpay.tokenizer.token', (s) =>
        s.addPaymentMethod(
          input.kind === 'card'
            ? { customerSeq: null, card: { pan: input.card.pan, expMonth: input.card.expMonth, expYear: input.card.expYear, cvcProvided: input.card.cvcProvided }, singleUseTokenTtlMs: TOKEN_TTL_MS, source: 'token' }
            : { customerSeq: null, ach: { ...input.ach }, singleUseTokenTtlMs: TOKEN_TTL_MS, source: 'token' },
        ),
      );
      if (!pm.singleUseToken) throw new Error('the core issued no single-use token');
      return { data: { token: pm.singleUseToken } };
    }),
  );

  // ------------------------------------------------------------ 1. create

  router.post(
    '/api/vault/customer',
    operation('secret', true, async ({ vault, body, checks, ownerId }) =>
      vault.write('fluidpay.customer.create', async (s) => {
        let tokenMethod: PaymentMethod | null = null;
        const input = await readCreateCustomer(body, checks, async (token) => {
          tokenMethod = await usableToken(s, token);
          checkTokenExpiry(tokenMethod, checks, 'default_payment.token');
        });
        const fromToken = tokenMethod as PaymentMethod | null;
        if (input.customId !== undefined && (await s.isVaultIdTaken(input.customId))) throw duplicateCustomerId();
        if (input.payment?.kind === 'wallet') throw walletNotConfigured();

        // id_format: `<xid>_<card_type>_<last4>` when a card comes with the create (§5.3).
        let idSuffix: string | null = null;
        if (input.idFormat && input.payment?.kind === 'card') idSuffix = `${cardBrand(input.payment.card.pan)}_${input.payment.card.pan.slice(-4)}`;
        if (input.idFormat && fromToken?.kind === 'card') idSuffix = `${fromToken.brand ?? 'unknown'}_${fromToken.last4}`;

        // FluidPay has no customer-level names: the first address given also fills the canonical
        // customer's names and contacts, so dialects that show names on the customer (Maast, Stax,
        // Exact) show them. Set once, at creation.
        const contact = input.billing ?? input.shipping;
        const customer = await s.createCustomer({
          ...(input.customId !== undefined ? { vaultId: input.customId } : {}),
          ...(idSuffix !== null ? { vaultIdFromXid: (xid: string) => `${xid}_${idSuffix}` } : {}),
          description: input.description || null,
          notes: input.notes || null,
          flags: input.flags ?? [],
          givenName: contact?.first_name || null,
          familyName: contact?.last_name || null,
          company: contact?.company || null,
          email: contact?.email || null,
          phone: contact?.phone || null,
        });

        let billingSeq: number | null = null;
        let shippingSeq: number | null = null;
        if (input.billing) billingSeq = (await s.addAddress(customer.seq, toNewAddress(input.billing))).seq;
        if (input.shipping) {
          const shipping = toNewAddress(input.shipping);
          // Identical billing and shipping addresses are stored once; both defaults point at it (§8.2).
          const sameAsBilling = input.billing !== undefined && s.addressHash(shipping) === s.addressHash(toNewAddress(input.billing));
          shippingSeq = sameAsBilling ? billingSeq : (await s.addAddress(customer.seq, shipping)).seq;
        }

        let methodSeq: number | null = null;
        const payment = input.payment;
        if (payment?.kind === 'card') {
          const { pan, expMonth, expYear, cvcProvided, flags } = payment.card;
          methodSeq = (await s.addPaymentMethod({ customerSeq: customer.seq, card: { pan, expMonth, expYear, cvcProvided }, flags: flags ?? [], source: 'direct' })).seq;
        } else if (payment?.kind === 'ach') {
          const { flags, ...ach } = payment.ach;
          methodSeq = (await s.addPaymentMethod({ customerSeq: customer.seq, ach, flags: flags ?? [], source: 'direct' })).seq;
        } else if (fromToken) {
          methodSeq = (await s.attachPaymentMethod(fromToken.seq, customer.seq)).seq;
        }

        if (billingSeq !== null || shippingSeq !== null || methodSeq !== null) {
          await s.updateCustomer(customer.seq, { defaultBillingAddressSeq: billingSeq, defaultShippingAddressSeq: shippingSeq, defaultPaymentMethodSeq: methodSeq });
        }
        return record(s, customer.seq, ownerId);
      }),
    ),
  );

  // ------------------------------------------------------------ 3. search (before `/customer/:id`)

  router.post(
    '/api/vault/customer/search',
    operation('secret', true, async ({ vault, body, ownerId }) => {
      const input = readSearch(body);
      return vault.read(async (s) => {
        const query = await toCustomerQuery(input, {
          async address(xid) {
            const objectId = objectIdOfXid(xid);
            const address = objectId === null ? null : await s.findAddress({ by: 'objectId', objectId });
            return address && address.deletedAt === null ? { seq: address.seq, customerSeq: address.customerSeq } : null;
          },
          async paymentMethodCustomer(xid) {
            const objectId = objectIdOfXid(xid);
            const pm = objectId === null ? null : await s.findPaymentMethod({ by: 'objectId', objectId });
            return pm && pm.deletedAt === null ? pm.customerSeq : null;
          },
        });
        const page = await s.listCustomers(query);
        return { data: page.items.map((customer) => toWireRecord(customer, ownerId)), total_count: page.total };
      });
    }),
  );

  // ------------------------------------------------------------ 2. get, 5. delete

  router.get(
    '/api/vault/:customerId',
    operation('secret', false, async ({ vault, params, ownerId }) =>
      vault.read(async (s) => {
        const customer = await s.loadCustomer({ by: 'vaultId', vaultId: params.customerId });
        if (!customer) throw notFound();
        return { data: toWireRecord(customer, ownerId) };
      }),
    ),
  );

  router.delete(
    '/api/vault/:customerId',
    operation('secret', false, async ({ vault, params }) =>
      vault.write('fluidpay.customer.delete', async (s) => {
        const customer = await lockCustomer(s, params.customerId);
        await s.deleteCustomer(customer.seq, 'purge');
        return { data: null };
      }),
    ),
  );

  // ------------------------------------------------------------ 4. update

  router.post(
    '/api/vault/customer/:customerId',
    operation('secret', true, async ({ vault, params, body, ownerId }) =>
      vault.write('fluidpay.customer.update', async (s) => {
        const customer = await lockCustomer(s, params.customerId);
        const input = readUpdateCustomer(body, {
          address: (xid) => addressOf(customer, xid)?.seq ?? null,
          paymentMethod: (xid, kind) => methodOf(customer, xid, kind)?.seq ?? null,
        });
        const { description, notes, flags, ...defaults } = input;
        await s.updateCustomer(customer.seq, {
          ...(description !== undefined ? { description: description || null } : {}),
          ...(notes !== undefined ? { notes: notes || null } : {}),
          ...(flags !== undefined ? { flags } : {}),
          ...defaults,
        });
        await s.touchCustomer(customer.seq);
        return record(s, customer.seq, ownerId);
      }),
    ),
  );

  // ------------------------------------------------------------ 6–8. addresses

  router.post(
    '/api/vault/customer/:customerId/address',
    operation('secret', true, async ({ vault, params, body, ownerId }) =>
      vault.write('fluidpay.address.create', async (s) => {
        const customer = await lockCustomer(s, params.customerId);
        const input = readAddress(new FieldReader(body));
        if (isEmptyAddress(input)) throw invalidField('body', 'at least one address field is required');
        const fields = toNewAddress(input);
        const hash = s.addressHash(fields);
        if (customer.addresses.some((address) => address.hash === hash)) throw duplicateAddress();
        const address = await s.addAddress(customer.seq, fields);
        await s.touchCustomer(customer.seq);
        return record(s, customer.seq, ownerId, { created_address_id: xidOf(address) });
      }),
    ),
  );

  router.post(
    '/api/vault/customer/:customerId/address/:addressId',
    operation('secret', true, async ({ vault, params, body, ownerId }) =>
      vault.write('fluidpay.address.update', async (s) => {
        const customer = await lockCustomer(s, params.customerId);
        const address = addressOf(customer, params.addressId);
        if (!address) throw notFound();
        const input = readAddress(new FieldReader(body));
        const patch = toAddressPatch(input, address);
        const after = patchedAddressFields(address, patch);
        if (isEmptyAddressFields(after)) throw invalidField('body', 'at least one address field is required');
        const hash = s.addressHash(after);
        if (customer.addresses.some((other) => other.seq !== address.seq && other.hash === hash)) throw duplicateAddress();
        await s.updateAddress(address.seq, patch);
        await s.touchCustomer(customer.seq);
        return record(s, customer.seq, ownerId);
      }),
    ),
  );

  router.delete(
    '/api/vault/customer/:customerId/address/:addressId',
    operation('secret', false, async ({ vault, params }) =>
      vault.write('fluidpay.address.delete', async (s) => {
        const customer = await lockCustomer(s, params.customerId);
        const address = addressOf(customer, params.addressId);
        if (!address) throw notFound();
        await s.deleteAddress(address.seq); // clears every default pointing at it (§8.1)
        await s.touchCustomer(customer.seq);
        return { data: null };
      }),
    ),
  );

  // ------------------------------------------------------------ 9–11. cards

  router.post(
    '/api/vault/customer/:customerId/card',
    operation('secret', true, async ({ vault, params, body, ownerId, checks }) =>
      vault.write('fluidpay.card.create', async (s) => {
        const customer = await lockCustomer(s, params.customerId);
        const card = readCard(new FieldReader(body), 'create', checks);
        const pm = await s.addPaymentMethod({
          customerSeq: customer.seq,
          card: { pan: card.pan!, expMonth: card.expMonth!, expYear: card.expYear!, cvcProvided: card.cvcProvided },
          flags: card.flags ?? [],
          source: 'direct',
        });
        await afterMethodAdded(s, customer, pm);
        return record(s, customer.seq, ownerId, { created_payment_method_id: xidOf(pm) });
      }),
    ),
  );

  router.post(
    '/api/vault/customer/:customerId/card/:paymentMethodId',
    operation('secret', true, async ({ vault, params, body, ownerId, checks }) =>
      vault.write('fluidpay.card.update', async (s) => {
        const customer = await lockCustomer(s, params.customerId);
        const pm = methodOf(customer, params.paymentMethodId, 'card');
        if (!pm) throw notFound();
        const card = readCard(new FieldReader(body), 'update', checks);
        // `validate` checks the resulting card: the stored expiry when the request does not change it.
        if (checks.refuseExpired && card.expMonth === undefined && pm.expMonth !== null && pm.expYear !== null && expiryHasPassed(pm.expMonth, pm.expYear, checks.now)) {
          throw invalidField('expiration_date', 'card is expired');
        }
        await s.updatePaymentMethod(pm.seq, {
          ...(card.pan !== undefined ? { card: { pan: card.pan } } : {}),
          ...(card.expMonth !== undefined ? { expMonth: card.expMonth, expYear: card.expYear } : {}),
          ...(card.flags !== undefined ? { flags: card.flags } : {}),
        });
        await s.touchCustomer(customer.seq);
        return record(s, customer.seq, ownerId);
      }),
    ),
  );

  // ------------------------------------------------------------ 12–14. bank accounts

  router.post(
    '/api/vault/customer/:customerId/ach',
    operation('secret', true, async ({ vault, params, body, ownerId }) =>
      vault.write('fluidpay.ach.create', async (s) => {
        const customer = await lockCustomer(s, params.customerId);
        const { flags, ...ach } = readAch(new FieldReader(body), 'create');
        const pm = await s.addPaymentMethod({
          customerSeq: customer.seq,
          ach: { accountNumber: ach.accountNumber!, routingNumber: ach.routingNumber!, accountType: ach.accountType!, secCode: ach.secCode! },
          flags: flags ?? [],
          source: 'direct',
        });
        await afterMethodAdded(s, customer, pm);
        return record(s, customer.seq, ownerId, { created_payment_method_id: xidOf(pm) });
      }),
    ),
  );

  router.post(
    '/api/vault/customer/:customerId/ach/:paymentMethodId',
    operation('secret', true, async ({ vault, params, body, ownerId }) =>
      vault.write('fluidpay.ach.update', async (s) => {
        const customer = await lockCustomer(s, params.customerId);
        const pm = methodOf(customer, params.paymentMethodId, 'ach');
        if (!pm) throw notFound();
        const ach = readAch(new FieldReader(body), 'update');
        const numbers = {
          ...(ach.accountNumber !== undefined ? { accountNumber: ach.accountNumber } : {}),
          ...(ach.routingNumber !== undefined ? { routingNumber: ach.routingNumber } : {}),
        };
        await s.updatePaymentMethod(pm.seq, {
          ...(Object.keys(numbers).length > 0 ? { ach: numbers } : {}),
          ...(ach.accountType !== undefined ? { accountType: ach.accountType } : {}),
          ...(ach.secCode !== undefined ? { secCode: ach.secCode } : {}),
          ...(ach.flags !== undefined ? { flags: ach.flags } : {}),
        });
        await s.touchCustomer(customer.seq);
        return record(s, customer.seq, ownerId);
      }),
    ),
  );

  for (const kind of ['card', 'ach'] as const) {
    router.delete(
      `/api/vault/customer/:customerId/${kind}/:paymentMethodId`,
      operation('secret', false, async ({ vault, params }) =>
        vault.write(`fluidpay.${kind}.delete`, async (s) => {
          const customer = await lockCustomer(s, params.customerId);
          const pm = methodOf(customer, params.paymentMethodId, kind);
          if (!pm) throw notFound();
          await s.deletePaymentMethod(pm.seq, 'purge'); // clears the default pointer; nothing promoted (§8.1)
          await s.touchCustomer(customer.seq);
          return { data: null };
        }),
      ),
    );
  }

  // ------------------------------------------------------------ 15–16. tokens

  router.post(
    '/api/vault/customer/:customerId/token',
    operation('secret', true, async ({ vault, params, body, ownerId, checks }) =>
      vault.write('fluidpay.token.create', async (s) => {
        const customer = await lockCustomer(s, params.customerId);
        const token = readTokenBody(body);
        const source = await usableToken(s, token);
        checkTokenExpiry(source, checks, 'token');
        const pm = await s.attachPaymentMethod(source.seq, customer.seq);
        await afterMethodAdded(s, customer, pm);
        return record(s, customer.seq, ownerId, { created_payment_method_id: xidOf(pm) });
      }),
    ),
  );

  router.post(
    '/api/vault/customer/:customerId/token/:paymentMethodId',
    operation('secret', true, async ({ vault, params, body, ownerId, checks }) =>
      vault.write('fluidpay.token.replace', async (s) => {
        const customer = await lockCustomer(s, params.customerId);
        const target = methodOf(customer, params.paymentMethodId);
        if (!target) throw notFound();
        const token = readTokenBody(body);
        const source = await usableToken(s, token);
        if (source.kind !== target.kind) throw invalidField('token', 'payment method type mismatch');
        checkTokenExpiry(source, checks, 'token');
        await s.replaceFromToken(target.seq, source.seq);
        await s.touchCustomer(customer.seq);
        return record(s, customer.seq, ownerId);
      }),
    ),
  );

  // ------------------------------------------------------------ 17–18. wallets (§8.8: validated, then F10)

  router.post(
    '/api/vault/customer/:customerId/applepay',
    operation('secret', true, async ({ vault, params, body }) =>
      vault.read(async (s) => {
        const customer = await s.findCustomer({ by: 'vaultId', vaultId: params.customerId });
        if (!customer) throw notFound();
        readApplePay(new FieldReader(body));
        throw walletNotConfigured();
      }),
    ),
  );

  router.post(
    '/api/vault/customer/:customerId/googlepay',
    operation('secret', true, async ({ vault, params, body }) =>
      vault.read(async (s) => {
        const customer = await s.findCustomer({ by: 'vaultId', vaultId: params.customerId });
        if (!customer) throw notFound();
        readGooglePayBody(body);
        throw walletNotConfigured();
      }),
    ),
  );

  // Express would answer OPTIONS on any matched path itself (200, text/plain `Allow` list); in this
  // dialect a method that is not in the operation list is F4, like an unknown route.
  router.options('/api{/*splat}', (_req, res) => {
    setCorrelationId(res);
    sendJson(res, 404, notFound().body());
  });

  return router;
}
