/**
 * The VaultSession implementation: canonical commands on one tenant's records, run on an
 * EntityManager that is either a transaction (writes) or the plain manager (reads).
 */
import { Brackets, IsNull, type EntityManager, type SelectQueryBuilder, type WhereExpressionBuilder } from 'typeorm';
import { cardBrand } from '../cards';
import { ConflictError, NotFoundError } from '../errors';
import { isObjectIdHex, isUuid, newObjectId, newUuid, objectIdToXid, randomString, uuidHex } from '../ids';
import type { Keyring, TenantKeys } from '../crypto/keyring';
import type { Address, AddressFields, Customer, CustomerAggregate, PaymentMethod, Tenant } from '../model';
import { AddressEntity, CustomerEntity, PaymentMethodEntity } from '../persistence/entities';
import { applyBilling, clean, cleanList, toAddress, toCustomer, toPaymentMethod } from '../persistence/mappers';
import { adjustLiveCustomers, liveCustomers } from '../persistence/customerCounts';
import { rawRows, sqlRunner } from '../persistence/rawRows';
import type {
  AddressPatch,
  AddressRef,
  CustomerCondition,
  CustomerField,
  CustomerPage,
  CustomerPatch,
  CustomerQuery,
  CustomerRef,
  FindOptions,
  LoadOptions,
  NewAddress,
  NewCustomer,
  NewPaymentMethod,
  PaymentMethodPatch,
  PaymentMethodRef,
  VaultSession,
} from './commands';

const CUSTOMER_COLUMNS: Record<CustomerField, { column: string; numeric: boolean; caseFold?: boolean }> = {
  seq: { column: 'seq', numeric: true },
  id: { column: 'id', numeric: false, caseFold: true },
  objectId: { column: 'object_id', numeric: false, caseFold: true },
  vaultId: { column: 'vault_id', numeric: false },
  givenName: { column: 'given_name', numeric: false },
  familyName: { column: 'family_name', numeric: false },
  company: { column: 'company', numeric: false },
  email: { column: 'email', numeric: false },
  phone: { column: 'phone', numeric: false },
  description: { column: 'description', numeric: false },
  notes: { column: 'notes', numeric: false },
  reference: { column: 'reference', numeric: false },
  integratorId: { column: 'integrator_id', numeric: false },
  createdAt: { column: 'created_at', numeric: true },
  updatedAt: { column: 'updated_at', numeric: true },
  deletedAt: { column: 'deleted_at', numeric: true },
  defaultBillingAddressSeq: { column: 'default_billing_address_seq', numeric: true },
  defaultShippingAddressSeq: { column: 'default_shipping_address_seq', numeric: true },
  defaultPaymentMethodSeq: { column: 'default_payment_method_seq', numeric: true },
  fullName: { column: 'full_name', numeric: false },
};

/**
 * The one-statement customer load's SQL (MySQL), built once per kind of reference: about 4 kB of
 * text that would otherwise be assembled again for every get. The keys are the few WHERE texts
 * `customerKey` can write.
 */
const CUSTOMER_AT_ONCE_SQL = new Map<string, string>();

const CUSTOMER_STRING_FIELDS = ['givenName', 'familyName', 'company', 'email', 'phone', 'description', 'notes', 'reference', 'integratorId'] as const;

const ADDRESS_STRING_FIELDS = [
  'label',
  'givenName',
  'familyName',
  'company',
  'line1',
  'line2',
  'city',
  'state',
  'postalCode',
  'postalCodeExt',
  'country',
  'countryName',
  'countryCode',
  'phone',
  'fax',
] as const;

/** The FluidPay-documented normal form of an address for its keyed hash (contract §6.6). */
function normaliseAddress(fields: Partial<AddressFields>): string {
  const parts = [
    fields.givenName,
    fields.familyName,
    fields.company,
    fields.line1,
    fields.line2,
    fields.city,
    fields.state,
    fields.postalCode,
    fields.country,
    fields.emails?.[0],
    fields.phone,
    fields.fax,
  ];
  return parts.map((part) => (part ?? '').normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase()).join('\u001f');
}

/**
 * True when an equality on an indexed column bounds the condition's matches (in every branch of an
 * `anyOf`): such a query is cheapest from that index, whatever order it is listed in.
 */
function narrowsByIndex(condition: CustomerCondition): boolean {
  if ('anyOf' in condition) return condition.anyOf.length > 0 && condition.anyOf.every(narrowsByIndex);
  if ('allOf' in condition) return condition.allOf.some(narrowsByIndex);
  return 'field' in condition && condition.op === 'eq' && condition.value !== '' && condition.field !== 'fullName';
}

/**
 * Completes a Customer this session has just made (from a row) into its aggregate, in place: a
 * spread copy of the wide object cost more than reading its row (6 % of an Exact page's CPU, and
 * most of its garbage).
 */
function withParts(customer: Customer, addresses: Address[], paymentMethods: PaymentMethod[]): CustomerAggregate {
  const aggregate = customer as CustomerAggregate;
  aggregate.addresses = addresses;
  aggregate.paymentMethods = paymentMethods;
  return aggregate;
}

export interface SessionDeps {
  manager: EntityManager;
  tenant: Tenant;
  keyring: Keyring;
  keys: TenantKeys;
  now: () => number;
  rowLocks: boolean;
  dialectKind: 'sqlite' | 'mysql';
  /** Ids of the records a write touched, for its audit event. */
  touched: Set<string>;
}

export class TypeormVaultSession implements VaultSession {
  private paramCounter = 0;
  /** Customer rows this session created or changed: later commands of the request need not read them again. */
  private readonly knownCustomers = new Map<number, CustomerEntity>();

  constructor(private readonly deps: SessionDeps) {}

  get tenant(): Tenant {
    return this.deps.tenant;
  }

  private get manager(): EntityManager {
    return this.deps.manager;
  }

  private get customers() {
    return rawRows(this.manager.connection, CustomerEntity);
  }

  private get addresses() {
    return rawRows(this.manager.connection, AddressEntity);
  }

