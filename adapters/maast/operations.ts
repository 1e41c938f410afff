/**
 * The fifteen Customer Vault operations (contract §4). Each one runs after the route, the
 * credentials, the body and the merchant scope were checked (routes.ts), and keeps the contract's
 * remaining order: customer lookup (E5), field validation (E7/E12, all fields at once), state
 * checks (E8–E11, together), then the writes — all inside one transaction, so a failure at any
 * point leaves nothing behind.
 */
import { randomUpperAlnum } from '../../core/ids';
import type { Address, CustomerAggregate, PaymentMethod } from '../../core/model';
import type { NewPaymentMethod, TenantVault, VaultSession } from '../../core/vault/commands';
import { isPlainObject } from '../shared/body';
import { customerNotFound, fieldFailed, Issues, Message } from './errors';
import { parseBrowseQuery, planBrowse } from './browse';
import { reportInvalidMerchantIds, type ScopeCheck } from './scope';
import {
  accountOfTypeId,
  addressPatchOf,
  billingPatchOf,
  customerPatchOf,
  maskOf,
  parseExpDate,
  primaryOf,
  renderBillingCards,
  renderCustomer,
  renderShippingAddresses,
  shippingIdOf,
} from './translate';
import {
  at,
  checkMerge,
  checkNameRule,
  meetsNameRule,
  checkNewEntry,
  checkShipping,
  classifyEntry,
  customerTextOf,
  duplicatePath,
  Rule,
  samePaymentData,
  type BillingMerge,
  type Body,
  type NewBillingEntry,
  type RuleContext,
} from './validate';

export interface MaastCall {
  vault: TenantVault;
  merchantId: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body of POST/PUT routes (a plain object); undefined on GET/DELETE. */
  body: Body | undefined;
  scope: ScopeCheck;
  rules: RuleContext;
  now(): number;
}

export interface Reply {
  data: unknown;
  paging?: { totalPages: number; totalRecords: number };
}

export type Operation = (call: MaastCall) => Promise<Reply>;

// ---------------------------------------------------------------------------------------------
// shared steps

function newIssues(call: MaastCall): Issues {
  const issues = new Issues();
  reportInvalidMerchantIds(call.scope, issues);
  return issues;
}

async function loadCustomer(session: VaultSession, call: MaastCall, forUpdate: boolean): Promise<CustomerAggregate> {
  const customer = await session.loadCustomer({ by: 'vaultId', vaultId: call.params.customer_id }, { forUpdate });
  if (!customer) throw customerNotFound();
  return customer;
}

async function reload(session: VaultSession, seq: number): Promise<CustomerAggregate> {
  const customer = await session.loadCustomer({ by: 'seq', seq });
  if (!customer) throw new Error('customer vanished inside its own transaction');
  return customer;
}

const customerReply = async (session: VaultSession, call: MaastCall, seq: number): Promise<Reply> => ({
  data: renderCustomer(await reload(session, seq), call.merchantId),
});

/** A write on the path's customer (E5 first) that answers with the whole customer. */
function customerWrite(operation: string, work: (session: VaultSession, customer: CustomerAggregate, call: MaastCall) => Promise<void>): Operation {
  return (call) =>
    call.vault.write(`maast.${operation}`, async (session) => {
      const customer = await loadCustomer(session, call, true);
      await work(session, customer, call);
      return customerReply(session, call, customer.seq);
    });
}

/** Checks the top level of a body without descending into the arrays, whose elements are checked one by one. */
function checkTopLevel(call: MaastCall, name: 'addCustomer' | 'updateCustomer', body: Body, issues: Issues): void {
  const top: Body = { ...body };
  for (const array of ['billing_cards', 'shipping_addresses']) if (Array.isArray(top[array])) top[array] = [];
  call.rules.schemas.check(name, top, issues);
}

/** Array elements that are objects, each with its path; other elements are reported. */
function elementsOf(body: Body, array: 'billing_cards' | 'shipping_addresses', issues: Issues): Array<{ element: Body; path: string }> | undefined {
  const value = body[array];
  if (!Array.isArray(value)) return undefined;
  const out: Array<{ element: Body; path: string }> = [];
  value.forEach((element: unknown, index) => {
    const path = `${array}[${index}]`;
    if (isPlainObject(element)) out.push({ element, path });
    else issues.add(path, `${path} must be an object`);
  });
  return out;
}

