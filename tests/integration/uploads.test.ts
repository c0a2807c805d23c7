import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import { documentTypeOf } from '../../shared/knowledge/multipart-upload.js';
import { api } from '../helpers/api.js';
import { startTestHost } from '../helpers/host.js';
import { makeTenant } from '../helpers/tenants.js';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;

describe('knowledge documents as a browser uploads them', () => {
  let host: LocalHost;
  let t: Tenant;
  let other: Tenant;

  beforeAll(async () => {
    host = await startTestHost();
    t = await makeTenant(host);
    other = await makeTenant(host);
  });
  afterAll(async () => {
    await host?.stop();
  });

  const upload = (token: string, form: FormData) =>
    fetch(`${host.url}/api/v1/knowledge/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });

  it('accepts multipart/form-data, then lets owners download the original and read the extracted text', async () => {
    const text = '# Prices\n\nBalayage costs 450 lei. Book on Instagram.\n';
    const form = new FormData();
    // A browser often sends .md files with a generic type; the extension decides then.
    form.append('file', new Blob([text], { type: 'application/octet-stream' }), 'prețuri.md');
    const res = await upload(t.owner, form);
    expect(res.status).toBe(202);
    const entry = (await res.json()) as { id: string; data: { fileName: string; contentType: string; size: number } };
    expect(entry.data).toMatchObject({
      fileName: 'prețuri.md',
      contentType: 'text/markdown',
      size: Buffer.byteLength(text),
    });
    await host.broker.whenIdle();

    const original = await fetch(`${host.url}/api/v1/knowledge/documents/${entry.id}/original`, {
      headers: { authorization: `Bearer ${t.owner}` },
    });
    expect(original.status).toBe(200);
    expect(original.headers.get('content-type')).toBe('text/markdown');
    expect(original.headers.get('content-disposition')).toContain("filename*=UTF-8''pre%C8%9Buri.md");
    expect(await original.text()).toBe(text);
    const extracted = await api(host, t.owner, 'GET', `/api/v1/knowledge/documents/${entry.id}/text`);
    expect(extracted.status).toBe(200);
    expect(extracted.body.text).toContain('Balayage costs 450 lei.');
    // Another tenant sees nothing; an agent may not read documents.
    expect((await api(host, other.owner, 'GET', `/api/v1/knowledge/documents/${entry.id}/text`)).status).toBe(404);
    expect(
      (
        await fetch(`${host.url}/api/v1/knowledge/documents/${entry.id}/original`, {
          headers: { authorization: `Bearer ${other.owner}` },
        })
      ).status,
    ).toBe(404);
    expect((await api(host, t.agent, 'GET', `/api/v1/knowledge/documents/${entry.id}/text`)).status).toBe(403);
  });

  it('still accepts a raw body with ?fileName=, and answers bad uploads with a 4xx that says why', async () => {
    const raw = await api(host, t.owner, 'POST', '/api/v1/knowledge/documents?fileName=faq.txt', {
      raw: 'Open Monday to Saturday.',
      headers: { 'content-type': 'text/plain' },
    });
    expect(raw.status).toBe(202);
    const noName = await api(host, t.owner, 'POST', '/api/v1/knowledge/documents', {
      raw: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(noName.status).toBe(400);
    const none = new FormData();
    none.append('note', 'no file here');
    const missing = await upload(t.owner, none);
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { errors: Array<{ field: string }> }).errors[0]?.field).toBe('file');
    const exe = new FormData();
    exe.append('file', new Blob(['MZ'], { type: 'application/x-msdownload' }), 'tool.exe');
    expect((await upload(t.owner, exe)).status).toBe(415);
    const broken = await fetch(`${host.url}/api/v1/knowledge/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.owner}`, 'content-type': 'multipart/form-data' },
      body: 'not multipart',
    });
    expect(broken.status).toBe(400);
    expect(broken.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('documents both request body forms in OpenAPI', async () => {
    const doc = (await (await fetch(`${host.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
    };
    const content = doc.paths['/api/v1/knowledge/documents']?.post?.requestBody?.content ?? {};
    expect(Object.keys(content)).toEqual(
      expect.arrayContaining(['multipart/form-data', 'application/pdf', 'text/plain']),
    );
  });

  it('pure rule: a generic type falls back to the extension, a specific wrong one does not', () => {
    expect(documentTypeOf('', 'notes.MD')).toBe('text/markdown');
    expect(documentTypeOf('application/octet-stream', 'a.docx')).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(documentTypeOf('image/png', 'a.pdf')).toBeUndefined();
    expect(documentTypeOf('application/pdf; charset=binary')).toBe('application/pdf');
  });
});
