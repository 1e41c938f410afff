/**
 * A gateway in a child process of its own, configured only through its environment as an operator
 * would (`DATABASE_URL`, `POLYVAULT_MASTER_KEY`, …); it tells its parent the port it listens on.
 * Started by `startChildGateway` (childGateway.ts).
 */
import { loadConfig } from '../../../config';
import { createLogger } from '../../../core/logger';
import { createContext } from '../../../gateway/context';
import { listen } from '../../../gateway/server';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const context = await createContext(config, createLogger({ level: 'silent' }));
  const server = await listen(context, 0);
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
}

main().catch((error: unknown) => {
  process.stderr.write(`child gateway failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