function newPaymentMethodOf(entry: NewBillingEntry, customerSeq: number, now: number): NewPaymentMethod {
  const common = {
    customerSeq,
    billing: billingPatchOf(entry.text, entry.emails, null),
    source: 'direct' as const,
    ...(entry.cardId !== null ? { vaultRef: entry.cardId } : {}),
  };
  if (entry.kind === 'card') {
    return {
      ...common,
      card: { pan: entry.pan, ...parseExpDate(entry.expDate), cvcProvided: entry.cvvGiven },
      verifiedAt: entry.verify ? now : null,
    };
  }
  return { ...common, ach: { accountNumber: entry.account, routingNumber: entry.routing, ...accountOfTypeId(entry.typeId) } };
}

async function applyMerge(session: VaultSession, method: PaymentMethod, merge: BillingMerge, now: number): Promise<void> {
  const isCard = method.kind === 'card';
  await session.updatePaymentMethod(method.seq, {
    billing: billingPatchOf(merge.text, merge.emails, method.billing),
    ...(isCard && merge.expDate !== undefined ? parseExpDate(merge.expDate) : {}),
    ...(isCard && merge.verify ? { verifiedAt: now } : {}),
  });
}

/**
 * `verify: true` on an existing card runs the sandbox decline list on its stored number (inside
 * the core: the adapter never sees it) — contract §8.6.
 */
async function declinesReverification(session: VaultSession, method: PaymentMethod, merge: BillingMerge, call: MaastCall): Promise<boolean> {
  return merge.verify && method.kind === 'card' && (await session.testStoredNumber(method.seq, call.rules.declinesVerification));
}

/** After a delete: Maast always shows a primary, so the pointer moves to the earliest remaining entry. */
function promotedPointer<T extends { seq: number }>(remaining: T[], pointer: number | null, deletedSeq: number): number | null | undefined {
  if (remaining.length === 0) return pointer === null ? undefined : null;
  if (pointer === deletedSeq || pointer === null || !remaining.some((entry) => entry.seq === pointer)) return remaining[0].seq;
  return undefined;
}

/** The payment method a full PAN (or bank account) names on this customer, if any. */
async function sameNumberOn(
  session: VaultSession,
  customer: CustomerAggregate,
  number: { pan: string } | { routingNumber: string; accountNumber: string },
): Promise<PaymentMethod | undefined> {
  if (!(await session.hasSameNumber(customer.seq, number))) return undefined;
  const candidates = customer.paymentMethods.filter((method) =>
    'pan' in number
      ? method.kind === 'card' && method.last4 === number.pan.slice(-4) && method.numberLength === number.pan.length
      : method.kind === 'ach' && method.routingNumber === number.routingNumber && method.last4 === number.accountNumber.slice(-4),
  );
  if (candidates.length <= 1) return candidates[0];
  for (const candidate of candidates) {
    if (!(await session.hasSameNumber(customer.seq, number, candidate.seq))) return candidate;
  }
  return undefined;
}

function required(body: Body, field: string, issues: Issues): void {
  if (body[field] === undefined || body[field] === '') issues.add(field, Message.required(field));
}

// ---------------------------------------------------------------------------------------------
// 1. POST /vault/customer

