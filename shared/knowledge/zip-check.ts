import { inflateRawSync } from 'node:zlib';
import { ExtractionError, type ExtractionLimits, tooMuchUnpacked } from './extraction-limits.js';

/** Most entries a DOCX may hold; real ones have tens. */
const MAX_ENTRIES = 5000;
const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function corrupt(why: string): ExtractionError {
  return new ExtractionError(`Could not read the docx file (${why}).`);
}

/** Finds the end-of-central-directory record, which sits in the last 64 KB + 22 bytes. */
function findEndRecord(bytes: Buffer): number {
  const stop = Math.max(0, bytes.length - 22 - 0xffff);
  for (let i = bytes.length - 22; i >= stop; i--) if (bytes.readUInt32LE(i) === EOCD) return i;
  throw corrupt('not a zip archive');
}

/** Sizes from a ZIP64 extended-information extra field, for the fields the central record marks 0xFFFFFFFF. */
function zip64Sizes(extra: Buffer, entry: { size: number; compressed: number; offset: number }): void {
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(p);
    const len = extra.readUInt16LE(p + 2);
    if (id === 0x0001) {
      let q = p + 4;
      const next = () => {
        if (q + 8 > p + 4 + len) throw corrupt('bad ZIP64 field');
        const v = Number(extra.readBigUInt64LE(q));
        q += 8;
        return v;
      };
      if (entry.size === 0xffffffff) entry.size = next();
      if (entry.compressed === 0xffffffff) entry.compressed = next();
      if (entry.offset === 0xffffffff) entry.offset = next();
      return;
    }
    p += 4 + len;
  }
}

/**
 * Proves a zip archive (DOCX) unpacks to at most `limits.maxInflatedBytes` before any library
 * inflates it. It reads the central directory, the same records the zip library will read, and
 * refuses at once when the declared sizes add up to more than the limit. Declared sizes can lie,
 * so each entry is also inflated with a hard output cap equal to its declared size: memory never
 * grows past one entry of at most the limit, and a lying entry fails instead of ballooning.
 */
export function checkZipArchive(bytes: Buffer, limits: ExtractionLimits): void {
  if (bytes.length < 22) throw corrupt('not a zip archive');
  const end = findEndRecord(bytes);
  const count = bytes.readUInt16LE(end + 10);
  const dirOffset = bytes.readUInt32LE(end + 16);
  if (count === 0xffff || dirOffset === 0xffffffff) throw corrupt('ZIP64 archives are not read');
  if (count > MAX_ENTRIES) throw corrupt(`more than ${MAX_ENTRIES} parts`);
  const entries: Array<{ method: number; size: number; compressed: number; offset: number }> = [];
  let declaredTotal = 0;
  let p = dirOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || bytes.readUInt32LE(p) !== CENTRAL) throw corrupt('damaged central directory');
    const entry = {
      method: bytes.readUInt16LE(p + 10),
      compressed: bytes.readUInt32LE(p + 20),
      size: bytes.readUInt32LE(p + 24),
      offset: bytes.readUInt32LE(p + 42),
    };
    const nameLen = bytes.readUInt16LE(p + 28);
    const extraLen = bytes.readUInt16LE(p + 30);
    const commentLen = bytes.readUInt16LE(p + 32);
    zip64Sizes(bytes.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen), entry);
    if (entry.method !== 0 && entry.method !== 8) throw corrupt(`unsupported compression method ${entry.method}`);
    declaredTotal += entry.size;
    if (declaredTotal > limits.maxInflatedBytes) throw tooMuchUnpacked('docx', limits);
    entries.push(entry);
    p += 46 + nameLen + extraLen + commentLen;
  }
  let inflatedTotal = 0;
  for (const entry of entries) {
    const local = entry.offset;
    if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== LOCAL) throw corrupt('damaged entry');
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    if (start + entry.compressed > bytes.length) throw corrupt('truncated entry');
    const data = bytes.subarray(start, start + entry.compressed);
    let actual = data.length;
    if (entry.method === 8 && entry.size > 0) {
      try {
        actual = inflateRawSync(data, { maxOutputLength: entry.size }).length;
      } catch (error) {
        // Output beyond the declared size: the archive lies about its sizes, the mark of a bomb.
        if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooMuchUnpacked('docx', limits);
        throw corrupt('damaged compressed data');
      }
    } else if (entry.method === 8) {
      // Declared empty: a single byte of output already proves the size is a lie.
      try {
        actual = inflateRawSync(data, { maxOutputLength: 1 }).length;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooMuchUnpacked('docx', limits);
        throw corrupt('damaged compressed data');
      }
    }
    if (actual !== entry.size) throw corrupt('entry sizes do not match');
    inflatedTotal += actual;
    if (inflatedTotal > limits.maxInflatedBytes) throw tooMuchUnpacked('docx', limits);
  }
}
