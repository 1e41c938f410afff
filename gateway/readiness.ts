/**
 * The master-key half of `/readyz`: 503 while this process lacks a master key the stored tenant
 * keys need (it would answer 500 for those tenants). The verdict is cached by the key check, which
 * logs the reason (master-key ids, no secrets); the unauthenticated caller gets the status only.
 */
import type { Response } from 'express';
import type { GatewayContext } from './context';

export async function readyKeys(context: GatewayContext, res: Response): Promise<void> {
  const verdict = await context.keyCheck.verdict();
  res.status(verdict.ok ? 200 : 503).json({ status: verdict.ok ? 'ready' : 'master key missing' });
}