export const addCustomer: Operation = (call) =>
  call.vault.write('maast.addCustomer', async (session) => {
    const body = call.rules.schemas.coerce('addCustomer', call.body);
    const issues = newIssues(call);
    checkTopLevel(call, 'addCustomer', body, issues);
    const suppliedId = typeof body.customer_id === 'string' && body.customer_id !== '' ? body.customer_id : null;
    if (suppliedId === null && body.auto_generate_customer_id !== true && !issues.has('customer_id')) issues.add('customer_id', Rule.idOrAuto);
    const text = customerTextOf(body);
    checkNameRule(text.customer_first_name, text.customer_last_name, text.customer_firm_name, issues);

    const shipping = (elementsOf(body, 'shipping_addresses', issues) ?? []).map(({ element, path }) =>
      checkShipping(element, path, 'addShipping', 'required', call.rules, issues),
    );
    const state = new Issues();
    const billing: NewBillingEntry[] = [];
    for (const { element, path } of elementsOf(body, 'billing_cards', issues) ?? []) {
      const kind = classifyEntry(element);
      if (kind === 'card' || kind === 'ach') billing.push(checkNewEntry(element, path, kind, call.rules, issues));
      else if (kind === 'reference') {
        // Nothing to refer to: polyvault has no Payment Gateway tokenization (contract §4.0.6).
        call.rules.schemas.check('cardIdOnly', { card_id: element.card_id }, issues, path);
        state.add(at(path, 'card_id'), Message.cardIdNotFound);
      } else issues.add(at(path, 'card_number'), Rule.noPaymentData);
    }
    issues.throwIfAny();

    const repeatedEntries = billing.filter((entry, index) => billing.slice(0, index).some((earlier) => samePaymentData(earlier, entry)));
    // A taken customer_id alone is answered by the unique (tenant, live id) index at the insert,
    // with the same message (one statement less per create); it is looked up first only when a
    // repeated card must be reported beside it, in the catalogue's order.
    if (repeatedEntries.length > 0) {
      if (suppliedId !== null && (await session.isVaultIdTaken(suppliedId))) state.add('customer_id', Message.duplicateCustomerId);
      for (const entry of repeatedEntries) state.add(duplicatePath(entry), Message.duplicatePaymentMethod);
    }
    state.throwIfAny();

    let vaultId = suppliedId;
    while (vaultId === null) {
      const candidate = randomUpperAlnum(20);
      if (!(await session.isVaultIdTaken(candidate))) vaultId = candidate;
    }
    const developerId = typeof body.developer_id === 'string' && body.developer_id !== '' ? body.developer_id : null;
    let customer = await session.createCustomer({
      vaultId,
      ...customerPatchOf(text),
      integratorId: developerId,
    });
    const addresses: Address[] = [];
    for (const entry of shipping) addresses.push(await session.addAddress(customer.seq, addressPatchOf(entry.text, null)));
    const methods: PaymentMethod[] = [];
    for (const entry of billing) methods.push(await session.addPaymentMethod(newPaymentMethodOf(entry, customer.seq, call.now())));
    // The first element marked primary wins; with none marked, the first element (contract §8.1).
    const primaryAddress = addresses[Math.max(0, shipping.findIndex((entry) => entry.primary))];
    const primaryMethod = methods[Math.max(0, billing.findIndex((entry) => entry.primary))];
    if (primaryAddress || primaryMethod) {
      customer = await session.updateCustomer(customer.seq, {
        defaultShippingAddressSeq: primaryAddress?.seq ?? null,
        defaultPaymentMethodSeq: primaryMethod?.seq ?? null,
      });
    }
    // Everything the answer shows was just written here: no need to read it back.
    return { data: renderCustomer({ ...customer, addresses, paymentMethods: methods }, call.merchantId) };
  });

// ---------------------------------------------------------------------------------------------
// 2. GET /vault/customer

export const browseCustomers: Operation = async (call) => {
  const issues = newIssues(call);
  const query = parseBrowseQuery(call.query, issues);
  issues.throwIfAny();
  const plan = planBrowse(query, call.merchantId);
  const offset = query.page * query.count;
  const { items, total } = await call.vault.read(async (session) => {
    if (plan.matchesNothing) return { items: [], total: 0 };
    return session.listCustomers({ where: plan.where, sort: plan.sort, limit: query.count, offset });
  });
  return {
    data: items.map((customer) => renderCustomer(customer, call.merchantId)),
    paging: { totalPages: Math.ceil(total / query.count), totalRecords: total },
  };
};

// ---------------------------------------------------------------------------------------------
// 3. GET /vault/customer/{customer_id}, 7. …/billing, 12. …/shipping

function readCustomer(render: (customer: CustomerAggregate, call: MaastCall) => unknown): Operation {
  return (call) =>
    call.vault.read(async (session) => {
      const customer = await loadCustomer(session, call, false);
      newIssues(call).throwIfAny();
      return { data: render(customer, call) };
    });
}

export const getCustomer = readCustomer((customer, call) => renderCustomer(customer, call.merchantId));
export const getBillingCards = readCustomer((customer) => ({ billing_cards: renderBillingCards(customer) }));
export const getShippingAddresses = readCustomer((customer) => ({ shipping_addresses: renderShippingAddresses(customer) }));

