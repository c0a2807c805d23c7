import { ExtractionError, type ExtractionLimits } from './extraction-limits.js';
import { checkPdfStreams } from './pdf-check.js';
import { DOCUMENT_TYPES, type DocumentType } from './schemas.js';
import { checkZipArchive } from './zip-check.js';

export { ExtractionError } from './extraction-limits.js';

/** The reason shown when a document has more text than one document may carry. */
function tooManyChars(limits: ExtractionLimits): ExtractionError {
  return new ExtractionError(
    `The document has more than ${limits.maxChars.toLocaleString('en-US')} characters of text, the most one document may have. Split it into smaller files.`,
  );
}

/**
 * Reads a PDF page by page, refusing too many pages before reading any and stopping as soon as the text is too long.
 */
async function pdfText(bytes: Buffer, limits: ExtractionLimits): Promise<string> {
  checkPdfStreams(bytes, limits);
  const { getDocumentProxy } = await import('unpdf');
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  try {
    if (pdf.numPages > limits.maxPages)
      throw new ExtractionError(
        `The pdf file has ${pdf.numPages} pages; we read at most ${limits.maxPages} from one document. Split it into smaller files.`,
      );
    const pages: string[] = [];
    let chars = 0;
    for (let n = 1; n <= pdf.numPages; n++) {
      const content = await (await pdf.getPage(n)).getTextContent();
      const text = content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('');
      chars += text.length;
      if (chars > limits.maxChars * 2) throw tooManyChars(limits);
      pages.push(text);
    }
    return pages.join('\n\n');
  } finally {
    await pdf.destroy();
  }
}

/**
 * Extracts plain text from an uploaded document with a well-kept library per type, inside hard
 * limits: unpacked bytes (checked before any library inflates), pages and characters. Time and
 * heap are bounded by the worker thread that runs this (extract-sandbox.ts).
 */
export async function extractDocumentText(
  contentType: DocumentType,
  bytes: Buffer,
  limits: ExtractionLimits,
): Promise<string> {
  let text: string;
  const kind = DOCUMENT_TYPES[contentType];
  try {
    switch (kind) {
      case 'txt':
      case 'md':
        text = bytes.toString('utf8');
        break;
      case 'html':
        // Libraries load on first use, so a worker reading text files starts quickly.
        // Depth is capped so a deeply nested page cannot exhaust the stack.
        text = (await import('html-to-text')).convert(bytes.toString('utf8'), {
          wordwrap: false,
          limits: { maxDepth: 256, maxInputLength: undefined },
          selectors: [
            { selector: 'a', options: { ignoreHref: true } },
            { selector: 'img', format: 'skip' },
          ],
        });
        break;
      case 'pdf':
        text = await pdfText(bytes, limits);
        break;
      case 'docx':
        checkZipArchive(bytes, limits);
        text = (await (await import('mammoth')).default.extractRawText({ buffer: bytes })).value;
        break;
    }
  } catch (error) {
    if (error instanceof ExtractionError) throw error;
    throw new ExtractionError(`Could not read the ${kind} file (${(error as Error).name}).`);
  }
  const cleaned = text
    .replace(/\r\n/g, '\n')
    .replace(/[ \t]+/g, ' ')
    .trim();
  if (!cleaned) throw new ExtractionError('The document has no text.');
  if (cleaned.length > limits.maxChars) throw tooManyChars(limits);
  return cleaned;
}
