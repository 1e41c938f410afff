/**
 * A generated set of malformed bodies sent to every write route of every dialect: a wrong JSON type
 * at every field, huge strings (100 KB in every string field, 2 MB once), deep nesting, unicode edge
 * cases (lone surrogates, NUL, RTL override, emoji, combining marks, BOM, invalid UTF-8), prototype
 * pollution keys (`__proto__`, `constructor`, `prototype`) at the root and in every nested object,
 * bodies that are not objects, and form-encoded bodies. For each request: never a 5xx; a refusal is
 * in the dialect's own error envelope and leaves the vault tables exactly as they were (no partial
 * write); and `Object.prototype` is never polluted. The sweeps over every field (wrong types,
 * 100 KB strings, pollution keys in every nested object, unicode in place of every string) run on
 * SQLite; MariaDB gets each kind once per route (root pollution keys, unicode appended to every
 * string, huge strings, deep nesting, non-object bodies): parsing and validation are the same code
 * on both, storage is what differs.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CreatedTenant } from '../support/harness';
import { describeEachDatabase } from '../support/harness';
import { type Json, leaves, type Path, replaced } from './jsonPaths';
import { authHeader, DIALECT_NAMES, type DialectName, expectLogsClean, fixtures, isDialectError, keyOf, NUMBER_SECRETS, routeCall, routesOf, send, tenantSecrets, fill } from './routes';

interface Variant {
  what: string;
  /** The body as sent (JSON text, or raw bytes). */
  raw: string | Buffer;
  contentType?: string;
}

function mapStrings(value: Json, f: (s: string) => string): Json {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, f));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)]));
  return value;
}

function wrongTypes(value: Json): Json[] {
  if (typeof value === 'string') return [12345, true, {}, [value]];
  if (typeof value === 'number') return [String(value) + 'x', false, {}, -1e308];
  if (typeof value === 'boolean') return ['maybe', 2, []];
  if (Array.isArray(value)) return ['x', {}, [[[]]]];
  if (value !== null && typeof value === 'object') return ['x', 7, [value]];
  return ['x', 7, {}];
}

const nest = (depth: number, inner: Json = 'x'): Json => {
  let value = inner;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { a: value } : [value];
  return value;
};

const UNICODE: Array<[string, string]> = [
  ['lone high surrogate', '\ud800'],
  ['lone low surrogate', '\udfff'],
  ['NUL', '\u0000'],
  ['RTL override', '\u202e\u0645\u0631\u062d\u0628\u0627'],
  ['emoji', '😀👩‍👩‍👧🏳️‍🌈'],
  ['combining marks', 'e\u0301\u0302\u0303\u0304\u0305\u0306'],
  ['BOM and zero-width', '\ufeff\u200b\u200d'],
  ['non-characters', '\uffff\ufffe'],
];

const POLLUTERS = ['__proto__', 'constructor', 'prototype'];
/** Names of Object.prototype members, sent as values (enum fields, sort fields, operators). */
const MAGIC = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];

