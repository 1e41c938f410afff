/**
 * A TCP proxy between a gateway and the MariaDB server that can be frozen (it stops forwarding,
 * in both directions, and new connections hang at their first byte) and thawed: a database that
 * stops answering without anyone stopping the shared server. It can also hold back the one
 * connection that sends a given statement (`trap`), to stop a request at an exact point. A
 * connection the gateway closes is closed towards the server too, so the server rolls back what
 * it held, as it would after a freeze.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface FreezableProxy {
  port: number;
  freeze(): void;
  thaw(): void;
  /** Holds back the first connection that sends `text` (that packet included); settles when one does. */
  trap(text: string): Promise<void>;
  /** Lets the trapped connection go on. */
  release(): void;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  /** Bytes not forwarded yet, per direction, while the pair is held. */
  pending: { up: Buffer[]; down: Buffer[] };
  trapped: boolean;
}

export async function startFreezableProxy(target: { host: string; port: number }): Promise<FreezableProxy> {
  let frozen = false;
  let trap: { text: Buffer; sprung: () => void } | null = null;
  const pairs = new Set<Pair>();
  const held = (pair: Pair) => frozen || pair.trapped;
  const flush = (pair: Pair) => {
    if (held(pair)) return;
    for (const chunk of pair.pending.up.splice(0)) pair.upstream.write(chunk);
    for (const chunk of pair.pending.down.splice(0)) pair.client.write(chunk);
  };
  const server = createServer((client) => {
    const pair: Pair = { client, upstream: connect(target.port, target.host), pending: { up: [], down: [] }, trapped: false };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      pair.client.destroy();
      pair.upstream.destroy();
    };
    for (const socket of [pair.client, pair.upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
    client.on('data', (chunk: Buffer) => {
      if (trap && chunk.includes(trap.text)) {
        pair.trapped = true;
        const { sprung } = trap;
        trap = null;
        sprung();
      }
      if (held(pair)) pair.pending.up.push(chunk);
      else pair.upstream.write(chunk);
    });
    pair.upstream.on('data', (chunk: Buffer) => {
      if (held(pair)) pair.pending.down.push(chunk);
      else client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    freeze() {
      frozen = true;
    },
    thaw() {
      frozen = false;
      for (const pair of pairs) flush(pair);
    },
    trap(text) {
      return new Promise<void>((sprung) => (trap = { text: Buffer.from(text), sprung }));
    },
    release() {
      for (const pair of pairs) {
        pair.trapped = false;
        flush(pair);
      }
    },
    async close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
