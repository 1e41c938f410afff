/**
 * Identifier generation. Every record gets, once and for good, a random UUID v4 and a 12-byte
 * time-ordered object id; dialects show them in their own forms (see DESIGN.md, "Identity").
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

export function newUuid(): string {
  return randomUUID();
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

// 5 bytes chosen once per process (machine + process id of the xid layout) and a counter that
// starts at a random value, as rs/xid does.
const processBytes = randomBytes(5);
let counter = randomInt(0, 0x1000000);

/** 12 bytes: 4-byte big-endian Unix seconds ‖ 5 process bytes ‖ 3-byte counter; as 24 lowercase hex. */
export function newObjectId(now: number = Date.now()): string {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE(Math.floor(now / 1000) >>> 0, 0);
  processBytes.copy(bytes, 4);
  counter = (counter + 1) % 0x1000000;
  bytes.writeUIntBE(counter, 9, 3);
  return bytes.toString('hex');
}

export function isObjectIdHex(value: string): boolean {
  return /^[0-9a-f]{24}$/i.test(value);
}

const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';

/** The FluidPay xid form of an object id: the 96 bits shifted left by 4, as 20 base32hex characters. */
export function objectIdToXid(hex: string): string {
  let value = BigInt('0x' + hex) << 4n;
  let out = '';
  for (let i = 0; i < 20; i++) {
    out = BASE32HEX[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

const XID_PATTERN = /^[0-9a-v]{19}[0g]$/;
export function isXid(value: string): boolean {
  return XID_PATTERN.test(value);
}

/** Inverse of objectIdToXid; null when the text is not an xid. */
export function xidToObjectId(xid: string): string | null {
  if (!isXid(xid)) return null;
  let value = 0n;
  for (const char of xid) value = (value << 5n) | BigInt(BASE32HEX.indexOf(char));
  return (value >> 4n).toString(16).padStart(24, '0');
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Uniform random string over an alphabet, from the CSPRNG. */
export function randomString(length: number, alphabet: string = ALNUM): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(0, alphabet.length)];
  return out;
}

export function randomUpperAlnum(length: number): string {
  return randomString(length, UPPER_ALNUM);
}

/** A UUID without hyphens: the default Maast `card_id` of a payment method. */
export function uuidHex(uuid: string): string {
  return uuid.replace(/-/g, '').toLowerCase();
}

export function hexToUuid(hex: string): string | null {
  if (!/^[0-9a-f]{32}$/i.test(hex)) return null;
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