/** Every malformed variant of one valid body. */
function malformedBodies(valid: Json, level: 'full' | 'light', everywhere: boolean): Variant[] {
  const json = (what: string, body: Json): Variant => ({ what, raw: JSON.stringify(body) });
  const out: Variant[] = [];
  const all = leaves(valid);
  const objects: Path[] = [[], ...all.filter((l) => l.value !== null && typeof l.value === 'object' && !Array.isArray(l.value)).map((l) => l.path)];
  // Prototype pollution: each key at the root and in every nested object, written into the JSON text.
  for (const key of POLLUTERS) {
    for (const path of level === 'full' && everywhere ? objects : [[] as Path]) {
      const marker = '__POLLUTER_MARKER__';
      const target = path.length === 0 ? valid : (all.find((l) => l.path.join('.') === path.join('.'))!.value as Json);
      const withMarker = replaced(valid, path, { [marker]: { polluted: 'yes', prototype: { polluted: 'yes' } }, ...(target as Record<string, Json>) });
      out.push({ what: `${key} at ${path.join('.') || 'root'}`, raw: JSON.stringify(withMarker).replace(`"${marker}"`, `"${key}"`) });
    }
  }
  out.push({ what: 'constructor.prototype at root', raw: JSON.stringify({ constructor: { prototype: { polluted: 'yes' } }, ...(valid as object) }) });
  // Not an object at all, or not JSON.
  for (const raw of ['[]', '"text"', '123', 'null', 'true', '{', '{"a":}', ']', '{"a":1,}', "{'a':1}", 'NaN']) out.push({ what: `body ${raw}`, raw });
  out.push({ what: 'form-encoded body', raw: 'customer_first_name=Jane&card_number=4111111111111111', contentType: 'application/x-www-form-urlencoded' });
  out.push({ what: 'invalid UTF-8 bytes', raw: Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from('"}')]) });
  // Deep nesting: at the root, as an extra field, and in place of the first field.
  out.push({ what: 'arrays nested 10000 deep', raw: '['.repeat(10000) + ']'.repeat(10000) });
  out.push({ what: 'objects nested 5000 deep', raw: '{"a":'.repeat(5000) + '1' + '}'.repeat(5000) });
  out.push(json('extra field nested 64 deep', { ...(valid as object), extra: nest(64) }));
  if (all.length > 0) out.push(json(`${all[0].path.join('.')} nested 40 deep`, replaced(valid, all[0].path, nest(40))));
  // Unicode: appended to every string field at once, then in place of every string field.
  for (const [what, text] of UNICODE) {
    out.push(json(`${what} appended to every string`, mapStrings(valid, (s) => s + text)));
    if (level === 'full' && everywhere) out.push(json(`${what} as every string`, mapStrings(valid, () => text)));
  }
  // Object.prototype member names as values: in every string field at once, then one field at a time.
  for (const word of MAGIC) out.push(json(`"${word}" as every string`, mapStrings(valid, () => word)));
  if (level === 'full' && everywhere) {
    for (const leaf of all.filter((l) => typeof l.value === 'string')) for (const word of MAGIC.slice(0, 2)) out.push(json(`"${word}" in ${leaf.path.join('.')}`, replaced(valid, leaf.path, word)));
  }
  // Huge strings: 2 MB once; 100 KB in each string field.
  const strings = all.filter((l) => typeof l.value === 'string');
  if (strings.length > 0) out.push(json(`2 MB in ${strings[0].path.join('.')}`, replaced(valid, strings[0].path, 'A'.repeat(2 * 1024 * 1024))));
  else out.push(json('2 MB extra field', { ...(valid as object), extra: 'A'.repeat(2 * 1024 * 1024) }));
  for (const leaf of level === 'full' && everywhere ? strings : strings.slice(0, 2)) out.push(json(`100 KB in ${leaf.path.join('.')}`, replaced(valid, leaf.path, '9'.repeat(100 * 1024))));
  // A wrong type at every field (validation is the same code on every database: once is enough).
  for (const leaf of level === 'full' && everywhere ? all : all.slice(0, 2)) {
    for (const wrong of wrongTypes(leaf.value)) out.push(json(`${leaf.path.join('.')} = ${JSON.stringify(wrong)}`, replaced(valid, leaf.path, wrong)));
  }
  return out;
}

