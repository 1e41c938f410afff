// Placeholder until the fluidpay dialect lands: registers nothing but its id so the gateway compiles.
import type { Dialect } from '../dialect';
import { Router } from 'express';

export const fluidpay: Dialect = {
  id: 'fluidpay',
  title: 'fluidpay',
  rootPrefixes: [],
  keys: [{ kind: 'secret', label: 'fluidpay', format: (random) => random }],
  initialSettings: () => ({ enabled: true }),
  router: () => Router(),
  renderNotFound: (_req, res) => void res.status(404).json({ error: 'Not found' }),
  renderInternalError: (_req, res) => void res.status(500).json({ error: 'Internal Server Error' }),
  exampleCurl: () => '',
};
