/** A real gateway in a child process (tests/support/child/gateway.ts), for faults only a whole process can show. */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface ChildGateway {
  url: string;
  child: ChildProcess;
  /** Settles with the signal the process was ended by (null when it exited by itself). */
  exited: Promise<NodeJS.Signals | null>;
  stop(): Promise<void>;
}

export async function startChildGateway(env: Record<string, string>): Promise<ChildGateway> {
  const child = fork(join(__dirname, 'child', 'gateway.ts'), [], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
    execArgv: ['--require', join(__dirname, 'child', 'register.js')],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the child gateway did not start within 60 s')), 60_000);
    child.once('message', (message: { port: number }) => {
      clearTimeout(timer);
      resolve(message.port);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the child gateway exited (${code}) before it listened`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