  private get paymentMethods() {
    return rawRows(this.manager.connection, PaymentMethodEntity);
  }

  private get tenantId(): string {
    return this.deps.tenant.id;
  }

  /** SQL for a customer field; `fullName` is computed from the two name columns. */
  private columnSql(field: CustomerField): string {
    if (field === 'fullName') {
      return this.deps.dialectKind === 'sqlite'
        ? `(COALESCE(c.given_name, '') || ' ' || COALESCE(c.family_name, ''))`
        : `CONCAT(COALESCE(c.given_name, ''), ' ', COALESCE(c.family_name, ''))`;
    }
    return `c.${CUSTOMER_COLUMNS[field].column}`;
  }

  private param(): string {
    this.paramCounter += 1;
    return `p${this.paramCounter}`;
  }

  // ---------------------------------------------------------------- customers

  private customerQuery(options: FindOptions & { seqNarrowed?: boolean } = {}): SelectQueryBuilder<CustomerEntity> {
    // With no statistics (a fresh database) SQLite would walk the whole tenant through the tenant index
    // even when a condition narrows c.seq through an indexed subquery; the unary plus keeps the tenant
    // predicate out of its index choice in exactly that case (MySQL plans it well on its own).
    const tenantColumn = options.seqNarrowed && this.deps.dialectKind === 'sqlite' ? '+c.tenant_id' : 'c.tenant_id';
    const qb = this.manager.createQueryBuilder(CustomerEntity, 'c').where(`${tenantColumn} = :tenantId`, { tenantId: this.tenantId });
    if (options.includeDeleted) qb.andWhere('c.purged_at IS NULL');
    else qb.andWhere('c.deleted_at IS NULL');
    if (options.forUpdate && this.deps.rowLocks) qb.setLock('pessimistic_write');
    return qb;
  }

  /** The WHERE (and ORDER, LIMIT, lock) that finds one customer by a reference; null when the reference cannot name one. */
  private customerKey(ref: CustomerRef, options: FindOptions = {}): { where: string; parameters: unknown[] } | null {
    let key: string;
    let value: string | number;
    switch (ref.by) {
      case 'seq':
        if (!Number.isSafeInteger(ref.seq)) return null;
        [key, value] = ['seq', ref.seq];
        break;
      case 'id':
        if (!isUuid(ref.id)) return null;
        [key, value] = ['id', ref.id.toLowerCase()];
        break;
      case 'objectId':
        if (!isObjectIdHex(ref.objectId)) return null;
        [key, value] = ['object_id', ref.objectId.toLowerCase()];
        break;
      case 'vaultId':
        if (ref.vaultId.length === 0 || ref.vaultId.length > 64) return null;
        // A deleted customer no longer holds its live id; with includeDeleted, the live one wins.
        [key, value] = options.includeDeleted ? ['vault_id', ref.vaultId] : ['live_vault_id', ref.vaultId];
        break;
    }
    const state = options.includeDeleted ? 'purged_at IS NULL' : 'deleted_at IS NULL';
    const order = ref.by === 'vaultId' && options.includeDeleted ? ' ORDER BY deleted_at IS NULL DESC' : '';
    const lock = options.forUpdate && this.deps.rowLocks ? ' FOR UPDATE' : '';
    return { where: `tenant_id = ? AND ${state} AND ${key} = ?${order} LIMIT 1${lock}`, parameters: [this.tenantId, value] };
  }

  private async findCustomerRow(ref: CustomerRef, options: FindOptions = {}): Promise<CustomerEntity | null> {
    const key = this.customerKey(ref, options);
    return key ? this.customers.one(this.manager, key.where, key.parameters) : null;
  }

  async findCustomer(ref: CustomerRef, options?: FindOptions): Promise<Customer | null> {
    const row = await this.findCustomerRow(ref, options);
    return row ? toCustomer(row) : null;
  }

  async loadCustomer(ref: CustomerRef, options?: LoadOptions): Promise<CustomerAggregate | null> {
    if (this.deps.dialectKind === 'mysql' && !options?.forUpdate) return this.loadCustomerInOneStatement(ref, options);
    const customer = await this.findCustomer(ref, options);
    if (!customer) return null;
    const [addresses, paymentMethods] = await Promise.all([
      this.listAddresses(customer.seq),
      options?.details === 'addresses' ? [] : this.listPaymentMethods(customer.seq),
    ]);
    return withParts(customer, addresses, paymentMethods);
  }

  /**
   * MySQL: a customer and its live details in one statement, a UNION ALL of the three reads side by
   * side (each member fills its own table's columns, NULLs the others'; the first column names the
   * member). Each statement is a round trip with a socket write on either side: a Maast get made
   * three and the benchmark measured a statement at ~13 % of a get's throughput. (SQLite runs in
   * process; its three reads stay three.) Not for locking reads, which take their lock alone.
   */
  private async loadCustomerInOneStatement(ref: CustomerRef, options: LoadOptions = {}): Promise<CustomerAggregate | null> {
    const key = this.customerKey(ref, options);
    if (!key) return null;
    const customers = this.customers;
    const addresses = this.addresses;
    const methods = this.paymentMethods;
    const withMethods = options.details !== 'addresses';
    const sqlKey = `${withMethods}:${key.where}`;
    let sql = CUSTOMER_AT_ONCE_SQL.get(sqlKey);
    if (!sql) {
      const pmNulls = withMethods ? `, ${methods.positionalList(null)}` : '';
      const ofCustomer = `(SELECT seq FROM ${customers.table} WHERE ${key.where})`;
      sql = [
        `(SELECT 'c', ${customers.positionalList('c')}, ${addresses.positionalList(null)}${pmNulls} FROM ${customers.table} c WHERE ${key.where})`,
        `(SELECT 'a', ${customers.positionalList(null)}, ${addresses.positionalList('a')}${pmNulls} FROM ${addresses.table} a WHERE a.tenant_id = ? AND a.deleted_at IS NULL AND a.customer_seq = ${ofCustomer})`,
        ...(withMethods
          ? [`(SELECT 'p', ${customers.positionalList(null)}, ${addresses.positionalList(null)}, ${methods.positionalList('p')} FROM ${methods.table} p WHERE p.tenant_id = ? AND p.deleted_at IS NULL AND p.customer_seq = ${ofCustomer})`]
          : []),
      ].join(' UNION ALL ');
      CUSTOMER_AT_ONCE_SQL.set(sqlKey, sql);
    }
    const parameters = [...key.parameters, this.tenantId, ...key.parameters, ...(withMethods ? [this.tenantId, ...key.parameters] : [])];
    const rows = await sqlRunner(this.manager.connection).arrays(this.manager, sql, parameters);
    const customerRow = rows.find((row) => row[0] === 'c');
    if (!customerRow) return null;
    const addressAt = 1 + customers.width;
    const methodAt = addressAt + addresses.width;
    const bySeq = (a: { seq: number }, b: { seq: number }) => a.seq - b.seq;
    // A UNION has no order of its own: each list in creation order, as listAddresses and listPaymentMethods give it.
    const addressRows = rows.filter((row) => row[0] === 'a').map((row) => addresses.hydrate(row, addressAt)).sort(bySeq);
    const methodRows = rows.filter((row) => row[0] === 'p').map((row) => methods.hydrate(row, methodAt)).sort(bySeq);
    return withParts(toCustomer(customers.hydrate(customerRow, 1)), addressRows.map(toAddress), methodRows.map(toPaymentMethod));
  }

