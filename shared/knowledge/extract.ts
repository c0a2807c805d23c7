import { convert } from 'html-to-text';
import mammoth from 'mammoth';
import { extractText, getDocumentProxy } from 'unpdf';
import { DOCUMENT_TYPES, type DocumentType, MAX_DOCUMENT_CHARS } from './schemas.js';

/** A document whose text could not be read (corrupt, encrypted, empty). */
export class ExtractionError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ExtractionError';
  }
}

/** Extracts plain text from an uploaded document with a well-kept library per type. */
export async function extractDocumentText(contentType: DocumentType, bytes: Buffer): Promise<string> {
  let text: string;
  try {
    switch (DOCUMENT_TYPES[contentType]) {
      case 'txt':
      case 'md':
        text = bytes.toString('utf8');
        break;
      case 'html':
        text = convert(bytes.toString('utf8'), { wordwrap: false, selectors: [{ selector: 'a', options: { ignoreHref: true } }, { selector: 'img', format: 'skip' }] });
        break;
      case 'pdf': {
        const pdf = await getDocumentProxy(new Uint8Array(bytes));
        const { text: pages } = await extractText(pdf, { mergePages: false });
        text = (pages as string[]).join('\n\n');
        break;
      }
      case 'docx':
        text = (await mammoth.extractRawText({ buffer: bytes })).value;
        break;
    }
  } catch (error) {
    throw new ExtractionError(`Could not read the ${DOCUMENT_TYPES[contentType]} file (${(error as Error).name}).`);
  }
  const cleaned = text.replace(/\r\n/g, '\n').replace(/[ \t]+/g, ' ').trim();
  if (!cleaned) throw new ExtractionError('The document has no text.');
  return cleaned.slice(0, MAX_DOCUMENT_CHARS);
}
