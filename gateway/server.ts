/** Starting and stopping the HTTP server. */
import type { Server } from 'node:http';
import { createApp } from './app';
import type { GatewayContext } from './context';

/** `host` unset = every interface (Node's default); `127.0.0.1` or `::1` = this machine only. */
export async function listen(context: GatewayContext, port: number, host?: string): Promise<Server> {
  // Jobs a previous run of the gateway left running were cut short: say so before serving (core/migration/jobs.ts).
  await context.migrationJobs.markInterrupted();
  const app = createApp(context);
  return new Promise((resolve, reject) => {
    const ready = (error?: Error) => (error ? reject(error) : resolve(server));
    const server = host === undefined ? app.listen(port, ready) : app.listen(port, host, ready);
    server.keepAliveTimeout = 65_000;
  });
}