  async listCustomers(query: CustomerQuery): Promise<CustomerPage> {
    const where = query.where ?? [];
    const { customers, total } = where.length === 0 && !query.includeDeleted ? await this.liveCustomersPage(query) : await this.matchingCustomersPage(query, where);
    if (query.withDetails === false) return { items: customers.map((c) => withParts(c, [], [])), total };
    return { items: await this.withDetails(customers, query.withDetails === 'addresses'), total };
  }

  /** A page of the tenant's live customers: the kept live count, and fixed SQL for rows and order in one statement. */
  private async liveCustomersPage(query: CustomerQuery): Promise<{ customers: Customer[]; total: number }> {
    const total = await liveCustomers(this.manager, this.tenantId);
    if (query.limit <= 0) return { customers: [], total };
    const orderBy = this.orderBySql(query.sort ?? [], false)
      .map(([expression, dir]) => `${expression} ${dir}`)
      .join(', ');
    const rows = await this.customers.many(this.manager, `c.tenant_id = ? AND c.deleted_at IS NULL ORDER BY ${orderBy} LIMIT ? OFFSET ?`, [this.tenantId, query.limit, query.offset ?? 0], 'c');
    return { customers: rows.map(toCustomer), total };
  }

  /** A page of the customers that meet conditions: the query builder writes the count and the keys query. */
  private async matchingCustomersPage(query: CustomerQuery, where: CustomerCondition[]): Promise<{ customers: Customer[]; total: number }> {
    // Conditions answered from other indexes than the tenant's: a seq subquery, or alternatives that
    // each name an indexed column (they carry the tenant themselves, see conditionSql).
    const seqNarrowed = where.some((c) => (('address' in c || 'paymentKind' in c) && c.op === 'eq') || ('anyOf' in c && narrowsByIndex(c)));
    const qb = this.customerQuery({ includeDeleted: query.includeDeleted, seqNarrowed });
    for (const condition of where) qb.andWhere(this.conditionSql(condition, qb));
    // A plain COUNT(*): TypeORM's getCount() counts DISTINCT primary keys, which makes the database
    // sort or hash every match for a total that has no duplicates to remove (no joins here).
    const counted = (await qb.clone().select('COUNT(*)', 'total').getRawOne()) as { total: string | number } | undefined;
    const total = Number(counted?.total ?? 0);
    if (query.limit <= 0) return { customers: [], total };
    // SQLite without statistics prefers an index that yields the sort order (walking the whole tenant)
    // over the equality index of a narrowing condition; a unary plus keeps the order keys out of its
    // index choice when such a condition is present.
    const narrowed = seqNarrowed || where.some(narrowsByIndex);
    for (const [expression, dir] of this.orderBySql(query.sort ?? [], narrowed && this.deps.dialectKind === 'sqlite')) qb.addOrderBy(expression, dir);
    qb.offset(query.offset ?? 0).limit(query.limit);
    return { customers: (await this.customersInOrder(qb)).map(toCustomer), total };
  }

  /** ORDER BY terms of a customer listing; `seq` in the first key's direction ends every order. */
  private orderBySql(sort: NonNullable<CustomerQuery['sort']>, hideFromPlanner: boolean): Array<[string, 'ASC' | 'DESC']> {
    const orderColumn = (column: string) => (hideFromPlanner ? `+${column}` : column);
    const terms: Array<[string, 'ASC' | 'DESC']> = sort.map((key) => {
      const column = this.columnSql(key.field);
      return [key.caseInsensitive && !CUSTOMER_COLUMNS[key.field].numeric ? `LOWER(${column})` : orderColumn(column), key.dir === 'asc' ? 'ASC' : 'DESC'];
    });
    if (!sort.some((key) => key.field === 'seq')) terms.push([orderColumn('c.seq'), (sort[0]?.dir ?? 'asc') === 'asc' ? 'ASC' : 'DESC']);
    return terms;
  }

