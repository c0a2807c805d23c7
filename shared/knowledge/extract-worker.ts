import { parentPort, workerData } from 'node:worker_threads';
import { ExtractionError, extractDocumentText } from './extract.js';
import type { ExtractionLimits } from './extraction-limits.js';
import type { DocumentType } from './schemas.js';

/** One document handed to this worker thread. */
export interface ExtractJob {
  contentType: DocumentType;
  bytes: Uint8Array;
}

/** What this worker thread answers: the text, or the reason it could not be read. */
export type ExtractResult = { ok: true; text: string } | { ok: false; reason: string };

const limits = workerData as ExtractionLimits;
parentPort?.on('message', (job: ExtractJob) => {
  extractDocumentText(
    job.contentType,
    Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength),
    limits,
  ).then(
    (text) => parentPort?.postMessage({ ok: true, text } satisfies ExtractResult),
    (error: unknown) =>
      parentPort?.postMessage({
        ok: false,
        reason:
          error instanceof ExtractionError
            ? error.message
            : `Could not read the file (${(error as Error)?.name ?? 'error'}).`,
      } satisfies ExtractResult),
  );
});
