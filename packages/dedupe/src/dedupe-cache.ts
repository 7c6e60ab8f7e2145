import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@upframe/core/internal';
import { xxh32, xxh32Hex } from './fast-hash.js';

// One file per (input identity, strategy settings). Layout, all integers little-endian:
//   "UFDD" | u32 version | u32 header bytes | header JSON | pad to 4
//   | duplicate bits (bit i set = frame i reuses the reference) | pad to 4
//   | u32 digest words (wordsPerFrame per frame) | u32 xxh32 of everything before it.
// A bit per frame is enough because a duplicate always points at the last inferred frame; the
// digest words let `exact` continue past the end of a partial cache without the reference pixels.

const MAGIC = 0x44444655; // "UFDD" read as little-endian u32
const VERSION = 1;

/** What a cache entry must match to be used. */
export interface DedupeCacheKey {
  readonly strategy: string;
  /** `SourceInfo.identity`: path, size and mtime of the input. */
  readonly identity: string;
  /** Canonical settings string: options, algorithm version, decoded geometry. */
  readonly settings: string;
  readonly wordsPerFrame: number;
}

export interface CachedDecisions {
  readonly count: number;
  /** 1 where the frame is a duplicate of the reference, 0 where it was inferred. */
  readonly duplicate: Uint8Array;
  /** `count * wordsPerFrame` digest words. */
  readonly words: Uint32Array;
}

export type CacheRead =
  | { readonly state: 'loaded'; readonly data: CachedDecisions }
  | { readonly state: 'missing' | 'stale' | 'unreadable'; readonly reason: string };

export function cacheFilePath(dir: string, key: DedupeCacheKey): string {
  const id = `${key.identity}\n${key.settings}`;
  return join(dir, `dedupe-${key.strategy}-${xxh32Hex(id)}${xxh32Hex(id, 0x5eed)}.bin`);
}

const pad4 = (n: number) => (n + 3) & ~3;

export async function readDedupeCache(file: string, key: DedupeCacheKey): Promise<CacheRead> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { state: code === 'ENOENT' ? 'missing' : 'unreadable', reason: String(error) };
  }
  try {
    return decode(bytes, key);
  } catch (error) {
    return { state: 'unreadable', reason: error instanceof Error ? error.message : String(error) };
  }
}

function decode(bytes: Buffer, key: DedupeCacheKey): CacheRead {
  if (bytes.length < 16 || bytes.readUInt32LE(0) !== MAGIC) throw new Error('not a dedupe cache file');
  if (bytes.readUInt32LE(4) !== VERSION) return { state: 'stale', reason: 'older cache format' };
  const body = bytes.subarray(0, bytes.length - 4);
  if (xxh32(body) !== bytes.readUInt32LE(bytes.length - 4)) throw new Error('checksum mismatch (truncated or corrupted)');
  const headerLength = bytes.readUInt32LE(8);
  const header = JSON.parse(bytes.toString('utf8', 12, 12 + headerLength)) as Record<string, unknown>;
  for (const field of ['strategy', 'identity', 'settings', 'wordsPerFrame'] as const) {
    if (header[field] !== key[field]) return { state: 'stale', reason: `${field} changed` };
  }
  const count = header.count;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) throw new Error('bad frame count');
  const bitsAt = pad4(12 + headerLength);
  const wordsAt = pad4(bitsAt + Math.ceil(count / 8));
  const wordCount = count * key.wordsPerFrame;
  if (wordsAt + wordCount * 4 !== body.length) throw new Error('size does not match frame count');
  const duplicate = new Uint8Array(count);
  for (let i = 0; i < count; i++) duplicate[i] = (bytes[bitsAt + (i >> 3)] >> (i & 7)) & 1;
  // The first frame has nothing to duplicate; a file claiming otherwise was not written by us.
  if (count > 0 && duplicate[0] === 1) throw new Error('frame 0 marked as duplicate');
  const words = new Uint32Array(wordCount);
  for (let i = 0; i < wordCount; i++) words[i] = bytes.readUInt32LE(wordsAt + i * 4);
  return { state: 'loaded', data: { count, duplicate, words } };
}

/** Writes the cache atomically: a temporary file in the same directory, then a rename. */
export async function writeDedupeCache(file: string, key: DedupeCacheKey, data: CachedDecisions): Promise<void> {
  const header = Buffer.from(JSON.stringify({ ...key, count: data.count }), 'utf8');
  const bitsAt = pad4(12 + header.length);
  const wordsAt = pad4(bitsAt + Math.ceil(data.count / 8));
  const wordCount = data.count * key.wordsPerFrame;
  const out = Buffer.alloc(wordsAt + wordCount * 4 + 4);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(VERSION, 4);
  out.writeUInt32LE(header.length, 8);
  header.copy(out, 12);
  for (let i = 0; i < data.count; i++) if (data.duplicate[i]) out[bitsAt + (i >> 3)] |= 1 << (i & 7);
  for (let i = 0; i < wordCount; i++) out.writeUInt32LE(data.words[i], wordsAt + i * 4);
  out.writeUInt32LE(xxh32(out.subarray(0, out.length - 4)), out.length - 4);
  await writeFileAtomic(file, out);
}
