import { crc32, createDeflate, createDeflateRaw, deflateRawSync } from 'node:zlib';

/** One zip entry: its bytes (deflated here), or a stream already deflated with the sizes it will declare. */
export type ZipPart = { name: string; data: Buffer } | { name: string; deflated: Buffer; size: number; crc: number };

/**
 * Writes a zip archive by hand (local headers, central directory, end record), so a test can make
 * archives no well-behaved writer would: huge ratios, and sizes that lie.
 */
export function zipArchive(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const body = 'data' in part ? deflateRawSync(part.data) : part.deflated;
    const size = 'data' in part ? part.data.length : part.size;
    const crc = 'data' in part ? crc32(part.data) : part.crc;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/**
 * Deflates `prefix`, then `chunk` repeated to at least `total` bytes, then `suffix`, streaming, so the test
 * never holds the inflated bytes. `raw` gives a zip entry's raw deflate, else a zlib stream (PDF).
 */
export async function deflateRepeated(
  chunk: Buffer,
  total: number,
  options: { raw?: boolean; prefix?: Buffer; suffix?: Buffer } = {},
): Promise<{ deflated: Buffer; size: number; crc: number }> {
  const stream = (options.raw ?? true) ? createDeflateRaw({ level: 9 }) : createDeflate({ level: 9 });
  const out: Buffer[] = [];
  stream.on('data', (b: Buffer) => out.push(b));
  const done = new Promise((resolve, reject) => stream.on('end', resolve).on('error', reject));
  let crc = 0;
  let size = 0;
  const write = async (piece: Buffer) => {
    crc = crc32(piece, crc);
    size += piece.length;
    if (!stream.write(piece)) await new Promise((resolve) => stream.once('drain', resolve));
  };
  if (options.prefix) await write(options.prefix);
  // Whole chunks only, so the XML stays well formed; the size is `total` rounded up to a chunk.
  for (let written = 0; written < total; written += chunk.length) await write(chunk);
  if (options.suffix) await write(options.suffix);
  stream.end();
  await done;
  return { deflated: Buffer.concat(out), size, crc };
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';

/** The package parts of a DOCX around a given word/document.xml. */
export function docxParts(document: ZipPart): ZipPart[] {
  return [
    { name: '[Content_Types].xml', data: Buffer.from(CONTENT_TYPES) },
    { name: '_rels/.rels', data: Buffer.from(RELS) },
    document,
  ];
}

const PARAGRAPH = Buffer.from('<w:p><w:r><w:t>Balayage from 450 RON. </w:t></w:r></w:p>'.repeat(1000));
const DOCUMENT_OPEN = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>',
);
const DOCUMENT_CLOSE = Buffer.from('</w:body></w:document>');

/**
 * A DOCX whose word/document.xml inflates to about `inflatedBytes` of paragraphs (the sample in
 * issue 12: 150 MB from 458 KB). `declare` makes the archive lie about that size.
 */
export async function docxBomb(inflatedBytes: number, declare?: (real: number) => number): Promise<Buffer> {
  const body = await deflateRepeated(PARAGRAPH, inflatedBytes, { prefix: DOCUMENT_OPEN, suffix: DOCUMENT_CLOSE });
  return zipArchive(
    docxParts({
      name: 'word/document.xml',
      deflated: body.deflated,
      size: declare ? declare(body.size) : body.size,
      crc: body.crc,
    }),
  );
}

/** A PDF by hand: one page whose content streams are given (already encoded) with their filter names. */
export function pdfWithStreams(streams: Array<{ data: Buffer; filter: string }>): Buffer {
  const objects: Buffer[] = [];
  const contentRefs = streams.map((_, i) => `${4 + i} 0 R`).join(' ');
  objects.push(Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'));
  objects.push(Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'));
  objects.push(Buffer.from(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents [${contentRefs}] >>`));
  for (const s of streams)
    objects.push(
      Buffer.concat([
        Buffer.from(`<< /Length ${s.data.length} /Filter ${s.filter} >>\nstream\n`),
        s.data,
        Buffer.from('\nendstream'),
      ]),
    );
  const chunks: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = chunks[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(length);
    const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
    chunks.push(obj);
    length += obj.length;
  });
  const xref = [
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`,
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`),
  ].join('');
  chunks.push(
    Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`),
  );
  return Buffer.concat(chunks);
}

/** PDF content that draws nothing but weighs a lot once inflated: a comment line repeated. */
export const PDF_FILLER = Buffer.from(`% ${'x'.repeat(1021)}\n`);
