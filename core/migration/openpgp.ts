/**
 * OpenPGP streams (the `openpgp` library): a provider's encrypted export is decrypted as it is read,
 * and an export holding card numbers is encrypted as it is written. Plaintext exists only in memory,
 * one chunk at a time.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import * as openpgp from 'openpgp';

export async function decryptStream(input: Readable, armoredPrivateKey: string, passphrase: string | null): Promise<Readable> {
  let privateKey = await openpgp.readPrivateKey({ armoredKey: armoredPrivateKey });
  if (!privateKey.isDecrypted()) {
    if (passphrase === null) throw new Error('the private key is protected: give --passphrase-file');
    privateKey = await openpgp.decryptKey({ privateKey, passphrase });
  }
  const [first, rest] = await peek(input);
  const armored = first.subarray(0, 64).toString('latin1').includes('-----BEGIN PGP');
  const web = Readable.toWeb(rest) as unknown as ReadableStream<Uint8Array>;
  const message = armored
    ? await openpgp.readMessage({ armoredMessage: Readable.toWeb(rest.setEncoding('utf8')) as unknown as ReadableStream<string> })
    : await openpgp.readMessage({ binaryMessage: web });
  // Streamed, not buffered whole: a file cut or altered after its start fails at the point the
  // library finds it (the import then stops with an error; what was imported before is kept, checked
  // row by row, and the run can be repeated with a good file).
  const { data } = await openpgp.decrypt({ message, decryptionKeys: privateKey, format: 'binary', config: { allowUnauthenticatedStream: true } });
  return Readable.fromWeb(data as unknown as WebReadableStream<Uint8Array>);
}

export async function encryptStream(input: Readable, armoredPublicKey: string): Promise<Readable> {
  const encryptionKeys = await openpgp.readKey({ armoredKey: armoredPublicKey });
  const message = await openpgp.createMessage({ binary: Readable.toWeb(input) as unknown as ReadableStream<Uint8Array> });
  const armored = await openpgp.encrypt({ message, encryptionKeys, format: 'armored' });
  return Readable.fromWeb(armored as unknown as WebReadableStream<string>);
}

/** The stream's first chunk, and a stream that still yields everything. */
async function peek(input: Readable): Promise<[Buffer, Readable]> {
  const iterator = input[Symbol.asyncIterator]();
  const head = await iterator.next();
  const first: Buffer = head.done ? Buffer.alloc(0) : Buffer.from(head.value as Buffer);
  async function* all() {
    if (first.length > 0) yield first;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value as Buffer;
  }
  return [first, Readable.from(all())];
}