  /** The customers' live addresses (and payment methods), two queries for the page, never one per customer. */
  private async withDetails(customers: Customer[], addressesOnly: boolean): Promise<CustomerAggregate[]> {
    if (customers.length === 0) return [];
    const seqs = customers.map((c) => c.seq);
    // Rows come per customer (the index order), each customer's in creation order.
    const ofPage = `tenant_id = ? AND customer_seq IN (${seqs.map(() => '?').join(', ')}) AND deleted_at IS NULL ORDER BY customer_seq, seq`;
    const [addresses, paymentMethods] = await Promise.all([
      this.addresses.many(this.manager, ofPage, [this.tenantId, ...seqs]),
      addressesOnly ? [] : this.paymentMethods.many(this.manager, ofPage, [this.tenantId, ...seqs]),
    ]);
    const bySeq = new Map<number, CustomerAggregate>();
    const items = customers.map((customer) => {
      const item = withParts(customer, [], []);
      bySeq.set(customer.seq, item);
      return item;
    });
    for (const address of addresses) bySeq.get(address.customerSeq)?.addresses.push(toAddress(address));
    for (const method of paymentMethods) if (method.customerSeq !== null) bySeq.get(method.customerSeq)?.paymentMethods.push(toPaymentMethod(method));
    return items;
  }

  /**
   * The page's rows: the query builder writes the filtered, ordered, limited query for the keys
   * only, and the rows are read by key through fixed SQL (TypeORM's hydration of 50 wide rows cost
   * more than the rest of an Exact page put together).
   */
  private async customersInOrder(qb: SelectQueryBuilder<CustomerEntity>): Promise<CustomerEntity[]> {
    const [keysSql, parameters] = qb.select('c.seq', 'seq').getQueryAndParameters();
    const runner = sqlRunner(this.manager.connection);
    const seqs = (await runner.rows(this.manager, keysSql, parameters)).map((row) => Number(Array.isArray(row) ? row[0] : row.seq));
    if (seqs.length === 0) return [];
    const rows = await this.customers.many(this.manager, `seq IN (${seqs.map(() => '?').join(', ')})`, seqs);
    const bySeq = new Map(rows.map((row) => [row.seq, row]));
    return seqs.map((seq) => bySeq.get(seq)).filter((row): row is CustomerEntity => row !== undefined);
  }

  /** SQL for one condition; string fields treat NULL as "" so unset values compare like empty ones. */
  private conditionSql(condition: CustomerCondition, qb: SelectQueryBuilder<CustomerEntity>): Brackets {
    return new Brackets((where: WhereExpressionBuilder) => {
      if ('anyOf' in condition) {
        if (condition.anyOf.length === 0) {
          where.where('1 = 0');
          return;
        }
        // Alternatives that each name an indexed column repeat the tenant, so that every one of them
        // is a search of a (tenant, column) index (SQLite's multi-index OR, MySQL's index merge).
        // No constant terms: SQLite's OR optimisation needs every alternative to be indexable.
        const own = narrowsByIndex(condition);
        condition.anyOf.forEach((alternative, i) => {
          const sql = own ? new Brackets((branch) => void branch.where('c.tenant_id = :tenantId').andWhere(this.conditionSql(alternative, qb))) : this.conditionSql(alternative, qb);
          if (i === 0) where.where(sql);
          else where.orWhere(sql);
        });
        return;
      }
      if ('allOf' in condition) {
        if (condition.allOf.length === 0) where.where('1 = 1');
        condition.allOf.forEach((part, i) => (i === 0 ? where.where(this.conditionSql(part, qb)) : where.andWhere(this.conditionSql(part, qb))));
        return;
      }
      if ('paymentKind' in condition) {
        const p = this.param();
        const sub = `SELECT pm.customer_seq FROM payment_method pm WHERE pm.tenant_id = :tenantId AND pm.deleted_at IS NULL AND pm.customer_seq IS NOT NULL AND pm.kind = :${p}`;
        where.where(`c.seq ${condition.op === 'eq' ? 'IN' : 'NOT IN'} (${sub})`, { [p]: condition.paymentKind });
        return;
      }
      if ('defaultPaymentKind' in condition) {
        if (condition.defaultPaymentKind === null) {
          where.where(`c.default_payment_method_seq ${condition.op === 'eq' ? 'IS NULL' : 'IS NOT NULL'}`);
          return;
        }
        const p = this.param();
        const sub = `SELECT dp.seq FROM payment_method dp WHERE dp.tenant_id = :tenantId AND dp.deleted_at IS NULL AND dp.kind = :${p}`;
        const clause = condition.op === 'eq' ? `c.default_payment_method_seq IN (${sub})` : `(c.default_payment_method_seq IS NULL OR c.default_payment_method_seq NOT IN (${sub}))`;
        where.where(clause, { [p]: condition.defaultPaymentKind });
        return;
      }
      if ('address' in condition) {
        const column = ADDRESS_FILTER_COLUMNS[condition.address];
        const p = this.param();
        const match = condition.caseInsensitive ? `LOWER(a.${column}) = LOWER(:${p})` : condition.value === '' ? `a.${column} IS NULL` : `a.${column} = :${p}`;
        const sub = `SELECT a.customer_seq FROM address a WHERE a.tenant_id = :tenantId AND a.deleted_at IS NULL AND ${match}`;
        where.where(`c.seq ${condition.op === 'eq' ? 'IN' : 'NOT IN'} (${sub})`, { [p]: condition.value });
        return;
      }
      const spec = CUSTOMER_COLUMNS[condition.field];
      const column = this.columnSql(condition.field);
      const fold = (v: string | number) => (spec.caseFold && typeof v === 'string' ? v.toLowerCase() : v);
      const ci = 'caseInsensitive' in condition && condition.caseInsensitive === true;
      const expr = spec.numeric ? column : ci ? `LOWER(COALESCE(${column}, ''))` : `COALESCE(${column}, '')`;
      const value = (v: string | number) => (ci && typeof v === 'string' ? v.toLowerCase() : fold(v));
      switch (condition.op) {
        case 'in': {
          const p = this.param();
          where.where(`${expr} IN (:...${p})`, { [p]: condition.values.map(value) });
          return;
        }
        case 'between': {
          const a = this.param();
          const b = this.param();
          where.where(`${expr} BETWEEN :${a} AND :${b}`, { [a]: value(condition.from), [b]: value(condition.to) });
          return;
        }
        case 'contains': {
          const p = this.param();
          const needle = String(value(condition.value));
          where.where(this.deps.dialectKind === 'sqlite' ? `instr(${expr}, :${p}) > 0` : `LOCATE(:${p}, ${expr}) > 0`, { [p]: needle });
          return;
        }
        default: {
          const p = this.param();
          const op = { eq: '=', ne: '<>', gt: '>', lt: '<', gte: '>=', lte: '<=' }[condition.op];
          if (spec.numeric && (condition.value === '' || condition.value === null)) {
            where.where(`${column} ${condition.op === 'eq' ? 'IS NULL' : 'IS NOT NULL'}`);
            return;
          }
          // Equality on a plain string column is written without COALESCE so the (tenant, column) index serves it.
          if (!spec.numeric && !ci && condition.op === 'eq' && condition.value !== '') {
            where.where(`${column} = :${p}`, { [p]: value(condition.value) });
            return;
          }
          where.where(`${expr} ${op} :${p}`, { [p]: value(condition.value) });
        }
      }
    });
  }