// ---------------------------------------------------------------------------------------------
// 4. PUT /vault/customer/{customer_id}

interface BillingPlanItem {
  path: string;
  kind: 'card' | 'ach';
  existing: PaymentMethod | null;
  merge: BillingMerge | null;
  entry: NewBillingEntry | null;
  primary: boolean;
}

/** Matches the elements of an update array to the customer's payment methods (contract §4.4). */
async function planBillingArray(
  session: VaultSession,
  customer: CustomerAggregate,
  elements: Array<{ element: Body; path: string }>,
  call: MaastCall,
  issues: Issues,
  state: Issues,
): Promise<BillingPlanItem[]> {
  const plan: BillingPlanItem[] = [];
  for (const { element, path } of elements) {
    const kind = classifyEntry(element);
    const cardId = typeof element.card_id === 'string' && element.card_id !== '' ? element.card_id : null;
    let existing = cardId !== null ? customer.paymentMethods.find((method) => method.vaultRef === cardId) : undefined;
    if (existing) {
      await checkSameData(session, customer, existing, element, path, call, issues);
    } else if (kind === 'card' && typeof element.card_number === 'string' && /^[0-9]{13,16}$/.test(element.card_number)) {
      existing = await sameNumberOn(session, customer, { pan: element.card_number });
    } else if (kind === 'ach' && typeof element.tr_number === 'string' && typeof element.dda_number === 'string' && /^[0-9]{5,17}$/.test(element.dda_number)) {
      existing = await sameNumberOn(session, customer, { routingNumber: element.tr_number, accountNumber: element.dda_number });
    }
    if (existing) {
      const merge = checkMerge(element, path, existing, 'billingEntry', call.rules, issues);
      if (await declinesReverification(session, existing, merge, call)) issues.add(at(path, 'card_number'), Rule.declined);
      plan.push({ path, kind: existing.kind, existing, merge, entry: null, primary: merge.primary });
    } else if (kind === 'card' || kind === 'ach') {
      const entry = checkNewEntry(element, path, kind, call.rules, issues);
      plan.push({ path, kind, existing: null, merge: null, entry, primary: entry.primary });
    } else if (kind === 'reference') {
      call.rules.schemas.check('cardIdOnly', { card_id: element.card_id }, issues, path);
      state.add(at(path, 'card_id'), Message.cardIdNotFound);
    } else {
      issues.add(at(path, 'card_number'), Rule.noPaymentData);
    }
  }
  plan.forEach((item, index) => {
    const earlier = plan.slice(0, index);
    const twice = item.existing
      ? earlier.some((other) => other.existing?.seq === item.existing?.seq)
      : earlier.some((other) => other.entry !== null && item.entry !== null && samePaymentData(other.entry, item.entry));
    if (twice) state.add(duplicatePath(item), Message.duplicatePaymentMethod);
  });
  return plan;
}

/** An element referring to an entry by `card_id` may repeat its payment data, masked or in full, but not change it. */
async function checkSameData(
  session: VaultSession,
  customer: CustomerAggregate,
  existing: PaymentMethod,
  element: Body,
  path: string,
  call: MaastCall,
  issues: Issues,
): Promise<void> {
  const mask = maskOf(existing);
  const cardNumber = element.card_number;
  if (cardNumber !== undefined && cardNumber !== '' && cardNumber !== mask) {
    const sameCard =
      existing.kind === 'card' &&
      typeof cardNumber === 'string' &&
      /^[0-9]{13,16}$/.test(cardNumber) &&
      (await sameNumberOn(session, customer, { pan: cardNumber }))?.seq === existing.seq;
    if (!sameCard) issues.add(at(path, 'card_number'), Rule.cardMismatch);
  }
  if (existing.kind !== 'ach') return;
  const routing = element.tr_number;
  if (routing !== undefined && routing !== '' && routing !== existing.routingNumber) issues.add(at(path, 'tr_number'), Rule.achMismatch('tr_number'));
  const account = element.dda_number;
  if (account !== undefined && account !== '' && account !== mask) {
    const sameAccount =
      typeof account === 'string' &&
      existing.routingNumber !== null &&
      (await sameNumberOn(session, customer, { routingNumber: existing.routingNumber, accountNumber: account }))?.seq === existing.seq;
    if (!sameAccount) issues.add(at(path, 'dda_number'), Rule.achMismatch('dda_number'));
  }
}

