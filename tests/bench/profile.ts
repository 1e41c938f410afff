/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and names where the CPU time went: self time by function
 * and by package (a node_modules package, a project folder such as `core/vault`, or V8/node itself),
 * divided by the number of requests served while profiling, i.e. CPU microseconds per request.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled wall time of the profile, ms. */
  totalMs: number;
  /** CPU time (not idle), ms. */
  busyMs: number;
  byPackage: Array<{ name: string; ms: number; share: number }>;
  byFunction: Array<{ name: string; where: string; ms: number; share: number }>;
  /** Project functions (core, adapters, gateway) with the time of everything they called synchronously. */
  inclusive: Array<{ name: string; where: string; ms: number; share: number }>;
}

/** A readable owner for a script URL: `typeorm`, `express`, `core/vault`, `adapters/maast`, `node:internal`… */
export function ownerOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(garbage collector)') return '(gc)';
    if (functionName === '(program)') return '(program: V8/native)';
    return `(native) ${functionName}`;
  }
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  if (url.startsWith('node:')) return url.startsWith('node:internal') ? 'node:internal/' + url.split('/')[1] : url;
  const project = /\/dist\/(?:bench\/)?((?:core|adapters|gateway|config)(?:\/[^/]+)?)/.exec(url);
  if (project) return project[1].replace(/\.js$/, '');
  return url;
}

/** `skipMs`: leave out the first milliseconds of the profile (start-up and seeding). */
export function summariseProfile(path: string, skipMs = 0): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  let elapsedUs = 0;
  for (let i = 0; i < profile.samples.length; i += 1) {
    elapsedUs += profile.timeDeltas[i] ?? 0;
    if (elapsedUs < skipMs * 1000) continue;
    const delta = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + delta);
  }
  const packages = new Map<string, number>();
  const functions = new Map<string, { name: string; where: string; us: number }>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    total += us;
    const owner = ownerOf(url, functionName);
    if (owner === '(idle)') {
      idle += us;
      continue;
    }
    packages.set(owner, (packages.get(owner) ?? 0) + us);
    const where = url ? `${owner}:${lineNumber + 1}` : owner;
    const key = `${functionName}@${where}`;
    const entry = functions.get(key) ?? { name: functionName || '(anonymous)', where, us: 0 };
    entry.us += us;
    functions.set(key, entry);
  }
  const busy = total - idle;
  const inclusive = new Map<string, { name: string; where: string; us: number }>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = byId.get(at)!.callFrame;
      if (!/\/dist\/(?:bench\/)?(core|adapters|gateway)\//.test(url)) continue;
      const where = `${ownerOf(url, functionName)}:${lineNumber + 1}`;
      const key = `${functionName}@${where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = inclusive.get(key) ?? { name: functionName || '(anonymous)', where, us: 0 };
      entry.us += us;
      inclusive.set(key, entry);
    }
  }
  const share = (us: number) => (busy > 0 ? us / busy : 0);
  return {
    totalMs: total / 1000,
    busyMs: busy / 1000,
    byPackage: [...packages].map(([name, us]) => ({ name, ms: us / 1000, share: share(us) })).sort((a, b) => b.ms - a.ms),
    byFunction: [...functions.values()].map((f) => ({ name: f.name, where: f.where, ms: f.us / 1000, share: share(f.us) })).sort((a, b) => b.ms - a.ms),
    inclusive: [...inclusive.values()].map((f) => ({ name: f.name, where: f.where, ms: f.us / 1000, share: share(f.us) })).sort((a, b) => b.ms - a.ms),
  };
}

export function formatProfile(summary: ProfileSummary, requests: number, top = 20): string {
  const perRequest = (ms: number) => (requests > 0 ? `${((ms * 1000) / requests).toFixed(0).padStart(6)} µs/req` : '');
  const lines = [
    `CPU profile of polyvault: ${summary.busyMs.toFixed(0)} ms busy of ${summary.totalMs.toFixed(0)} ms sampled, ${requests} requests → ${requests ? ((summary.busyMs * 1000) / requests).toFixed(0) : '?'} µs CPU per request`,
    '',
    'self time by package:',
    ...summary.byPackage.slice(0, top).map((p) => `  ${(p.share * 100).toFixed(1).padStart(5)} %  ${perRequest(p.ms)}  ${p.name}`),
    '',
    'self time by function:',
    ...summary.byFunction.slice(0, top).map((f) => `  ${(f.share * 100).toFixed(1).padStart(5)} %  ${perRequest(f.ms)}  ${f.name}  (${f.where})`),
    '',
    'project functions, time including what they called synchronously:',
    ...summary.inclusive.slice(0, top).map((f) => `  ${(f.share * 100).toFixed(1).padStart(5)} %  ${perRequest(f.ms)}  ${f.name}  (${f.where})`),
  ];
  return lines.join('\n');
}

if (require.main === module) {
  const [path, requests, skipMs] = process.argv.slice(2);
  if (!path) {
    process.stderr.write('usage: node dist/bench/tests/bench/profile.js <file.cpuprofile> [requests] [skip-ms]\n');
    process.exit(2);
  }
  process.stdout.write(formatProfile(summariseProfile(path, Number(skipMs ?? 0)), Number(requests ?? 0), 30) + '\n');
}
