/**
 * E4 (PUT /customer/{id}): the two body forms (contract §4.5, §7.2, §8.3) parsed into one update,
 * and the plan of canonical writes that applies it to a stored customer, or "nothing changes" (304).
 *
 * Replacing the address list updates rows in place (only the fields Exact can express), so rows keep
 * their ids (Maast `shipping_id`, FluidPay address id) and the fields other dialects set on them
 * (names, company, phone, emails, fax). Exact sends no address ids, so the requested list is aligned
 * with the stored rows, both in order: first on addresses equal as Exact shows them (a row without a
 * label matches whatever label the client had to add), then on the same `line1`, then by position.
 * Unpaired rows are deleted, unpaired addresses added (at the end). So removing one address does not
 * move the next one's street under the removed one's names. When honouring the requested order would
 * need a new row before a kept one (new rows always come last), the whole list is paired by position
 * instead. `$pull` deletes exactly the rows with the label, `$push` appends new rows.
 */
import { isPlainObject } from '../shared/body';
import type { Address, CustomerAggregate } from '../../core/model';
import type { CustomerPatch, NewAddress } from '../../core/vault/commands';
import type { Checked } from './requests';
import { bodyShapeIssue } from './requests';
import { issuesFromAjv, sortIssuesByBodyOrder, type ExactValidators } from './schemas';
import { addressFieldsFromInput, addressFieldsOf, addressPatch, customerName, nameWrite, sameAddressFields, type AddressInput, type ExactAddressFields } from './translate';
import type { PathIssue } from './wire';

export const MAX_ADDRESSES = 50;

const OPERATORS = ['$set', '$unset', '$push', '$pull'] as const;
type Operator = (typeof OPERATORS)[number];
const TARGETS: Readonly<Record<Operator, readonly string[]>> = {
  $set: ['name', 'email', 'phone', 'addresses'],
  $unset: ['name', 'email', 'phone', 'addresses'],
  $push: ['addresses'],
  $pull: ['addresses'],
};

export interface CustomerUpdate {
  name?: string;
  /** null removes. */
  email?: string | null;
  phone?: string | null;
  /** The whole new list (form A, `$set`, `$unset` → []). */
  replaceAddresses?: AddressInput[];
  pushAddresses?: AddressInput[];
  pullLabel?: string;
}

function isOperator(key: string): key is Operator {
  return (OPERATORS as readonly string[]).includes(key);
}

/** Form A: a plain partial customer (already schema-valid). */
function fromPlainFields(fields: Record<string, unknown>): CustomerUpdate {
  const update: CustomerUpdate = {};
  if (typeof fields.name === 'string') update.name = fields.name;
  if (fields.email !== undefined) update.email = fields.email as string | null;
  if (fields.phone !== undefined) update.phone = fields.phone as string | null;
  if (fields.addresses !== undefined) update.replaceAddresses = (fields.addresses as AddressInput[] | null) ?? [];
  return update;
}

export function parseCustomerUpdate(validators: ExactValidators, body: unknown): Checked<CustomerUpdate> {
  if (!isPlainObject(body)) return { ok: false, issues: [bodyShapeIssue(body, false)] };
  const keys = Object.keys(body);
  if (!keys.some((key) => key.startsWith('$'))) {
    if (!validators.customerPatch(body)) return { ok: false, issues: sortIssuesByBodyOrder(issuesFromAjv(validators.customerPatch.errors), body) };
    return { ok: true, value: fromPlainFields(body) };
  }

  const issues: PathIssue[] = [];
  const firstPlain = keys.find((key) => !key.startsWith('$'));
  if (firstPlain !== undefined) issues.push({ field: firstPlain, type: 'unrecognized_keys', details: ['Cannot mix update operators with plain fields'] });
  for (const key of keys) {
    if (key.startsWith('$') && !isOperator(key)) issues.push({ field: key, type: 'unrecognized_keys', details: [`Unsupported update operator: ${key}`] });
  }
  if (!validators.updateOperators(body)) issues.push(...issuesFromAjv(validators.updateOperators.errors));
  const seen = new Set<string>();
  for (const key of keys) {
    const operand = body[key];
    if (!isOperator(key) || !isPlainObject(operand)) continue;
    for (const field of Object.keys(operand)) {
      if (!TARGETS[key].includes(field)) continue;
      if (key === '$unset' && field === 'name') issues.push({ field: '$unset.name', type: 'custom', details: ['name cannot be removed'] });
      if (seen.has(field)) issues.push({ field: `${key}.${field}`, type: 'custom', details: [`Conflicting update operators for ${field}`] });
      seen.add(field);
    }
  }
  if (issues.length > 0) return { ok: false, issues: sortIssuesByBodyOrder(issues, body) };

  const update: CustomerUpdate = isPlainObject(body.$set) ? fromPlainFields(body.$set) : {};
  if (isPlainObject(body.$unset)) {
    if ('email' in body.$unset) update.email = null;
    if ('phone' in body.$unset) update.phone = null;
    if ('addresses' in body.$unset) update.replaceAddresses = [];
  }
  if (isPlainObject(body.$push) && body.$push.addresses !== undefined) {
    const pushed = body.$push.addresses;
    update.pushAddresses = isPlainObject(pushed) && Array.isArray(pushed.$each) ? (pushed.$each as AddressInput[]) : [pushed as AddressInput];
  }
  if (isPlainObject(body.$pull) && isPlainObject(body.$pull.addresses)) update.pullLabel = body.$pull.addresses.label as string;
  return { ok: true, value: update };
}

export interface UpdatePlan {
  customer: CustomerPatch;
  updateAddresses: Array<{ seq: number; patch: NewAddress }>;
  deleteAddressSeqs: number[];
  addAddresses: ExactAddressFields[];
}

