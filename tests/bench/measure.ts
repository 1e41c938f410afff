/** Driving one server with autocannon: a check that every request answers 2xx, a warm-up, then the measurement. */
import autocannon from 'autocannon';
import type { BenchOptions } from './options';
import type { Request } from './scenarios';
import { cpuMs, type RunningServer } from './servers';

export interface Measurement {
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  errors: number;
  requests: number;
  /** CPU time of the server process per measured request (user + system, ms), from /proc/<pid>/stat. */
  cpuPerRequest: number | null;
  /** Requests of the warm-up (not measured, but served: they count in a CPU profile). */
  warmupRequests: number;
}

/** Sends each request of a scenario once and insists on a 2xx, so a broken scenario is not measured as fast failures. */
export async function checkScenario(server: RunningServer, requests: Request[]): Promise<void> {
  for (const template of requests) {
    const req = typeof template.setupRequest === 'function' ? template.setupRequest({ ...template }, {}) : template;
    let res: Response | null = null;
    for (let attempt = 1; res === null; attempt += 1) {
      try {
        res = await fetch(server.url + req.path, { method: req.method, headers: req.headers as Record<string, string>, body: req.body as string | undefined });
      } catch (error) {
        // A connection closed under the previous scenario's load: try again before giving up.
        const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
        if (attempt >= 3 || server.child.exitCode !== null) throw new Error(`${server.name}: ${req.method} ${req.path} failed: ${cause}${server.child.exitCode !== null ? ` (the process exited with ${server.child.exitCode})` : ''}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    const text = await res.text();
    if (res.status < 200 || res.status > 299) throw new Error(`${server.name}: ${req.method} ${req.path} answered ${res.status}: ${text.slice(0, 300)}`);
  }
}

function fire(url: string, requests: Request[], connections: number, duration: number): Promise<autocannon.Result> {
  return new Promise((done, fail) => {
    autocannon({ url, connections, duration, requests, timeout: 10 }, (error, result) => (error ? fail(error) : done(result)));
  });
}

export async function measure(server: RunningServer, requests: Request[], options: Pick<BenchOptions, 'connections' | 'duration' | 'warmup'>): Promise<Measurement> {
  const warm = options.warmup > 0 ? await fire(server.url, requests, options.connections, options.warmup) : null;
  const cpuBefore = cpuMs(server.child.pid);
  const result = await fire(server.url, requests, options.connections, options.duration);
  const cpuAfter = cpuMs(server.child.pid);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.mean,
    errors: result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
    warmupRequests: warm ? warm.requests.total : 0,
    cpuPerRequest: cpuBefore !== null && cpuAfter !== null && result.requests.total > 0 ? (cpuAfter - cpuBefore) / result.requests.total : null,
  };
}

export const fmt = (n: number, digits = 0) => n.toFixed(digits);

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
  return [line(headers), '|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 1) + '-' : '-'.repeat(w + 1) + ':')).join('|') + '|', ...rows.map(line)].join('\n');
}

