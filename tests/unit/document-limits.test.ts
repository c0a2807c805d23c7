import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ExtractionSandbox, extractInSandbox } from '../../shared/knowledge/extract-sandbox.js';
import { ExtractionError, type ExtractionLimits } from '../../shared/knowledge/extraction-limits.js';
import { checkPdfStreams } from '../../shared/knowledge/pdf-check.js';
import { checkZipArchive } from '../../shared/knowledge/zip-check.js';
import { deflateRepeated, docxBomb, docxParts, PDF_FILLER, pdfWithStreams, zipArchive } from '../helpers/bombs.js';

const MB = 1024 * 1024;
const limits: ExtractionLimits = {
  maxInflatedBytes: 4 * MB,
  maxChars: 10_000,
  maxPages: 5,
  timeoutMs: 30_000,
  maxHeapMb: 256,
};
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function reasonOf(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ExtractionError);
    return (error as Error).message;
  }
  return 'accepted';
}

describe('zip check before any library inflates a DOCX', () => {
  it('accepts an honest archive under the limit', async () => {
    expect(
      reasonOf(() =>
        checkZipArchive(
          zipArchive(docxParts({ name: 'word/document.xml', data: Buffer.from('<w:document/>') })),
          limits,
        ),
      ),
    ).toBe('accepted');
    const underLimit = await docxBomb(MB);
    expect(reasonOf(() => checkZipArchive(underLimit, limits))).toBe('accepted');
  });

  it('refuses, by class: declared sizes over the limit, sizes that lie (bigger or empty), many parts adding up', async () => {
    const honestBomb = await docxBomb(5 * MB);
    const lyingSmall = await docxBomb(5 * MB, () => 1000);
    const lyingEmpty = await docxBomb(64 * 1024, () => 0);
    const lyingHuge = await docxBomb(64 * 1024, () => 0xfffffffe);
    const many = zipArchive(
      Array.from({ length: 6 }, (_, i) => ({ name: `word/part${i}.xml`, data: Buffer.alloc(MB, 32) })),
    );
    for (const zip of [honestBomb, lyingSmall, lyingEmpty, lyingHuge, many])
      expect(reasonOf(() => checkZipArchive(zip, limits))).toMatch(/unpacks to more than 4 MB/);
  });

  it('refuses damaged archives as unreadable, not as an error that is retried', async () => {
    const good = zipArchive(docxParts({ name: 'word/document.xml', data: Buffer.from('<w:document/>') }));
    const truncated = good.subarray(0, good.length - 30);
    const badMethod = Buffer.from(good);
    badMethod.writeUInt16LE(12, badMethod.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 10);
    const zip64 = Buffer.from(good);
    zip64.writeUInt16LE(0xffff, zip64.length - 22 + 10);
    for (const zip of [Buffer.alloc(0), Buffer.from('hello'), truncated, badMethod, zip64])
      expect(reasonOf(() => checkZipArchive(zip, limits))).toMatch(/Could not read the docx file/);
  });
});

describe('PDF stream check before the PDF library decodes', () => {
  it('accepts ordinary compressed content and refuses flate bombs, chained or split across streams', async () => {
    const text = deflateSync(Buffer.from('BT /F1 12 Tf 40 700 Td (Open Monday to Saturday) Tj ET'));
    expect(reasonOf(() => checkPdfStreams(pdfWithStreams([{ data: text, filter: '/FlateDecode' }]), limits))).toBe(
      'accepted',
    );
    const five = await deflateRepeated(PDF_FILLER, 5 * MB, { raw: false });
    const three = await deflateRepeated(PDF_FILLER, 3 * MB, { raw: false });
    const bombs = [
      pdfWithStreams([{ data: five.deflated, filter: '/FlateDecode' }]),
      pdfWithStreams([{ data: deflateSync(five.deflated), filter: '[/FlateDecode /FlateDecode]' }]),
      pdfWithStreams([
        { data: three.deflated, filter: '/FlateDecode' },
        { data: three.deflated, filter: '/FlateDecode' },
      ]),
    ];
    for (const pdf of bombs)
      expect(reasonOf(() => checkPdfStreams(pdf, limits))).toMatch(/pdf file unpacks to more than 4 MB/);
    expect(
      reasonOf(() =>
        checkPdfStreams(pdfWithStreams([{ data: Buffer.from([0x80, 0x0b]), filter: '/LZWDecode' }]), limits),
      ),
    ).toMatch(/LZW/);
  });
});

describe('the extraction sandbox (a worker thread with a heap limit and a deadline)', () => {
  it('reads a document, and turns a deadline or the heap limit into a reason the owner reads', async () => {
    const docx = await docxBomb(64 * 1024);
    await expect(extractInSandbox(DOCX, docx, { ...limits, maxChars: MB })).resolves.toMatch(
      /^Balayage from 450 RON\./,
    );
    await expect(extractInSandbox(DOCX, docx, { ...limits, timeoutMs: 1 })).rejects.toThrow(
      /took longer than 1 seconds/,
    );
    await expect(extractInSandbox(DOCX, docx, { ...limits, maxHeapMb: 4 })).rejects.toThrow(
      /more memory than we allow/,
    );
  }, 120_000);

  it('reads the next document after one was refused', async () => {
    const sandbox = new ExtractionSandbox({ ...limits, timeoutMs: 20_000 });
    try {
      await expect(sandbox.extract('text/plain', Buffer.from('x'.repeat(limits.maxChars + 1)))).rejects.toThrow(
        /more than 10,000 characters/,
      );
      await expect(sandbox.extract('text/plain', Buffer.from('Open Monday to Saturday.'))).resolves.toBe(
        'Open Monday to Saturday.',
      );
    } finally {
      await sandbox.close();
    }
  }, 120_000);
});
