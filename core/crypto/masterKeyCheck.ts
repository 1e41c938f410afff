/**
 * Does this process hold the master keys the database needs? Checked at start-up (a wrong key
 * refuses to start) and behind `/readyz`. It costs one unwrap per master-key id in use, never a walk
 * over the tenants: the ids come from an index, and a key whose id matches but does not open the
 * stored key (a corrupted row, a forged id) is caught by that one unwrap. The verdict is cached;
 * later checks only list the ids in use again (at most every KEY_REFRESH_MS), so a rotation that
 * starts wrapping with a key this process lacks turns `/readyz` to 503 within seconds.
 */
import { TenantKeyEntity } from '../persistence/entities';
import type { Store } from '../persistence/store';
import { KEY_REFRESH_MS, type Keyring } from './keyring';

export type KeyVerdict = { ok: true } | { ok: false; problem: string };

export class MasterKeyCheck {
  /** Master-key ids whose one sample key this process has unwrapped. */
  private readonly verified = new Set<string>();
  private last: { at: number; verdict: KeyVerdict } | null = null;

  constructor(
    private readonly store: Store,
    private readonly keyring: Keyring,
    private readonly now: () => number = Date.now,
    /** Told once each time the verdict turns into a new problem (the gateway logs it). */
    private readonly onProblem: (problem: string) => void = () => undefined,
  ) {}

  /** Checks now (start-up: the caller reports a problem itself). */
  async verify(): Promise<KeyVerdict> {
    const verdict = await this.check();
    this.last = { at: this.now(), verdict };
    return verdict;
  }

  /** The cached verdict, re-checked when older than KEY_REFRESH_MS (`/readyz`); a new problem is reported once. */
  async verdict(): Promise<KeyVerdict> {
    if (this.last && this.now() - this.last.at < KEY_REFRESH_MS) return this.last.verdict;
    const before = this.last?.verdict;
    const verdict = await this.verify();
    if (!verdict.ok && (!before || before.ok || before.problem !== verdict.problem)) this.onProblem(verdict.problem);
    return verdict;
  }

  private async check(): Promise<KeyVerdict> {
    const inUse = await this.store.read(async (manager) => ((await manager.query('SELECT DISTINCT master_key_id AS id FROM tenant_key')) as Array<{ id: string }>).map((r) => r.id));
    const missing = inUse.filter((id) => !this.keyring.holds(id));
    if (missing.length > 0) {
      return {
        ok: false,
        problem: `the database holds tenant keys wrapped by master key ${missing.join(', ')}, which this process was not given (it holds ${this.keyring.masterKeyIds.join(', ')}): check POLYVAULT_MASTER_KEY[_FILE], POLYVAULT_NEXT_MASTER_KEY[_FILE] and POLYVAULT_PREVIOUS_MASTER_KEYS`,
      };
    }
    for (const id of inUse.filter((candidate) => !this.verified.has(candidate))) {
      const sample = await this.store.read((manager) => manager.findOne(TenantKeyEntity, { where: { masterKeyId: id } }));
      if (!sample) continue; // re-wrapped away since the listing
      try {
        this.keyring.unwrap(sample);
        this.verified.add(id);
      } catch {
        return { ok: false, problem: `master key ${id} does not open the stored tenant key ${sample.id}: the row is damaged or was not wrapped by this key` };
      }
    }
    return { ok: true };
  }
}
