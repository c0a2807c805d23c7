import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ExtractJob, ExtractResult } from './extract-worker.js';
import { ExtractionError, type ExtractionLimits } from './extraction-limits.js';
import type { DocumentType } from './schemas.js';

/** The worker script: the compiled file in a build, the TypeScript source (through tsx) under the test runner. */
function workerScript(): { url: URL; execArgv: string[] } {
  const compiled = new URL('./extract-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return { url: compiled, execArgv: [] };
  return { url: new URL('./extract-worker.ts', import.meta.url), execArgv: ['--import', 'tsx'] };
}

/** Worker failures that are our fault, not the file's: the job retries and the failure is loud. */
const PLATFORM_FAILURES = new Set([
  'ERR_MODULE_NOT_FOUND',
  'ERR_WORKER_PATH',
  'ERR_WORKER_INIT_FAILED',
  'ERR_UNKNOWN_FILE_EXTENSION',
]);

/**
 * Reads documents in a worker thread with its own heap limit and a wall-clock deadline per
 * document, so a file that defeats every other check (a parser that loops, a structure that
 * explodes in memory) stops only that thread: the host, its other routes and the index job stay
 * healthy. Every way a document can end the thread is an ExtractionError, a permanent failure the
 * owner reads. One thread serves one index build, one document at a time; a thread that was
 * stopped is replaced for the next document.
 */
export class ExtractionSandbox {
  private worker: Worker | undefined;

  constructor(private readonly limits: ExtractionLimits) {}

  private start(): Worker {
    const { url, execArgv } = workerScript();
    const heap = this.limits.maxHeapMb;
    this.worker = new Worker(url, {
      workerData: this.limits,
      execArgv,
      resourceLimits: {
        maxOldGenerationSizeMb: heap,
        maxYoungGenerationSizeMb: Math.min(64, Math.max(8, Math.floor(heap / 8))),
      },
    });
    this.worker.unref();
    return this.worker;
  }

  /** Extracts one document's text, or rejects with an ExtractionError saying why it could not be read. */
  extract(contentType: DocumentType, bytes: Buffer): Promise<string> {
    const worker = this.worker ?? this.start();
    const copy = new Uint8Array(bytes);
    return new Promise<string>((resolve, reject) => {
      let settled = false;
      const finish = (stop: boolean, outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (stop) {
          if (this.worker === worker) this.worker = undefined;
          void worker.terminate();
        }
        outcome();
      };
      const onMessage = (result: ExtractResult) =>
        finish(false, () => (result.ok ? resolve(result.text) : reject(new ExtractionError(result.reason))));
      const onError = (error: NodeJS.ErrnoException) =>
        finish(true, () => {
          if (error.code === 'ERR_WORKER_OUT_OF_MEMORY')
            reject(
              new ExtractionError(
                'Reading the document needed more memory than we allow for one file. Split it into smaller files or save it as plain text.',
              ),
            );
          else if (PLATFORM_FAILURES.has(error.code ?? '')) reject(error);
          else reject(new ExtractionError(`Could not read the file (${error.name}).`));
        });
      const onExit = () =>
        finish(true, () => reject(new ExtractionError('Could not read the file (the reader stopped).')));
      const timer = setTimeout(
        () =>
          finish(true, () =>
            reject(
              new ExtractionError(
                `Reading the document took longer than ${Math.ceil(this.limits.timeoutMs / 1000)} seconds, the most we allow. Split it into smaller files or save it as plain text.`,
              ),
            ),
          ),
        this.limits.timeoutMs,
      );
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage({ contentType, bytes: copy } satisfies ExtractJob, [copy.buffer]);
    });
  }

  /** Stops the thread. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}

/** Reads one document in its own sandbox (see ExtractionSandbox). */
export async function extractInSandbox(
  contentType: DocumentType,
  bytes: Buffer,
  limits: ExtractionLimits,
): Promise<string> {
  const sandbox = new ExtractionSandbox(limits);
  try {
    return await sandbox.extract(contentType, bytes);
  } finally {
    await sandbox.close();
  }
}