function planShippingArray(customer: CustomerAggregate, elements: Array<{ element: Body; path: string }>, call: MaastCall, issues: Issues, state: Issues) {
  const seen = new Set<number>();
  return elements.map(({ element, path }) => {
    const id = element.shipping_id;
    if (typeof id !== 'number') return { entry: checkShipping(element, path, 'updateShipping', 'required', call.rules, issues), existing: null };
    const existing = customer.addresses.find((address) => shippingIdOf(address) === id) ?? null;
    // An element that names an address is a reference (merge), found or not: an unknown id is E11, not missing names.
    const entry = checkShipping(element, path, 'updateShipping', 'not-cleared', call.rules, issues);
    if (seen.has(id)) issues.add(at(path, 'shipping_id'), Rule.shippingIdTwice);
    seen.add(id);
    if (!existing) state.add(at(path, 'shipping_id'), Message.shippingIdNotFound);
    return { entry, existing };
  });
}

/** Primary after an array update: the first marked element, else the previous primary if kept, else the first element. */
function primaryAfterUpdate(marked: number, resulting: number[], previous: number | undefined): number | null {
  if (resulting.length === 0) return null;
  if (marked >= 0) return resulting[marked];
  if (previous !== undefined && resulting.includes(previous)) return previous;
  return resulting[0];
}

export const updateCustomer = customerWrite('updateCustomer', async (session, customer, call) => {
  const body = call.rules.schemas.coerce('updateCustomer', call.body);
  const issues = newIssues(call);
  const state = new Issues();
  checkTopLevel(call, 'updateCustomer', body, issues);
  const text = customerTextOf(body);
  const patch = customerPatchOf(text);
  const after = (key: 'givenName' | 'familyName' | 'company') => (patch[key] !== undefined ? patch[key] : customer[key]);
  // The customer must *still* meet the name rule (§4.4): an update that leaves the names alone is
  // not refused because a customer written through another dialect never met it (e.g. an Exact
  // customer with one given name).
  const namesTouched = patch.givenName !== undefined || patch.familyName !== undefined || patch.company !== undefined;
  if (namesTouched || meetsNameRule(customer.givenName, customer.familyName, customer.company)) {
    checkNameRule(after('givenName'), after('familyName'), after('company'), issues);
  }

  const shippingElements = elementsOf(body, 'shipping_addresses', issues);
  const shipping = shippingElements ? planShippingArray(customer, shippingElements, call, issues, state) : undefined;
  const billingElements = elementsOf(body, 'billing_cards', issues);
  const billing = billingElements ? await planBillingArray(session, customer, billingElements, call, issues, state) : undefined;
  issues.throwIfAny();
  state.throwIfAny();

  if (Object.keys(patch).length > 0) await session.updateCustomer(customer.seq, patch);
  const pointers: { defaultShippingAddressSeq?: number | null; defaultPaymentMethodSeq?: number | null } = {};
  if (shipping) {
    const kept = new Set(shipping.flatMap((item) => (item.existing ? [item.existing.seq] : [])));
    for (const address of customer.addresses) if (!kept.has(address.seq)) await session.deleteAddress(address.seq);
    const resulting: number[] = [];
    for (const { entry, existing } of shipping) {
      if (existing) resulting.push((await session.updateAddress(existing.seq, addressPatchOf(entry.text, existing))).seq);
      else resulting.push((await session.addAddress(customer.seq, addressPatchOf(entry.text, null))).seq);
    }
    const previous = primaryOf(customer.addresses, customer.defaultShippingAddressSeq)?.seq;
    pointers.defaultShippingAddressSeq = primaryAfterUpdate(shipping.findIndex((item) => item.entry.primary), resulting, previous);
  }
  if (billing) {
    const kept = new Set(billing.flatMap((item) => (item.existing ? [item.existing.seq] : [])));
    for (const method of customer.paymentMethods) if (!kept.has(method.seq)) await session.deletePaymentMethod(method.seq, 'purge');
    const resulting: number[] = [];
    for (const item of billing) {
      if (item.existing && item.merge) {
        await applyMerge(session, item.existing, item.merge, call.now());
        resulting.push(item.existing.seq);
      } else if (item.entry) {
        resulting.push((await session.addPaymentMethod(newPaymentMethodOf(item.entry, customer.seq, call.now()))).seq);
      }
    }
    const previous = primaryOf(customer.paymentMethods, customer.defaultPaymentMethodSeq)?.seq;
    pointers.defaultPaymentMethodSeq = primaryAfterUpdate(billing.findIndex((item) => item.primary), resulting, previous);
  }
  if (Object.keys(pointers).length > 0) await session.updateCustomer(customer.seq, pointers);
});