  async isVaultIdTaken(vaultId: string): Promise<boolean> {
    return this.customers.exists(this.manager, 'tenant_id = ? AND live_vault_id = ?', [this.tenantId, vaultId]);
  }

  async createCustomer(input: NewCustomer): Promise<Customer> {
    const now = this.deps.now();
    const kept = input.kept ?? {};
    const objectId = kept.objectId ?? newObjectId(now);
    const xid = objectIdToXid(objectId);
    const vaultId = input.vaultId ?? (input.vaultIdFromXid ? input.vaultIdFromXid(xid) : xid);
    const deletedAt = kept.deletedAt ?? null;
    // No look-up first: the unique (tenant, live vault id) index is the guard, and insertUnique reports it.
    const row = Object.assign(new CustomerEntity(), {
      id: kept.id ?? newUuid(),
      objectId,
      tenantId: this.tenantId,
      vaultId,
      liveVaultId: deletedAt === null ? vaultId : null,
      flags: input.flags ?? [],
      customFields: input.customFields ?? null,
      extensions: input.extensions ?? {},
      defaultBillingAddressSeq: null,
      defaultShippingAddressSeq: null,
      defaultPaymentMethodSeq: null,
      createdAt: kept.createdAt ?? now,
      updatedAt: kept.updatedAt ?? now,
      deletedAt,
      purgedAt: null,
    });
    for (const field of CUSTOMER_STRING_FIELDS) row[field] = clean(input[field]);
    await this.insertUnique(row);
    if (deletedAt === null) await adjustLiveCustomers(this.manager, this.tenantId, 1);
    this.knownCustomers.set(row.seq, row);
    this.deps.touched.add(row.id);
    return toCustomer(row);
  }

  /** Inserts a customer, turning a taken vault id (also one taken by a concurrent request) into a conflict. */
  private async insertUnique(row: CustomerEntity): Promise<void> {
    try {
      row.seq = await this.customers.insert(this.manager, row);
    } catch (error) {
      if (/UNIQUE|Duplicate entry/i.test(String((error as Error).message))) throw new ConflictError('duplicate_vault_id', 'vaultId');
      throw error;
    }
  }

  private async customerRowBySeq(seq: number, includeDeleted = false): Promise<CustomerEntity> {
    const known = this.knownCustomers.get(seq);
    if (known && known.deletedAt === null) return known;
    const row = await this.findCustomerRow({ by: 'seq', seq }, { includeDeleted });
    if (!row) throw new NotFoundError('customer');
    return row;
  }

  async updateCustomer(seq: number, patch: CustomerPatch, options: { touch?: boolean } = {}): Promise<Customer> {
    const row = await this.customerRowBySeq(seq);
    // Only the columns the patch names are written (one UPDATE, no diff of the whole entity).
    const changes: Partial<CustomerEntity> = {};
    for (const field of CUSTOMER_STRING_FIELDS) if (patch[field] !== undefined) changes[field] = clean(patch[field]);
    if (patch.flags !== undefined) changes.flags = cleanList(patch.flags);
    if (patch.customFields !== undefined) changes.customFields = patch.customFields;
    if (patch.extensions !== undefined) changes.extensions = patch.extensions;
    if (patch.defaultBillingAddressSeq !== undefined) changes.defaultBillingAddressSeq = patch.defaultBillingAddressSeq;
    if (patch.defaultShippingAddressSeq !== undefined) changes.defaultShippingAddressSeq = patch.defaultShippingAddressSeq;
    if (patch.defaultPaymentMethodSeq !== undefined) changes.defaultPaymentMethodSeq = patch.defaultPaymentMethodSeq;
    if (options.touch !== false) changes.updatedAt = this.deps.now();
    await this.customers.update(this.manager, changes, 'seq = ?', [row.seq]);
    Object.assign(row, changes);
    this.knownCustomers.set(row.seq, row);
    this.deps.touched.add(row.id);
    return toCustomer(row);
  }

  async touchCustomer(seq: number): Promise<void> {
    const now = this.deps.now();
    await this.customers.update(this.manager, { updatedAt: now }, 'seq = ? AND tenant_id = ?', [seq, this.tenantId]);
    const known = this.knownCustomers.get(seq);
    if (known) known.updatedAt = now;
  }

  async deleteCustomer(seq: number, mode: 'soft' | 'purge'): Promise<void> {
    const row = await this.customerRowBySeq(seq, mode === 'purge');
    this.knownCustomers.delete(seq);
    const now = this.deps.now();
    const purged = mode === 'purge' ? { purgedAt: now } : {};
    // The live count moves only for the write that turns the customer from live to deleted: the
    // condition is evaluated on the locked row, so two concurrent deletes count once.
    const turnedDeleted = await this.customers.update(this.manager, { deletedAt: now, liveVaultId: null, updatedAt: now, ...purged }, 'seq = ? AND deleted_at IS NULL', [seq]);
    if (turnedDeleted > 0) await adjustLiveCustomers(this.manager, this.tenantId, -1);
    else await this.customers.update(this.manager, { liveVaultId: null, updatedAt: now, ...purged }, 'seq = ?', [seq]);
    this.deps.touched.add(row.id);
    if (mode === 'purge') {
      await this.addresses.update(this.manager, { deletedAt: now, updatedAt: now }, 'tenant_id = ? AND customer_seq = ? AND deleted_at IS NULL', [this.tenantId, seq]);
      await this.paymentMethods.update(
        this.manager,
        { secret: null, fingerprint: null, singleUseToken: null, purgedAt: now, deletedAt: now, updatedAt: now },
        'tenant_id = ? AND customer_seq = ? AND purged_at IS NULL',
        [this.tenantId, seq],
      );
    }
  }

