// bcrypt (Provos & Mazières, 1999) in plain TypeScript, for the htpasswd file of a test registry: the registry only
// accepts bcrypt entries, `htpasswd` is often not installed, and no bcrypt package is among the dependencies.
// Blowfish's initial P-array and S-boxes are the hex digits of π, computed here with BigInt instead of a 1,042-word table.
import { randomBytes } from 'node:crypto';

const ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const MAGIC = 'OrpheanBeholderScryDoubt';

let PI_WORDS: Uint32Array | undefined;

/** The first `n` 32-bit words of π's fractional part: 0x243f6a88, 0x85a308d3, … (Machin's formula). */
export function piWords(n: number): Uint32Array {
  const bits = BigInt(n * 32 + 64); // 64 guard bits absorb the truncation of each series term
  const one = 1n << bits;
  const atan = (inv: bigint) => {
    let sum = 0n;
    let power = one / inv;
    const inv2 = inv * inv;
    for (let k = 1n, sign = 1n; power !== 0n; k += 2n, sign = -sign, power /= inv2) sum += (sign * power) / k;
    return sum;
  };
  const frac = (16n * atan(5n) - 4n * atan(239n) - 3n * one) >> 64n;
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = Number((frac >> BigInt((n - 1 - i) * 32)) & 0xffffffffn);
  return out;
}

class Blowfish {
  readonly P: Uint32Array;
  readonly S: Uint32Array; // the four S-boxes, 256 words each

  constructor() {
    PI_WORDS ??= piWords(18 + 1024);
    this.P = PI_WORDS.slice(0, 18);
    this.S = PI_WORDS.slice(18);
  }

  private f(x: number): number {
    const S = this.S;
    return (((S[x >>> 24] + S[256 + ((x >>> 16) & 0xff)]) ^ S[512 + ((x >>> 8) & 0xff)]) + S[768 + (x & 0xff)]) >>> 0;
  }

  encipher(lr: Uint32Array, at: number): void {
    let l = lr[at];
    let r = lr[at + 1];
    for (let i = 0; i < 16; i += 2) {
      l ^= this.P[i];
      r ^= this.f(l >>> 0) ^ this.P[i + 1];
      l ^= this.f(r >>> 0);
    }
    lr[at] = (r ^ this.P[17]) >>> 0;
    lr[at + 1] = (l ^ this.P[16]) >>> 0;
  }

  /** The key schedule: XOR the key into P, then refill P and S by encrypting (data-mixed) blocks. */
  expand(key: Uint8Array, data?: Uint8Array): void {
    const k = { pos: 0 };
    for (let i = 0; i < 18; i++) this.P[i] ^= word(key, k);
    const lr = new Uint32Array(2);
    const d = { pos: 0 };
    const fill = (box: Uint32Array) => {
      for (let i = 0; i < box.length; i += 2) {
        if (data) {
          lr[0] ^= word(data, d);
          lr[1] ^= word(data, d);
        }
        this.encipher(lr, 0);
        box[i] = lr[0];
        box[i + 1] = lr[1];
      }
    };
    fill(this.P);
    fill(this.S);
  }
}

/** The next 4 bytes of `bytes` as a big-endian word, wrapping around. */
function word(bytes: Uint8Array, cursor: { pos: number }): number {
  let w = 0;
  for (let i = 0; i < 4; i++) {
    w = (w << 8) | bytes[cursor.pos];
    cursor.pos = (cursor.pos + 1) % bytes.length;
  }
  return w >>> 0;
}

function encode(bytes: Uint8Array, chars: number): string {
  let out = '';
  for (let i = 0, bits = 0, acc = 0; out.length < chars;) {
    if (bits < 6) {
      acc = (acc << 8) | (bytes[i++] ?? 0);
      bits += 8;
    }
    out += ALPHABET[(acc >>> (bits - 6)) & 63];
    bits -= 6;
  }
  return out;
}

function decode(text: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let acc = 0;
  let bits = 0;
  let n = 0;
  for (const ch of text) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new Error(`'${ch}' is not a bcrypt base64 character`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8 && n < length) {
      out[n++] = (acc >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  return out;
}

/** `$2a$<cost>$<22-char salt><31-char hash>`; `salt` is the 22-character encoded salt (random when absent). */
export function bcrypt(password: string, cost = 5, salt?: string): string {
  const saltText = salt ?? encode(randomBytes(16), 22);
  const saltBytes = decode(saltText, 16);
  const key = Buffer.concat([Buffer.from(password, 'utf8'), Buffer.from([0])]).subarray(0, 72);
  const bf = new Blowfish();
  bf.expand(key, saltBytes);
  for (let i = 0; i < 2 ** cost; i++) {
    bf.expand(key);
    bf.expand(saltBytes);
  }
  const text = Buffer.from(MAGIC);
  const cdata = new Uint32Array(6);
  for (let i = 0; i < 6; i++) cdata[i] = text.readUInt32BE(i * 4);
  for (let round = 0; round < 64; round++) for (let j = 0; j < 6; j += 2) bf.encipher(cdata, j);
  const out = Buffer.alloc(24);
  cdata.forEach((w, i) => out.writeUInt32BE(w, i * 4));
  return `$2a$${String(cost).padStart(2, '0')}$${saltText}${encode(out.subarray(0, 23), 31)}`;
}

/** One line of an htpasswd file: `user:$2a$…`. */
export function htpasswdLine(user: string, password: string): string {
  return `${user}:${bcrypt(password)}`;
}
