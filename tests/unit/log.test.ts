import { afterEach, describe, expect, it } from 'vitest';
import { configureLog, log, redact, withLogContext } from '../../shared/platform/log.js';

describe('logger', () => {
  const lines: string[] = [];
  afterEach(() => {
    lines.length = 0;
    configureLog({ level: 'error', sink: () => {} });
  });

  it('redacts personal data by key name, at any depth', () => {
    const out = redact({
      tenantId: 't1',
      message: { text: 'Hi, I am Ana', mid: 'm1' },
      profile: { name: 'Ana', email: 'a@b.ro' },
      count: 3,
    });
    expect(out).toEqual({
      tenantId: 't1',
      message: '[redacted]',
      profile: { name: '[redacted]', email: '[redacted]' },
      count: 3,
    });
  });

  it('keeps counts under count keys and redacts anything else there (outside audit m7)', () => {
    expect(
      redact({
        counts: { messages: 12, attachments: 3, contacts: 1 },
        messages: [{ text: 'Hi' }],
        attachments: 'https://cdn.example/ana.jpg',
        phone: 40721555666,
        number: 4111111111111111,
      }),
    ).toEqual({
      counts: { messages: 12, attachments: 3, contacts: 1 },
      messages: '[redacted]',
      attachments: '[redacted]',
      phone: '[redacted]',
      number: '[redacted]',
    });
  });

  it('writes JSON lines carrying the correlation id of the unit of work', async () => {
    configureLog({ level: 'info', sink: (line) => lines.push(line) });
    await withLogContext({ correlationId: 'corr-1' }, async () => {
      await Promise.resolve();
      log.info('webhook.accepted', { events: 2, text: 'secret words' });
    });
    const [line] = lines.map((l) => JSON.parse(l));
    expect(line).toMatchObject({
      level: 'info',
      event: 'webhook.accepted',
      correlationId: 'corr-1',
      events: 2,
      text: '[redacted]',
    });
    expect(lines[0]).not.toContain('secret words');
  });

  it('strips e-mail addresses and tokens from error messages', () => {
    const out = redact({ error: new Error('failed for ana@example.com with EAAB123abc') }) as {
      error: { detail: string };
    };
    expect(out.error.detail).toBe('failed for [email] with [secret]');
  });

  it('drops lines below the configured level', () => {
    configureLog({ level: 'warn', sink: (line) => lines.push(line) });
    log.info('quiet');
    log.warn('loud');
    expect(lines).toHaveLength(1);
  });
});