  async restoreCustomer(seq: number): Promise<Customer> {
    const row = await this.customerRowBySeq(seq, true);
    if (row.deletedAt === null) return toCustomer(row);
    // The id may have been reused while the customer was deleted; then it comes back under its xid.
    if (await this.isVaultIdTaken(row.vaultId)) row.vaultId = objectIdToXid(row.objectId);
    row.liveVaultId = row.vaultId;
    row.deletedAt = null;
    row.updatedAt = this.deps.now();
    const { vaultId, liveVaultId, deletedAt, updatedAt } = row;
    // As for deletes: only the write that turns the customer live again counts it.
    const turnedLive = await this.customers.update(this.manager, { vaultId, liveVaultId, deletedAt, updatedAt }, 'seq = ? AND deleted_at IS NOT NULL AND purged_at IS NULL', [seq]);
    if (turnedLive > 0) await adjustLiveCustomers(this.manager, this.tenantId, 1);
    this.deps.touched.add(row.id);
    return toCustomer(row);
  }

  // ---------------------------------------------------------------- addresses

  addressHash(fields: Partial<AddressFields>): string {
    return this.deps.keyring.addressHash(this.deps.keys, normaliseAddress(fields));
  }

  async findAddress(ref: AddressRef, options: FindOptions = {}): Promise<Address | null> {
    const where: Record<string, unknown> = { tenantId: this.tenantId };
    if (!options.includeDeleted) where.deletedAt = IsNull();
    if (ref.by === 'seq') where.seq = ref.seq;
    else if (ref.by === 'id') {
      if (!isUuid(ref.id)) return null;
      where.id = ref.id.toLowerCase();
    } else {
      if (!isObjectIdHex(ref.objectId)) return null;
      where.objectId = ref.objectId.toLowerCase();
    }
    const row = await this.manager.findOne(AddressEntity, { where });
    return row ? toAddress(row) : null;
  }

  async listAddresses(customerSeq: number): Promise<Address[]> {
    const rows = await this.addresses.many(this.manager, 'tenant_id = ? AND customer_seq = ? AND deleted_at IS NULL ORDER BY seq', [this.tenantId, customerSeq]);
    return rows.map(toAddress);
  }

  private fillAddress(row: AddressEntity, fields: Partial<AddressFields>): void {
    for (const field of ADDRESS_STRING_FIELDS) if (fields[field] !== undefined) row[field] = clean(fields[field]);
    if (fields.country !== undefined && row.country) row.country = row.country.toUpperCase();
    if (fields.emails !== undefined) row.emails = cleanList(fields.emails);
    if (fields.isDefault !== undefined) row.isDefault = fields.isDefault === true;
    row.email = row.emails[0] ?? null;
    row.hash = this.addressHash(toAddress(row));
  }

  async addAddress(customerSeq: number, input: NewAddress): Promise<Address> {
    const customer = await this.customerRowBySeq(customerSeq);
    const now = this.deps.now();
    const kept = input.kept ?? {};
    const row = Object.assign(new AddressEntity(), {
      id: kept.id ?? newUuid(),
      objectId: kept.objectId ?? newObjectId(now),
      tenantId: this.tenantId,
      customerSeq: customer.seq,
      sourceNumber: kept.sourceNumber ?? null,
      emails: [],
      isDefault: false,
      createdAt: kept.createdAt ?? now,
      updatedAt: kept.updatedAt ?? now,
      deletedAt: null,
    });
    for (const field of ADDRESS_STRING_FIELDS) row[field] = null;
    this.fillAddress(row, input);
    row.seq = await this.addresses.insert(this.manager, row);
    this.deps.touched.add(row.id);
    return toAddress(row);
  }

  private async addressRow(seq: number): Promise<AddressEntity> {
    const row = await this.manager.findOne(AddressEntity, { where: { seq, tenantId: this.tenantId, deletedAt: IsNull() } });
    if (!row) throw new NotFoundError('address');
    return row;
  }

  async updateAddress(seq: number, patch: AddressPatch): Promise<Address> {
    const row = await this.addressRow(seq);
    this.fillAddress(row, patch);
    row.updatedAt = this.deps.now();
    await this.manager.save(AddressEntity, row);
    this.deps.touched.add(row.id);
    return toAddress(row);
  }

  async deleteAddress(seq: number): Promise<void> {
    const row = await this.addressRow(seq);
    const now = this.deps.now();
    await this.manager.update(AddressEntity, { seq }, { deletedAt: now, updatedAt: now });
    await this.manager.update(CustomerEntity, { seq: row.customerSeq, defaultBillingAddressSeq: seq }, { defaultBillingAddressSeq: null });
    await this.manager.update(CustomerEntity, { seq: row.customerSeq, defaultShippingAddressSeq: seq }, { defaultShippingAddressSeq: null });
    this.deps.touched.add(row.id);
  }

  // ---------------------------------------------------------------- payment methods

