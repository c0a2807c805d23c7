import busboy from 'busboy';
import { problems } from '../platform/problem.js';
import { DOCUMENT_TYPES, type DocumentType } from './schemas.js';

/** A document as the browser sent it. */
export interface Upload {
  fileName?: string;
  contentType: string;
  bytes: Buffer;
}

const BY_EXTENSION: Record<string, DocumentType> = Object.fromEntries(
  Object.entries(DOCUMENT_TYPES).flatMap(([type, ext]) =>
    ext === 'html'
      ? [
          [ext, type],
          ['htm', type],
        ]
      : [[ext, type]],
  ),
) as Record<string, DocumentType>;

/**
 * Pure: the document type of an upload. Browsers often send a generic type (or none) for .md and
 * .docx files, so a generic type falls back to the file name's extension.
 */
export function documentTypeOf(contentType: string, fileName?: string): DocumentType | undefined {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type in DOCUMENT_TYPES) return type as DocumentType;
  if (type && type !== 'application/octet-stream') return undefined;
  const ext = /\.([a-z0-9]+)$/i.exec(fileName ?? '')?.[1]?.toLowerCase();
  return ext ? BY_EXTENSION[ext] : undefined;
}

/**
 * Reads one file from a multipart/form-data body (field `file`, as an HTML form or FormData sends
 * it), with busboy. Anything but exactly one file within the limit is a 4xx that says what was wrong.
 */
export function readMultipart(body: Buffer, contentType: string, maxBytes: number): Promise<Upload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        defParamCharset: 'utf8',
        limits: { files: 2, fileSize: maxBytes, fields: 10, fieldSize: 1024 },
      });
    } catch {
      reject(
        problems.badRequest('The multipart body has no boundary.', [
          { field: 'header.content-type', message: 'missing boundary' },
        ]),
      );
      return;
    }
    const files: Upload[] = [];
    let tooLarge = false;
    let fileName: string | undefined;
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => {
        tooLarge = true;
      });
      stream.on('close', () => {
        if (field === 'file')
          files.push({ fileName: info.filename, contentType: info.mimeType, bytes: Buffer.concat(chunks) });
      });
    });
    parser.on('field', (name, value) => {
      if (name === 'fileName') fileName = value;
    });
    parser.on('error', () =>
      reject(
        problems.badRequest('The multipart body could not be read.', [
          { field: '(body)', message: 'malformed multipart/form-data' },
        ]),
      ),
    );
    parser.on('close', () => {
      if (tooLarge) return reject(problems.tooLarge(maxBytes));
      if (files.length !== 1)
        return reject(
          problems.badRequest('Send exactly one file, in the form field "file".', [
            { field: 'file', message: files.length ? 'more than one file' : 'missing' },
          ]),
        );
      const file = files[0] as Upload;
      resolve({ ...file, fileName: fileName ?? file.fileName });
    });
    parser.end(body);
  });
}