export function planIsEmpty(plan: UpdatePlan): boolean {
  return Object.keys(plan.customer).length === 0 && plan.updateAddresses.length === 0 && plan.deleteAddressSeqs.length === 0 && plan.addAddresses.length === 0;
}

/** The canonical writes that make the stored customer look like the update asks; issues when the result breaks a rule. */
type Pairing = Array<{ row: Address | null; wanted: ExactAddressFields | null }>;
type Same = (row: Address, wanted: ExactAddressFields) => boolean;

/** Equal as Exact shows it; a stored address without a label matches whatever label the client had to add. */
const sameAsShown: Same = (row, wanted) => sameAddressFields({ ...addressFieldsOf(row), label: row.label ?? wanted.label }, wanted);
const sameStreet: Same = (row, wanted) => wanted.line1 !== null && row.line1 === wanted.line1;

/**
 * Pairs stored rows with requested addresses in order (both sequences stay in their order): the
 * longest run of pairs that are `same[0]`, then, between those, of `same[1]`, then by position.
 * A stored row paired with nothing is deleted, a requested address paired with nothing is added.
 */
function align(stored: readonly Address[], wanted: readonly ExactAddressFields[], same: readonly Same[]): Pairing {
  if (same.length === 0) {
    const out: Pairing = [];
    for (let i = 0; i < Math.max(stored.length, wanted.length); i += 1) out.push({ row: stored[i] ?? null, wanted: wanted[i] ?? null });
    return out;
  }
  const [first, ...rest] = same;
  // Longest common subsequence under `first`.
  const n = stored.length;
  const m = wanted.length;
  const table: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      table[i][j] = first(stored[i], wanted[j]) ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const out: Pairing = [];
  let i = 0;
  let j = 0;
  let gapRows: Address[] = [];
  let gapWanted: ExactAddressFields[] = [];
  const flush = () => {
    out.push(...align(gapRows, gapWanted, rest));
    gapRows = [];
    gapWanted = [];
  };
  while (i < n || j < m) {
    if (i < n && j < m && first(stored[i], wanted[j]) && table[i][j] === table[i + 1][j + 1] + 1) {
      flush();
      out.push({ row: stored[i], wanted: wanted[j] });
      i += 1;
      j += 1;
    } else if (j >= m || (i < n && table[i + 1][j] >= table[i][j + 1])) {
      gapRows.push(stored[i]);
      i += 1;
    } else {
      gapWanted.push(wanted[j]);
      j += 1;
    }
  }
  flush();
  return out;
}

/**
 * The stored row each requested address replaces (`null`: a new row); see the module comment.
 * New rows are created after every existing one, so when a pairing would put a new address before
 * a kept one, the requested order can only be honoured by position (contract §8.3: the list is
 * replaced as a whole, its order included).
 */
function pairAddresses(stored: readonly Address[], wanted: readonly ExactAddressFields[]): Array<Address | null> {
  let pairing = align(stored, wanted, [sameAsShown, sameStreet]);
  const kept = pairing.filter((pair) => pair.wanted !== null);
  const addedBeforeKept = kept.some((pair, index) => pair.row === null && kept.slice(index + 1).some((later) => later.row !== null));
  if (addedBeforeKept) pairing = align(stored, wanted, []);
  return pairing.filter((pair) => pair.wanted !== null).map((pair) => pair.row);
}

export function planCustomerUpdate(current: CustomerAggregate, update: CustomerUpdate): Checked<UpdatePlan> {
  const plan: UpdatePlan = { customer: {}, updateAddresses: [], deleteAddressSeqs: [], addAddresses: [] };

  // Sending back the name as read changes nothing, even when it came from the company or from
  // names that splitting would cut differently ("Mary Ann" + "Smith").
  if (update.name !== undefined && update.name !== customerName(current)) {
    const names = nameWrite(update.name, current.extensions);
    if (names.givenName !== current.givenName) plan.customer.givenName = names.givenName;
    if (names.familyName !== current.familyName) plan.customer.familyName = names.familyName;
    if (JSON.stringify(names.extensions) !== JSON.stringify(current.extensions)) plan.customer.extensions = names.extensions;
  }
  if (update.email !== undefined && (update.email || null) !== current.email) plan.customer.email = update.email || null;
  if (update.phone !== undefined && (update.phone || null) !== current.phone) plan.customer.phone = update.phone || null;

  const stored = current.addresses;
  if (update.replaceAddresses) {
    const wanted = update.replaceAddresses.map(addressFieldsFromInput);
    const paired = pairAddresses(stored, wanted);
    wanted.forEach((fields, index) => {
      const row = paired[index];
      if (row === null) plan.addAddresses.push(fields);
      else {
        const patch = addressPatch(row, fields);
        if (Object.keys(patch).length > 0) plan.updateAddresses.push({ seq: row.seq, patch });
      }
    });
    const kept = new Set(paired.filter((row): row is Address => row !== null).map((row) => row.seq));
    for (const extra of stored) if (!kept.has(extra.seq)) plan.deleteAddressSeqs.push(extra.seq);
  }
  if (update.pullLabel !== undefined) {
    for (const address of stored) if (address.label === update.pullLabel) plan.deleteAddressSeqs.push(address.seq);
  }
  if (update.pushAddresses) {
    if (stored.length + update.pushAddresses.length > MAX_ADDRESSES) {
      return { ok: false, issues: [{ field: '$push.addresses', type: 'too_big', details: [`Array must contain at most ${MAX_ADDRESSES} element(s)`] }] };
    }
    plan.addAddresses.push(...update.pushAddresses.map(addressFieldsFromInput));
  }
  return { ok: true, value: plan };
}
