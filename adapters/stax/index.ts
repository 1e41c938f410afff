// Placeholder until the stax dialect lands: registers nothing but its id so the gateway compiles.
import type { Dialect } from '../dialect';
import { Router } from 'express';

export const stax: Dialect = {
  id: 'stax',
  title: 'stax',
  rootPrefixes: [],
  keys: [{ kind: 'secret', label: 'stax', format: (random) => random }],
  initialSettings: () => ({ enabled: true }),
  router: () => Router(),
  renderNotFound: (_req, res) => void res.status(404).json({ error: 'Not found' }),
  renderInternalError: (_req, res) => void res.status(500).json({ error: 'Internal Server Error' }),
  exampleCurl: () => '',
};
