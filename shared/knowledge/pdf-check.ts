import { constants, inflateSync } from 'node:zlib';
import { ExtractionError, type ExtractionLimits, tooMuchUnpacked } from './extraction-limits.js';

const STREAM = Buffer.from('stream');
const END_STREAM = Buffer.from('endstream');
/** Filters that expand without bound and that this check cannot measure; modern PDFs do not use them. */
const UNMEASURED_FILTERS = /\/(LZWDecode|LZW)\b/;

/** Inflates a zlib stream with a hard output cap; undefined when it is not zlib data. Throws past the cap. */
function inflateCapped(data: Buffer, cap: number, limits: ExtractionLimits): Buffer | undefined {
  if (data.length < 2 || data[0] !== 0x78) return undefined;
  try {
    // SYNC_FLUSH accepts a stream cut short, as PDF readers do.
    return inflateSync(data, { maxOutputLength: Math.max(1, cap), finishFlush: constants.Z_SYNC_FLUSH });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooMuchUnpacked('pdf', limits);
    return undefined;
  }
}

/**
 * Proves a PDF's compressed streams unpack to at most `limits.maxInflatedBytes` in total before the
 * PDF library decodes them. Each `stream … endstream` body that is zlib data is inflated with a hard
 * output cap (the budget left), and again while the result is itself zlib data (chained
 * FlateDecode filters), so memory never grows past the limit. LZW, which cannot be measured the
 * same way, is refused.
 */
export function checkPdfStreams(bytes: Buffer, limits: ExtractionLimits): void {
  if (UNMEASURED_FILTERS.test(bytes.toString('latin1')))
    throw new ExtractionError(
      'The pdf file uses LZW compression, which we do not read. Save it again as a current PDF.',
    );
  let used = 0;
  for (let at = bytes.indexOf(STREAM); at !== -1; at = bytes.indexOf(STREAM, at + STREAM.length)) {
    // `endstream` contains `stream`; only a keyword followed by an end of line opens a body.
    if (at >= 3 && bytes.subarray(at - 3, at).toString('latin1') === 'end') continue;
    let start = at + STREAM.length;
    if (bytes[start] === 0x0d) start++;
    if (bytes[start] !== 0x0a) continue;
    start++;
    const stop = bytes.indexOf(END_STREAM, start);
    let data: Buffer | undefined = bytes.subarray(start, stop === -1 ? bytes.length : stop);
    for (let depth = 0; depth < 8 && data; depth++) {
      data = inflateCapped(data, limits.maxInflatedBytes - used, limits);
      if (!data) break;
      used += data.length;
      if (used > limits.maxInflatedBytes) throw tooMuchUnpacked('pdf', limits);
      if (UNMEASURED_FILTERS.test(data.subarray(0, 1 << 20).toString('latin1'))) {
        throw new ExtractionError(
          'The pdf file uses LZW compression, which we do not read. Save it again as a current PDF.',
        );
      }
    }
  }
}