  async findPaymentMethod(ref: PaymentMethodRef, options: FindOptions = {}): Promise<PaymentMethod | null> {
    const qb = this.manager.createQueryBuilder(PaymentMethodEntity, 'p').where('p.tenant_id = :tenantId', { tenantId: this.tenantId });
    if (options.includeDeleted) qb.andWhere('p.purged_at IS NULL');
    else qb.andWhere('p.deleted_at IS NULL');
    if (options.forUpdate && this.deps.rowLocks) qb.setLock('pessimistic_write');
    switch (ref.by) {
      case 'seq':
        qb.andWhere('p.seq = :seq', { seq: ref.seq });
        break;
      case 'id':
        if (!isUuid(ref.id)) return null;
        qb.andWhere('p.id = :id', { id: ref.id.toLowerCase() });
        break;
      case 'objectId':
        if (!isObjectIdHex(ref.objectId)) return null;
        qb.andWhere('p.object_id = :objectId', { objectId: ref.objectId.toLowerCase() });
        break;
      case 'vaultRef':
        if (ref.vaultRef.length === 0 || ref.vaultRef.length > 32) return null;
        qb.andWhere('p.vault_ref = :vaultRef', { vaultRef: ref.vaultRef });
        break;
      case 'singleUseToken':
        if (ref.token.length === 0 || ref.token.length > 32) return null;
        qb.andWhere('p.single_use_token = :token', { token: ref.token });
        break;
    }
    const row = await qb.getOne();
    return row ? toPaymentMethod(row) : null;
  }

  async listPaymentMethods(customerSeq: number): Promise<PaymentMethod[]> {
    const rows = await this.paymentMethods.many(this.manager, 'tenant_id = ? AND customer_seq = ? AND deleted_at IS NULL ORDER BY seq', [this.tenantId, customerSeq]);
    return rows.map(toPaymentMethod);
  }

  private numberFingerprint(number: { pan: string } | { routingNumber: string; accountNumber: string }): string {
    const text = 'pan' in number ? `card:${number.pan}` : `ach:${number.routingNumber}:${number.accountNumber}`;
    return this.deps.keyring.fingerprint(this.deps.keys, text);
  }

  async hasSameNumber(customerSeq: number, number: { pan: string } | { routingNumber: string; accountNumber: string }, exceptSeq?: number): Promise<boolean> {
    const qb = this.manager
      .createQueryBuilder(PaymentMethodEntity, 'p')
      .where('p.customer_seq = :customerSeq AND p.fingerprint = :fingerprint AND p.deleted_at IS NULL AND p.tenant_id = :tenantId', {
        customerSeq,
        fingerprint: this.numberFingerprint(number),
        tenantId: this.tenantId,
      });
    if (exceptSeq !== undefined) qb.andWhere('p.seq <> :exceptSeq', { exceptSeq });
    return (await qb.getCount()) > 0;
  }

  async addPaymentMethod(input: NewPaymentMethod): Promise<PaymentMethod> {
    if (!input.card === !input.ach) throw new Error('a payment method is either a card or a bank account');
    if (input.customerSeq !== null) await this.customerRowBySeq(input.customerSeq);
    const now = this.deps.now();
    const kept = input.kept;
    const id = kept?.id ?? newUuid();
    let vaultRef = uuidHex(id);
    if (kept && input.vaultRef) vaultRef = input.vaultRef;
    else if (input.vaultRef) {
      const taken = await this.paymentMethods.exists(this.manager, 'tenant_id = ? AND vault_ref = ? AND deleted_at IS NULL', [this.tenantId, input.vaultRef]);
      if (!taken) vaultRef = input.vaultRef;
    }
    const number = input.card ? input.card.pan : input.ach!.accountNumber;
    const { secret, keyVersion } = this.deps.keyring.encryptSecret(this.deps.keys, number);
    const row = Object.assign(new PaymentMethodEntity(), {
      id,
      objectId: kept?.objectId ?? newObjectId(now),
      tenantId: this.tenantId,
      vaultRef,
      customerSeq: input.customerSeq,
      kind: input.card ? 'card' : 'ach',
      brand: input.card ? cardBrand(input.card.pan) : null,
      bin: input.card ? input.card.pan.slice(0, 6) : null,
      last4: number.slice(-4),
      numberLength: number.length,
      expMonth: input.card?.expMonth ?? null,
      expYear: input.card?.expYear ?? null,
      secret,
      keyVersion,
      fingerprint: this.numberFingerprint(input.card ? { pan: input.card.pan } : { routingNumber: input.ach!.routingNumber, accountNumber: input.ach!.accountNumber }),
      routingNumber: input.ach?.routingNumber ?? null,
      accountType: input.ach?.accountType ?? null,
      holderType: input.ach?.holderType ?? null,
      secCode: clean(input.ach?.secCode),
      bankName: clean(input.ach?.bankName),
      billingEmails: [],
      label: clean(input.label),
      flags: input.flags ?? [],
      verifiedAt: input.verifiedAt ?? null,
      cvcProvided: input.card?.cvcProvided === true,
      source: input.source ?? 'direct',
      attachedAt: kept?.attachedAt !== undefined ? kept.attachedAt : input.customerSeq !== null ? now : null,
      singleUseToken: input.singleUseTokenTtlMs ? randomString(32) : null,
      tokenExpiresAt: input.singleUseTokenTtlMs ? now + input.singleUseTokenTtlMs : null,
      extensions: input.extensions ?? {},
      createdAt: kept?.createdAt ?? now,
      updatedAt: kept?.updatedAt ?? now,
      deletedAt: kept?.deletedAt ?? null,
      purgedAt: null,
    });
    applyBilling(row, { givenName: null, familyName: null, company: null, phone: null, line1: null, line2: null, city: null, state: null, postalCode: null, postalCodeExt: null, country: null, countryName: null, countryCode: null });
    applyBilling(row, input.billing ?? {});
    if (row.billingCountry) row.billingCountry = row.billingCountry.toUpperCase();
    row.seq = await this.paymentMethods.insert(this.manager, row);
    this.deps.touched.add(row.id);
    return toPaymentMethod(row);
  }

  private async paymentMethodRow(seq: number): Promise<PaymentMethodEntity> {
    const row = await this.manager.findOne(PaymentMethodEntity, { where: { seq, tenantId: this.tenantId, deletedAt: IsNull() } });
    if (!row) throw new NotFoundError('payment_method');
    return row;
  }

