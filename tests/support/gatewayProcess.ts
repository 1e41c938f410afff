/**
 * `polyvault serve` as an operator runs it: a real child process (the package's `bin`, compiled
 * CLI) listening on a real port, for tests of start-up, shutdown and several gateways at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(__dirname, '..', '..', 'bin', 'polyvault.js');

export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** What a `serve` that refused to start left behind. */
export interface Refusal {
  code: number | null;
  stderr: string;
  ms: number;
}

/** Runs `polyvault serve [args]` on 127.0.0.1 (unless told otherwise) and an ephemeral port; resolves once it listens. */
export function startGateway(env: Record<string, string>, args: string[] = [], timeoutMs = 20_000): Promise<GatewayProcess> {
  // LOG_LEVEL info last: the "listening on" line is how the test learns the port.
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { env: { ...process.env, PORT: '0', POLYVAULT_HOST: '127.0.0.1', ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`polyvault serve did not listen within ${timeoutMs} ms: ${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[^"\s]+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({ url: match[1], child, stop: () => stopChild(child) });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`polyvault serve exited with ${code} before listening: ${output}`));
    });
  });
}

/** Runs `polyvault serve` expecting it to refuse: resolves with its exit code and stderr. */
export function refusedGateway(env: Record<string, string>, timeoutMs = 15_000): Promise<Refusal> {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, 'serve'], { env: { ...process.env, PORT: '0', POLYVAULT_HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`polyvault serve was still running after ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: Date.now() - started });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
