import { deflateSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import { QUEUES } from '../../shared/platform/queues.js';
import { api } from '../helpers/api.js';
import { deflateRepeated, docxBomb, PDF_FILLER, pdfWithStreams } from '../helpers/bombs.js';
import { startTestHost } from '../helpers/host.js';
import { makeTenant } from '../helpers/tenants.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const MB = 1024 * 1024;
/** Lower than the defaults so the text bombs stay small; the unpack limit keeps its default (48 MB). */
const MAX_CHARS = 50_000;
const MAX_PAGES = 20;
/** Making and reading bombs is slow on a busy machine; no timing is asserted. */
const SLOW = 180_000;

type Upload = [contentType: string, fileName: string, bytes: Buffer, reason: RegExp];

describe('issue 12 defect 1: decompression and size bombs in every document format', () => {
  let host: LocalHost;
  beforeAll(async () => {
    host = await startTestHost({
      values: { KB_MAX_DOCUMENT_CHARS: String(MAX_CHARS), KB_MAX_PDF_PAGES: String(MAX_PAGES) },
    });
  });
  afterAll(async () => host?.stop());

  /**
   * Uploads the bombs through the API, then proves: each ends `failed` with the reason the owner
   * reads, the host still answers health and other routes, the index job finished (no retries into
   * a dead letter), and a good document uploaded afterwards is read normally.
   */
  async function expectAllFail(uploads: Upload[]): Promise<void> {
    const t = await makeTenant(host);
    for (const [type, name, bytes] of uploads) {
      const res = await api(host, t.owner, 'POST', `/api/v1/knowledge/documents?fileName=${name}`, {
        raw: bytes,
        headers: { 'content-type': type },
      });
      expect(res.status, name).toBe(202);
    }
    await host.broker.whenIdle();
    expect((await fetch(`${host.url}/api/health`)).status).toBe(200);
    const docs = (await api(host, t.owner, 'GET', '/api/v1/knowledge/documents')).body.items as Array<{
      data: { fileName: string; status: string; error?: string };
    }>;
    for (const [, name, , reason] of uploads) {
      const doc = docs.find((d) => d.data.fileName === name);
      expect(doc?.data.status, name).toBe('failed');
      expect(doc?.data.error, name).toMatch(reason);
    }
    expect(host.broker.deadLetters(QUEUES.knowledgeIndex.name)).toHaveLength(0);
    const status = (await api(host, t.owner, 'GET', '/api/v1/knowledge/status')).body;
    expect(status.status).toBe('ready');
    expect(status.builtVersion).toBe(status.version);
    await api(host, t.owner, 'POST', '/api/v1/knowledge/documents?fileName=after.txt', {
      raw: Buffer.from('Gift cards are sold at the reception.'),
      headers: { 'content-type': 'text/plain' },
    });
    await host.broker.whenIdle();
    const after = (await api(host, t.owner, 'GET', '/api/v1/knowledge/documents')).body.items.find(
      (d: { data: { fileName: string } }) => d.data.fileName === 'after.txt',
    );
    expect(after.data.status).toBe('ready');
  }

  it(
    'DOCX: the 458 KB zip that inflates to 150 MB, a zip that lies about its sizes, and one that is no zip',
    async () => {
      const bomb = await docxBomb(150 * MB);
      expect(bomb.length).toBeLessThan(600 * 1024);
      const liar = await docxBomb(60 * MB, () => 4096);
      await expectAllFail([
        [DOCX, 'menu.docx', bomb, /unpacks to more than 48 MB/],
        [DOCX, 'liar.docx', liar, /unpacks to more than 48 MB/],
        [DOCX, 'not-a-zip.docx', Buffer.from('PK\x03\x04 but nothing else'), /Could not read the docx file/],
      ]);
    },
    SLOW,
  );

  it(
    'PDF: a FlateDecode stream that inflates to 64 MB, a chained FlateDecode bomb, and too many pages',
    async () => {
      const inflated = await deflateRepeated(PDF_FILLER, 64 * MB, { raw: false });
      const pages = await PDFDocument.create();
      for (let i = 0; i < MAX_PAGES + 5; i++) pages.addPage();
      await expectAllFail([
        [
          'application/pdf',
          'flate.pdf',
          pdfWithStreams([{ data: inflated.deflated, filter: '/FlateDecode' }]),
          /unpacks to more than 48 MB/,
        ],
        [
          'application/pdf',
          'chained.pdf',
          pdfWithStreams([{ data: deflateSync(inflated.deflated), filter: '[/FlateDecode /FlateDecode]' }]),
          /unpacks to more than 48 MB/,
        ],
        [
          'application/pdf',
          'pages.pdf',
          Buffer.from(await pages.save()),
          new RegExp(`${MAX_PAGES + 5} pages; we read at most ${MAX_PAGES}`),
        ],
        [
          'application/pdf',
          'lzw.pdf',
          pdfWithStreams([{ data: Buffer.from([0x80, 0x0b, 0x60, 0x50]), filter: '/LZWDecode' }]),
          /LZW compression/,
        ],
      ]);
    },
    SLOW,
  );

  it(
    'HTML, Markdown and text: more characters than one document may carry',
    async () => {
      const words = 'Balayage costs 450 RON and takes three hours. '.repeat(2000);
      await expectAllFail([
        [
          'text/html',
          'big.html',
          Buffer.from(`<html><body>${`<p>${words}</p>`.repeat(2)}</body></html>`),
          /more than 50,000 characters/,
        ],
        ['text/markdown', 'big.md', Buffer.from(`# Prices\n\n${words}`), /more than 50,000 characters/],
        ['text/plain', 'big.txt', Buffer.from(words), /more than 50,000 characters/],
      ]);
    },
    SLOW,
  );

  it(
    'HTML nested 50,000 levels deep is read to its depth limit without exhausting the stack',
    async () => {
      const t = await makeTenant(host);
      const html = `<html><body><p>Open Monday to Saturday.</p>${'<div>'.repeat(50_000)}deep${'</div>'.repeat(50_000)}</body></html>`;
      await api(host, t.owner, 'POST', '/api/v1/knowledge/documents?fileName=deep.html', {
        raw: Buffer.from(html),
        headers: { 'content-type': 'text/html' },
      });
      await host.broker.whenIdle();
      expect((await fetch(`${host.url}/api/health`)).status).toBe(200);
      const [doc] = (await api(host, t.owner, 'GET', '/api/v1/knowledge/documents')).body.items;
      expect(doc.data).toMatchObject({ status: 'ready' });
      expect(host.broker.deadLetters(QUEUES.knowledgeIndex.name)).toHaveLength(0);
    },
    SLOW,
  );
});