// ---------------------------------------------------------------------------------------------
// 5. DELETE /vault/customer/{customer_id}

export const deleteCustomer: Operation = (call) =>
  call.vault.write('maast.deleteCustomer', async (session) => {
    const customer = await loadCustomer(session, call, true);
    newIssues(call).throwIfAny();
    await session.deleteCustomer(customer.seq, 'purge');
    return { data: {} };
  });

// ---------------------------------------------------------------------------------------------
// 6. POST …/billing, 8. PUT …/billing, 9. PUT …/billing/delete, 10. PUT …/billing/primary
// 11. POST …/shipping, 13. PUT …/shipping, 14. DELETE …/shipping/{id}, 15. PUT …/shipping/primary

type Pointer = 'defaultPaymentMethodSeq' | 'defaultShippingAddressSeq';

async function pointTo(session: VaultSession, customer: CustomerAggregate, pointer: Pointer, seq: number | null | undefined): Promise<void> {
  if (seq !== undefined && customer[pointer] !== seq) await session.updateCustomer(customer.seq, { [pointer]: seq });
}

/** E11 / E10 once the fields are valid: `{"card_id":"card_id not found"}`, `{"shipping_id":"shipping_id not found"}`. */
function throwUnlessFound<T>(found: T | undefined, field: 'card_id' | 'shipping_id'): T {
  if (found === undefined) {
    const state = new Issues();
    state.add(field, field === 'card_id' ? Message.cardIdNotFound : Message.shippingIdNotFound);
    state.throwIfAny();
  }
  return found as T;
}

/** The entry a `card_id` body names (E7 when missing or malformed, E10 when not an entry of this customer). */
function namedMethod(call: MaastCall, customer: CustomerAggregate, schema: 'updateBilling' | 'cardIdOnly'): { method: PaymentMethod; body: Body; merge: BillingMerge | null } {
  const body = call.rules.schemas.coerce(schema, call.body);
  const issues = newIssues(call);
  required(body, 'card_id', issues);
  const found = customer.paymentMethods.find((method) => method.vaultRef === body.card_id);
  const merge = found && schema === 'updateBilling' ? checkMerge(body, '', found, schema, call.rules, issues) : null;
  if (!merge) call.rules.schemas.check(schema, body, issues);
  issues.throwIfAny();
  return { method: throwUnlessFound(found, 'card_id'), body, merge };
}

/** A `shipping_id` (body or path): a positive integer of up to 10 digits naming an address of this customer. */
function namedAddress(customer: CustomerAggregate, id: unknown): Address | undefined {
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > 9_999_999_999) return undefined;
  return customer.addresses.find((address) => shippingIdOf(address) === id);
}

export const addBillingCard = customerWrite('addBillingCard', async (session, customer, call) => {
  const body = call.rules.schemas.coerce('billingEntry', call.body);
  const issues = newIssues(call);
  const state = new Issues();
  const kind = classifyEntry(body);
  let entry: NewBillingEntry | null = null;
  if (kind === 'card' || kind === 'ach') entry = checkNewEntry(body, '', kind, call.rules, issues);
  else if (kind === 'reference') {
    call.rules.schemas.check('cardIdOnly', { card_id: body.card_id }, issues);
    const named = customer.paymentMethods.some((method) => method.vaultRef === body.card_id);
    if (named) state.add('card_number', Message.duplicatePaymentMethod);
    else state.add('card_id', Message.cardIdNotFound);
  } else issues.add('card_number', Rule.noPaymentData);
  issues.throwIfAny();
  if (entry) {
    const number = entry.kind === 'card' ? { pan: entry.pan } : { routingNumber: entry.routing, accountNumber: entry.account };
    if (await session.hasSameNumber(customer.seq, number)) state.add(duplicatePath(entry), Message.duplicatePaymentMethod);
  }
  state.throwIfAny();
  if (!entry) throw new Error('unreachable: an entry without payment data passed validation');

  const method = await session.addPaymentMethod(newPaymentMethodOf(entry, customer.seq, call.now()));
  // The first payment method becomes primary whatever `primary` says (contract §4.6).
  if (customer.paymentMethods.length === 0 || entry.primary) await pointTo(session, customer, 'defaultPaymentMethodSeq', method.seq);
});

