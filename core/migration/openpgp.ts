/**
 * OpenPGP streams (the `openpgp` library): a provider's encrypted export is decrypted as it is read,
 * and an export holding card numbers is encrypted as it is written. Plaintext exists only in memory,
 * one chunk at a time.
 *
 * An encrypted import file is read twice (docs/migration.md, "Encrypted files"): the first pass
 * decrypts it to the end and throws the plaintext away, so the library's integrity check (MDC or
 * AEAD tag, which only the end of the message settles) has passed before any row is imported; the
 * second pass decrypts again for the import. The first pass records a SHA-256 of every block of
 * ciphertext, and the second pass refuses a block that differs, so the bytes imported are the bytes
 * checked even if the file is changed between the passes. Memory stays bounded: one chunk of
 * plaintext at a time, and 32 bytes of digest per 64 KiB of file.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import * as openpgp from 'openpgp';

/** Why an encrypted file was refused; its message is safe to print (it never quotes the file). */
export class EncryptedFileError extends Error {}

const BLOCK = 64 * 1024;

async function unlockKey(armoredPrivateKey: string, passphrase: string | null): Promise<openpgp.PrivateKey> {
  let privateKey: openpgp.PrivateKey;
  try {
    privateKey = await openpgp.readPrivateKey({ armoredKey: armoredPrivateKey });
  } catch {
    throw new EncryptedFileError('the decryption key is not an OpenPGP private key');
  }
  if (privateKey.isDecrypted()) return privateKey;
  if (passphrase === null) throw new EncryptedFileError('the private key is protected: give --passphrase-file');
  try {
    return await openpgp.decryptKey({ privateKey, passphrase });
  } catch {
    throw new EncryptedFileError('the passphrase does not unlock the private key');
  }
}

/**
 * Decrypts as a stream without waiting for the integrity check: only ever called on bytes the
 * first pass has checked (decryptVerifiedFile), or by that first pass itself, which discards them.
 */
async function decryptUnchecked(input: Readable, privateKey: openpgp.PrivateKey): Promise<Readable> {
  const [first, rest] = await peek(input);
  const armored = first.subarray(0, 64).toString('latin1').includes('-----BEGIN PGP');
  let message: openpgp.Message<ReadableStream<Uint8Array | string>>;
  try {
    message = armored
      ? await openpgp.readMessage({ armoredMessage: Readable.toWeb(rest.setEncoding('utf8')) as unknown as ReadableStream<string> })
      : await openpgp.readMessage({ binaryMessage: Readable.toWeb(rest) as unknown as ReadableStream<Uint8Array> });
  } catch {
    throw new EncryptedFileError('the file is not an OpenPGP message');
  }
  try {
    const { data } = await openpgp.decrypt({ message, decryptionKeys: privateKey, format: 'binary', config: { allowUnauthenticatedStream: true } });
    return Readable.fromWeb(data as unknown as WebReadableStream<Uint8Array>);
  } catch {
    throw new EncryptedFileError('the file cannot be decrypted with this key');
  }
}

/** Splits a stream into BLOCK-sized pieces (the last may be shorter) and hands each to `onBlock`. */
class Blocks extends Transform {
  private pending: Buffer[] = [];
  private size = 0;
  private index = 0;

  constructor(
    private readonly onBlock: (block: Buffer, index: number) => void,
    private readonly onEnd: (blocks: number) => void = () => undefined,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.pending.push(chunk);
    this.size += chunk.length;
    try {
      while (this.size >= BLOCK) {
        const all = Buffer.concat(this.pending);
        this.emitBlock(all.subarray(0, BLOCK));
        this.pending = [all.subarray(BLOCK)];
        this.size = all.length - BLOCK;
      }
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      if (this.size > 0) this.emitBlock(Buffer.concat(this.pending));
      this.onEnd(this.index);
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  private emitBlock(block: Buffer): void {
    this.onBlock(block, this.index++);
    this.push(block);
  }
}

const sha256 = (block: Buffer) => createHash('sha256').update(block).digest();

/**
 * The plaintext of an encrypted file, once the whole file has passed its integrity check. Rejects
 * with an EncryptedFileError (and nothing decrypted escapes) when the file was altered or cut, or the
 * key does not open it; the returned stream fails if the file changes after that check.
 */
export async function decryptVerifiedFile(path: string, armoredPrivateKey: string, passphrase: string | null): Promise<Readable> {
  const privateKey = await unlockKey(armoredPrivateKey, passphrase);
  const checked: Buffer[] = [];
  const first = await decryptUnchecked(createReadStream(path).pipe(new Blocks((block) => checked.push(sha256(block)))), privateKey);
  try {
    for await (const chunk of first) void chunk; // discarded: this pass only lets the library check the file to its end
  } catch {
    throw new EncryptedFileError('the encrypted file failed its integrity check (altered or cut short): nothing was imported');
  }
  const changed = () => new EncryptedFileError('the encrypted file changed while it was being imported');
  const second = createReadStream(path).pipe(
    new Blocks(
      (block, index) => {
        if (index >= checked.length || !sha256(block).equals(checked[index])) throw changed();
      },
      // A file cut short after the check ends early: refuse it at its end too.
      (blocks) => {
        if (blocks !== checked.length) throw changed();
      },
    ),
  );
  return decryptUnchecked(second, privateKey);
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
