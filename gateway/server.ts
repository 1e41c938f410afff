/** Starting and stopping the HTTP server. */
import type { Server } from 'node:http';
import { createApp } from './app';
import type { GatewayContext } from './context';

export async function listen(context: GatewayContext, port: number): Promise<Server> {
  const app = createApp(context);
  return new Promise((resolve, reject) => {
    const server = app.listen(port, (error?: Error) => (error ? reject(error) : resolve(server)));
    server.keepAliveTimeout = 65_000;
  });
}
