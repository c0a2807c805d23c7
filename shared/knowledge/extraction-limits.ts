import type { Settings } from '../platform/settings.js';

/**
 * A document whose text could not be read (corrupt, encrypted, empty, or over a limit). A permanent failure: never
 * retried.
 */
export class ExtractionError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ExtractionError';
  }
}

/** Hard limits on reading one uploaded document, so no file can exhaust memory or time. */
export interface ExtractionLimits {
  /** Most bytes the document may unpack to (zip entries, compressed PDF streams), all together. */
  maxInflatedBytes: number;
  /** Most characters of text the document may yield. */
  maxChars: number;
  /** Most pages (PDF). */
  maxPages: number;
  /** Wall-clock time allowed for reading it. */
  timeoutMs: number;
  /** Heap of the worker thread that reads it, in MB. */
  maxHeapMb: number;
}

/** The limits from settings. */
export function extractionLimits(
  s: Pick<
    Settings,
    | 'KB_MAX_INFLATED_BYTES'
    | 'KB_MAX_DOCUMENT_CHARS'
    | 'KB_MAX_PDF_PAGES'
    | 'KB_EXTRACT_TIMEOUT_MS'
    | 'KB_EXTRACT_MAX_HEAP_MB'
  >,
): ExtractionLimits {
  return {
    maxInflatedBytes: s.KB_MAX_INFLATED_BYTES,
    maxChars: s.KB_MAX_DOCUMENT_CHARS,
    maxPages: s.KB_MAX_PDF_PAGES,
    timeoutMs: s.KB_EXTRACT_TIMEOUT_MS,
    maxHeapMb: s.KB_EXTRACT_MAX_HEAP_MB,
  };
}

/** A size in words an owner reads ("48 MB"). */
export function humanBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / (1024 * 1024))} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
}

/** The reason shown when a document unpacks to more than the limit (a decompression bomb, or simply too big). */
export function tooMuchUnpacked(kind: string, limits: ExtractionLimits): ExtractionError {
  return new ExtractionError(
    `The ${kind} file unpacks to more than ${humanBytes(limits.maxInflatedBytes)}, the most we read from one document. Split it into smaller files or save it as plain text.`,
  );
}