export const updateBillingCard = customerWrite('updateBillingCard', async (session, customer, call) => {
  const { method, merge } = namedMethod(call, customer, 'updateBilling');
  if (!merge) return;
  if (await declinesReverification(session, method, merge, call)) throw fieldFailed('card_number', Rule.declined);
  await applyMerge(session, method, merge, call.now());
  if (merge.primary) await pointTo(session, customer, 'defaultPaymentMethodSeq', method.seq);
});

export const deleteBillingCard = customerWrite('deleteBillingCard', async (session, customer, call) => {
  const { method } = namedMethod(call, customer, 'cardIdOnly');
  await session.deletePaymentMethod(method.seq, 'purge');
  const remaining = customer.paymentMethods.filter((other) => other.seq !== method.seq);
  await pointTo(session, customer, 'defaultPaymentMethodSeq', promotedPointer(remaining, customer.defaultPaymentMethodSeq, method.seq));
});

export const setPrimaryBillingCard = customerWrite('setPrimaryBillingCard', async (session, customer, call) => {
  const { method } = namedMethod(call, customer, 'cardIdOnly');
  await pointTo(session, customer, 'defaultPaymentMethodSeq', method.seq);
});

export const addShippingAddress = customerWrite('addShippingAddress', async (session, customer, call) => {
  const body = call.rules.schemas.coerce('addShipping', call.body);
  const issues = newIssues(call);
  const entry = checkShipping(body, '', 'addShipping', 'required', call.rules, issues);
  issues.throwIfAny();
  const address = await session.addAddress(customer.seq, addressPatchOf(entry.text, null));
  // The first address becomes primary too (contract §8.1, applied to shipping by this gateway).
  if (customer.addresses.length === 0 || entry.primary) await pointTo(session, customer, 'defaultShippingAddressSeq', address.seq);
});

export const updateShippingAddress = customerWrite('updateShippingAddress', async (session, customer, call) => {
  const body = call.rules.schemas.coerce('updateShipping', call.body);
  const issues = newIssues(call);
  required(body, 'shipping_id', issues);
  const entry = checkShipping(body, '', 'updateShipping', 'required', call.rules, issues);
  issues.throwIfAny();
  const address = throwUnlessFound(namedAddress(customer, body.shipping_id), 'shipping_id');
  await session.updateAddress(address.seq, addressPatchOf(entry.text, address));
  if (entry.primary) await pointTo(session, customer, 'defaultShippingAddressSeq', address.seq);
});

export const deleteShippingAddress = customerWrite('deleteShippingAddress', async (session, customer, call) => {
  newIssues(call).throwIfAny();
  const raw = call.params.id;
  const address = throwUnlessFound(/^[0-9]{1,10}$/.test(raw) ? namedAddress(customer, Number(raw)) : undefined, 'shipping_id');
  await session.deleteAddress(address.seq);
  const remaining = customer.addresses.filter((other) => other.seq !== address.seq);
  await pointTo(session, customer, 'defaultShippingAddressSeq', promotedPointer(remaining, customer.defaultShippingAddressSeq, address.seq));
});

export const setPrimaryShippingAddress = customerWrite('setPrimaryShippingAddress', async (session, customer, call) => {
  const body = call.rules.schemas.coerce('shippingIdOnly', call.body);
  const issues = newIssues(call);
  required(body, 'shipping_id', issues);
  call.rules.schemas.check('shippingIdOnly', body, issues);
  issues.throwIfAny();
  const address = throwUnlessFound(namedAddress(customer, body.shipping_id), 'shipping_id');
  await pointTo(session, customer, 'defaultShippingAddressSeq', address.seq);
});
