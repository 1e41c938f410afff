/**
 * E4 (PUT /customer/{id}): the two body forms (contract §4.5, §7.2, §8.3) parsed into one update,
 * and the plan of canonical writes that applies it to a stored customer, or "nothing changes" (304).
 *
 * Address writes are positional: the stored addresses are in creation order, and the i-th requested
 * address updates the i-th stored row in place (only the fields Exact can express), extra rows are
 * deleted and extra addresses added. Rows therefore keep their ids (Maast `shipping_id`) and the
 * fields other dialects set on them (names, company, phone, emails, fax). `$pull` deletes exactly
 * the rows with the label, `$push` appends new rows.
 */
import { isPlainObject } from '../shared/body';
import type { CustomerAggregate } from '../../core/model';
import type { CustomerPatch, NewAddress } from '../../core/vault/commands';
import type { Checked } from './requests';
import { bodyShapeIssue } from './requests';
import { issuesFromAjv, sortIssuesByBodyOrder, type ExactValidators } from './schemas';
import { addressFieldsFromInput, addressPatch, customerName, nameWrite, type AddressInput, type ExactAddressFields } from './translate';
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
    wanted.forEach((fields, index) => {
      if (index >= stored.length) plan.addAddresses.push(fields);
      else {
        const patch = addressPatch(stored[index], fields);
        if (Object.keys(patch).length > 0) plan.updateAddresses.push({ seq: stored[index].seq, patch });
      }
    });
    for (const extra of stored.slice(wanted.length)) plan.deleteAddressSeqs.push(extra.seq);
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