describeEachDatabase('malformed bodies on every write route', (h, db) => {
  let tenant: CreatedTenant;

  beforeAll(async () => {
    tenant = await h().createTenant();
  });

  /** Row counts, latest update and deleted rows of the three vault tables, in one query. */
  async function vaultState(): Promise<string> {
    const part = (table: string) =>
      `SELECT '${table}' AS t, COUNT(*) AS n, MAX(updated_at) AS u, SUM(CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END) AS d FROM ${table}`;
    const rows = (await h().context.store.read((m) => m.query(['customer', 'address', 'payment_method'].map(part).join(' UNION ALL ')))) as Array<Record<string, unknown>>;
    return rows.map((row) => `${String(row.t)}=${Number(row.n)}/${String(row.u)}/${Number(row.d)}`).join(' ');
  }

  for (const dialect of DIALECT_NAMES) {
    it(`${dialect}: never a 5xx, never a partial write, always the dialect's error envelope`, async () => {
      const problems: string[] = [];
      let sent = 0;
      let refused = 0;
      for (const route of routesOf(dialect).filter((r) => r.body)) {
        // Fresh records for each route: an accepted variant (a pollution key dropped, a unicode
        // name) may change or delete what the next variants need.
        const ids = await fixtures(h(), tenant, dialect);
        const level = route.name.endsWith('partner') ? 'light' : 'full';
        const path = fill(route.path, ids);
        let before = await vaultState();
        for (const variant of malformedBodies(route.body!(ids) as Json, level, db === 'sqlite')) {
          const res = await send(h(), {
            method: route.method,
            path,
            authorization: authHeader(dialect, keyOf(tenant, dialect, route.publicKey)),
            raw: variant.raw as string,
            contentType: variant.contentType,
          });
          sent += 1;
          const where = `${route.name} ${route.method.toUpperCase()} ${route.path} with ${variant.what}`;
          if (res.status >= 500) problems.push(`${where}: ${res.status} ${res.text.slice(0, 200)}`);
          else if (res.status >= 400) {
            refused += 1;
            if (!isDialectError(dialect, res)) problems.push(`${where}: ${res.status} not in the dialect's envelope: ${res.text.slice(0, 200)}`);
            const after = await vaultState();
            if (after !== before) problems.push(`${where}: refused with ${res.status} but the vault changed: ${before} -> ${after}`);
            before = after;
          } else {
            before = await vaultState();
          }
          if (({} as Record<string, unknown>).polluted !== undefined || (Object.prototype as unknown as Record<string, unknown>).polluted !== undefined) {
            problems.push(`${where}: Object.prototype was polluted`);
            delete (Object.prototype as unknown as Record<string, unknown>).polluted;
          }
        }
      }
      expect(problems).toEqual([]);
      expect(sent).toBeGreaterThan(db === 'sqlite' ? 200 : 100);
      expect(refused).toBeGreaterThan(sent / 2);
    });
  }

  const QUERIES = [
    '__proto__[polluted]=yes',
    'constructor[prototype][polluted]=yes',
    'a[b][c][d][e][f][g][h][i][j]=1',
    'count[]=1&page[x]=2&$limit[]=1&$skip[a]=1&per_page[]=1&sort[]=x&order_on[]=a&validate[]=true',
    'filter=%ff&x=%&$sort=%e2%82',
    `q=${'9'.repeat(6000)}`,
    // Values that name Object.prototype members: a lookup table indexed with them must not find them.
    ...MAGIC.map((word) =>
      ['sort', 'order', '$sort', '$limit', '$skip', 'order_on', 'order_by', 'count', 'page', 'per_page', 'keywords', 'include_deleted', 'validate', 'authorize', 'merchant_id', 'email', 'firstname', 'name']
        .map((name) => `${name}=${word}`)
        .concat([`filter=${word},${word},${word}`, `filter=customer_id,${word},x`, `filter=${word},IS,x`, `$sort=-${word}`])
        .join('&'),
    ),
  ];

  for (const dialect of DIALECT_NAMES) {
    it(`${dialect}: odd query strings on every route: never a 5xx, errors in the dialect's envelope, no pollution`, async () => {
      const ids = await fixtures(h(), tenant, dialect);
      const problems: string[] = [];
      // Query parsing does not depend on the database; on MariaDB the reads (whose filters and sorts reach SQL) suffice.
      for (const route of routesOf(dialect).filter((r) => db === 'sqlite' || r.method === 'get')) {
        for (const query of QUERIES) {
          const call = routeCall(route, tenant, ids);
          call.path += (call.path.includes('?') ? '&' : '?') + query;
          const res = await send(h(), call);
          const where = `${route.name} ${route.method.toUpperCase()} ${route.path} ?${query.slice(0, 40)}`;
          if (res.status >= 500) problems.push(`${where}: ${res.status} ${res.text.slice(0, 200)}`);
          else if (res.status >= 400 && !isDialectError(dialect, res)) problems.push(`${where}: ${res.status} not in the dialect's envelope: ${res.text.slice(0, 200)}`);
          if (({} as Record<string, unknown>).polluted !== undefined) problems.push(`${where}: Object.prototype was polluted`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  // Contracts: Maast §9 (26), Exact §4 and §9, Stax §4 read JSON whatever the Content-Type; FluidPay's
  // user docs say the same. A form-encoded body is not JSON: the dialect's malformed-body error.
  const MALFORMED: Record<DialectName, (res: import('supertest').Response) => unknown> = {
    maast: () => ({ code: 2, message: 'Request Validation Failed', data: { body: 'Malformed JSON body' } }),
    fluidpay: () => ({ status: 'failed', msg: 'bad request error: body: malformed JSON' }),
    exact: (res) => ({
      code: 'validation-error',
      message: 'Client request body failed validation',
      type: 'invalid-request-error',
      requestId: res.headers['x-request-id'],
      pathIssues: [{ field: '', type: 'invalid_type', details: ['Malformed JSON body'] }],
    }),
    stax: () => ({ error: 'Invalid JSON body.' }),
  };

  /** A POST as curl sends it, with exactly this Content-Type (or none at all). */
  async function rawPost(path: string, authorization: string, body: string, contentType: string | null): Promise<{ status: number; text: string }> {
    const server = h().app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      return await new Promise((resolve, reject) => {
        const headers: Record<string, string | number> = { Authorization: authorization, 'Content-Length': Buffer.byteLength(body) };
        if (contentType !== null) headers['Content-Type'] = contentType;
        const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on('error', reject);
        req.end(body);
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  for (const dialect of DIALECT_NAMES) {
    it(`${dialect}: a JSON body is read whatever the Content-Type; a form-encoded one is the malformed-body error`, async () => {
      const create = routesOf(dialect).find((r) => r.method === 'post' && !r.path.includes('{') && !r.publicKey && !r.name.includes('search') && !r.name.includes('tokeniz'))!;
      const ids = await fixtures(h(), tenant, dialect);
      const authorization = authHeader(dialect, keyOf(tenant, dialect));
      const json = JSON.stringify(create.body!(ids));
      for (const contentType of ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', 'multipart/form-data; boundary=x', null]) {
        const res = await rawPost(create.path, authorization, json, contentType);
        expect(`${contentType}: ${res.status} ${res.text.slice(0, 300)}`).toMatch(/^[^:]+: 20[01] /);
      }
      const rows = await vaultState();
      for (const contentType of ['application/x-www-form-urlencoded', 'application/json']) {
        const res = await send(h(), { method: 'post', path: create.path, authorization, raw: 'firstname=Jane&card_number=4111111111111111&cvv=8642', contentType });
        expect(`${contentType}: ${res.status} ${JSON.stringify(res.body)}`).toBe(`${contentType}: 400 ${JSON.stringify(MALFORMED[dialect](res))}`);
      }
      expect(await vaultState()).toBe(rows);
    });
  }

  it('logged none of the keys, PANs, account numbers or CVVs sent', () => {
    expect(h().logs()).not.toMatch(/"level":50/);
    expectLogsClean(h().logs(), [...tenantSecrets(tenant), ...NUMBER_SECRETS]);
  });
});