  async updatePaymentMethod(seq: number, patch: PaymentMethodPatch): Promise<PaymentMethod> {
    const row = await this.paymentMethodRow(seq);
    if (patch.expMonth !== undefined) row.expMonth = patch.expMonth;
    if (patch.expYear !== undefined) row.expYear = patch.expYear;
    if (patch.billing) applyBilling(row, patch.billing);
    if (row.billingCountry) row.billingCountry = row.billingCountry.toUpperCase();
    if (patch.label !== undefined) row.label = clean(patch.label);
    if (patch.flags !== undefined) row.flags = cleanList(patch.flags);
    if (patch.verifiedAt !== undefined) row.verifiedAt = patch.verifiedAt;
    if (patch.accountType !== undefined) row.accountType = patch.accountType;
    if (patch.holderType !== undefined) row.holderType = patch.holderType;
    if (patch.secCode !== undefined) row.secCode = clean(patch.secCode);
    if (patch.bankName !== undefined) row.bankName = clean(patch.bankName);
    if (patch.extensions !== undefined) row.extensions = patch.extensions;
    if (patch.card && row.kind === 'card') this.setNumber(row, patch.card.pan, { pan: patch.card.pan });
    if (patch.ach && row.kind === 'ach' && (patch.ach.accountNumber || patch.ach.routingNumber)) {
      const accountNumber = patch.ach.accountNumber ?? this.deps.keyring.decryptSecret(this.deps.keys, row.secret!);
      const routingNumber = patch.ach.routingNumber ?? row.routingNumber!;
      row.routingNumber = routingNumber;
      this.setNumber(row, accountNumber, { routingNumber, accountNumber });
    }
    row.updatedAt = this.deps.now();
    await this.manager.save(PaymentMethodEntity, row);
    this.deps.touched.add(row.id);
    return toPaymentMethod(row);
  }

  /** Encrypts a new number onto a row and recomputes what is derived from it. */
  private setNumber(row: PaymentMethodEntity, number: string, fingerprintOf: { pan: string } | { routingNumber: string; accountNumber: string }): void {
    const { secret, keyVersion } = this.deps.keyring.encryptSecret(this.deps.keys, number);
    row.secret = secret;
    row.keyVersion = keyVersion;
    row.fingerprint = this.numberFingerprint(fingerprintOf);
    row.last4 = number.slice(-4);
    row.numberLength = number.length;
    if (row.kind === 'card') {
      row.brand = cardBrand(number);
      row.bin = number.slice(0, 6);
    }
  }

  async replaceFromToken(targetSeq: number, sourceSeq: number): Promise<PaymentMethod> {
    const target = await this.paymentMethodRow(targetSeq);
    const source = await this.paymentMethodRow(sourceSeq);
    if (source.customerSeq !== null || source.singleUseToken === null || source.kind !== target.kind || source.secret === null) {
      throw new ConflictError('token_unusable', 'token');
    }
    const now = this.deps.now();
    Object.assign(target, {
      secret: source.secret,
      keyVersion: source.keyVersion,
      fingerprint: source.fingerprint,
      brand: source.brand,
      bin: source.bin,
      last4: source.last4,
      numberLength: source.numberLength,
      expMonth: source.expMonth,
      expYear: source.expYear,
      routingNumber: source.routingNumber,
      accountType: source.accountType ?? target.accountType,
      secCode: source.secCode ?? target.secCode,
      cvcProvided: source.cvcProvided,
      updatedAt: now,
    });
    await this.manager.save(PaymentMethodEntity, target);
    await this.manager.update(PaymentMethodEntity, { seq: sourceSeq }, { deletedAt: now, updatedAt: now, purgedAt: now, secret: null, fingerprint: null, singleUseToken: null });
    this.deps.touched.add(target.id);
    this.deps.touched.add(source.id);
    return toPaymentMethod(target);
  }

  async testStoredNumber(seq: number, predicate: (number: string) => boolean): Promise<boolean> {
    const row = await this.paymentMethodRow(seq);
    if (row.secret === null) return false;
    return predicate(this.deps.keyring.decryptSecret(this.deps.keys, row.secret));
  }

  private async clearDefaultPointer(paymentMethodSeq: number, customerSeq: number | null): Promise<void> {
    if (customerSeq === null) return;
    await this.manager.update(CustomerEntity, { seq: customerSeq, defaultPaymentMethodSeq: paymentMethodSeq }, { defaultPaymentMethodSeq: null });
  }

  async attachPaymentMethod(seq: number, customerSeq: number | null): Promise<PaymentMethod> {
    const row = await this.paymentMethodRow(seq);
    if (customerSeq !== null) await this.customerRowBySeq(customerSeq);
    const now = this.deps.now();
    if (row.customerSeq !== null && row.customerSeq !== customerSeq) await this.clearDefaultPointer(seq, row.customerSeq);
    row.customerSeq = customerSeq;
    row.attachedAt = customerSeq === null ? null : now;
    row.singleUseToken = null;
    row.tokenExpiresAt = null;
    row.updatedAt = now;
    await this.manager.save(PaymentMethodEntity, row);
    this.deps.touched.add(row.id);
    return toPaymentMethod(row);
  }

  async deletePaymentMethod(seq: number, mode: 'soft' | 'purge'): Promise<void> {
    const row = await this.paymentMethodRow(seq);
    const now = this.deps.now();
    await this.manager.update(
      PaymentMethodEntity,
      { seq },
      mode === 'purge'
        ? { deletedAt: now, updatedAt: now, purgedAt: now, secret: null, fingerprint: null, singleUseToken: null }
        : { deletedAt: now, updatedAt: now, singleUseToken: null },
    );
    await this.clearDefaultPointer(seq, row.customerSeq);
    this.deps.touched.add(row.id);
  }
}

const ADDRESS_FILTER_COLUMNS: Record<string, string> = {
  givenName: 'given_name',
  familyName: 'family_name',
  company: 'company',
  line1: 'line1',
  line2: 'line2',
  city: 'city',
  state: 'state',
  postalCode: 'postal_code',
  country: 'country',
  email: 'email',
  phone: 'phone',
  fax: 'fax',
};
