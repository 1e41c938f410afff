/**
 * The examples of the Maast contract's §4 (tests/fixtures/providers/maast-endpoint-examples.md),
 * read from the document itself so that the tests replay them verbatim, and helpers to compare an answer with a documented one
 * whose ids (rec_id, shipping_id, generated card_id) are illustrative.
 */
import { readProviderFixture } from '../../support/fixtures';
import type { MaastClient } from './support';
import { VAULT } from './support';

export const CONTRACT_EXAMPLES = 'maast-endpoint-examples.md';

export interface ContractExamples {
  /** Every ```json block of the section, parsed, in order (for 4.1 the ```http request body comes first). */
  blocks: Array<Record<string, unknown>>;
  /** Every inline `{…}` JSON object of the section's prose, parsed, in order. */
  inline: Array<Record<string, unknown>>;
  text: string;
}

export function contractSection(number: string): ContractExamples {
  return sectionExamples(readProviderFixture(CONTRACT_EXAMPLES), number);
}

/** The examples of one `### <number>` section of a contract document; a broken example throws. */
export function sectionExamples(document: string, number: string): ContractExamples {
  const start = document.indexOf(`\n### ${number} `);
  if (start < 0) throw new Error(`no section ${number}`);
  const end = document.indexOf('\n### ', start + 1);
  const text = document.slice(start, end < 0 ? undefined : end);
  const blocks: Array<Record<string, unknown>> = [];
  for (const match of text.matchAll(/```(json|http)\n([\s\S]*?)```/g)) {
    const content = match[1] === 'http' ? match[2].slice(match[2].indexOf('\n\n') + 2) : match[2];
    blocks.push(JSON.parse(content) as Record<string, unknown>);
  }
  const inline: Array<Record<string, unknown>> = [];
  for (const match of text.replace(/```[\s\S]*?```/g, '').matchAll(/`(\{[^`]*\})`/g)) {
    const candidate = match[1].replace(/\n/g, ' ');
    try {
      inline.push(JSON.parse(candidate) as Record<string, unknown>);
    } catch (error) {
      // Not an example: prose such as `{customer_id}` or `{code,message,data}` (no quoted key), or a
      // template with placeholders such as `"data":<Customer>` or `, …}`. Anything else that fails to
      // parse is a broken example: the run fails rather than replaying one example fewer.
      if (isProseOrTemplate(candidate)) continue;
      throw new Error(`Maast contract §${number}: the inline example ${candidate} is not valid JSON (${(error as Error).message})`);
    }
  }
  return { blocks, inline, text };
}

/** A braced text in the prose that is not meant as JSON: no quoted key, or `<placeholder>` / `…` outside strings. */
export function isProseOrTemplate(text: string): boolean {
  if (!text.includes('"')) return true;
  const outsideStrings = text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return /<[^<>]+>|…/.test(outsideStrings);
}

type View = Record<string, unknown>;
type Entry = Record<string, unknown>;

/** Test PANs behind the masks the examples show. */
const PANS: Record<string, string> = { '411111xxxxxx1111': '4111111111111111', '545454xxxxxx5454': '5454545454545454' };

/**
 * Creates, through POST /vault/customer, a customer in the state a documented customer object
 * shows (same fields, same cards with their card_id, same addresses, same primaries). Returns the
 * created customer object.
 */
export async function createFromView(client: MaastClient, view: View): Promise<View> {
  const { rec_id: _rec, node_id: _node, primary_card_number: _primary, shipping_addresses, billing_cards, ...fields } = view;
  const body = {
    ...fields,
    shipping_addresses: (shipping_addresses as Entry[]).map(({ shipping_id: _id, ...address }) => address),
    billing_cards: (billing_cards as Entry[]).map(({ card_type: _type, verified_date: _verified, card_number, ...card }) => ({
      ...card,
      card_number: PANS[card_number as string],
    })),
  };
  const res = await client.post(VAULT, body).expect(200);
  return res.body.data as View;
}

export interface IdMap {
  recId: number;
  shipping: Map<number, number>;
  cards: Map<string, string>;
}

/** Ids of a documented customer object → the ids of the same entries in an actual one (same positions). */
export function idsOf(documented: View, actual: View, into?: IdMap): IdMap {
  const map: IdMap = into ?? { recId: actual.rec_id as number, shipping: new Map(), cards: new Map() };
  const docShipping = (documented.shipping_addresses as Entry[] | undefined) ?? [];
  const realShipping = (actual.shipping_addresses as Entry[] | undefined) ?? [];
  docShipping.forEach((entry, i) => {
    if (!map.shipping.has(entry.shipping_id as number) && realShipping[i]) map.shipping.set(entry.shipping_id as number, realShipping[i].shipping_id as number);
  });
  const docCards = (documented.billing_cards as Entry[] | undefined) ?? [];
  const realCards = (actual.billing_cards as Entry[] | undefined) ?? [];
  docCards.forEach((entry, i) => {
    if (!map.cards.has(entry.card_id as string) && realCards[i]) map.cards.set(entry.card_id as string, realCards[i].card_id as string);
  });
  return map;
}

/** The documented value with its illustrative ids replaced by the actual ones. */
export function withIds<T>(documented: T, ids: IdMap): T {
  const walk = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) return value.map((item) => walk(item));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    if (key === 'rec_id') return ids.recId;
    if (key === 'shipping_id' && typeof value === 'number') return ids.shipping.get(value) ?? value;
    if (key === 'card_id' && typeof value === 'string') return ids.cards.get(value) ?? value;
    return value;
  };
  return walk(documented) as T;
}
