import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { deleteBlobsUnder } from '../../shared/platform/blob.js';
import {
  ConflictError,
  type DomainError,
  ForbiddenError,
  GoneError,
  InvalidInputError,
  NotFoundError,
  RefusedByPartyError,
  WindowClosedError,
} from '../../shared/platform/domain-errors.js';
import { problemOf } from '../../shared/platform/problem.js';
import { CorruptDocumentError, MemoryTable, parseStored } from '../../shared/platform/repository.js';

describe('repository kit', () => {
  const schema = z.looseObject({ id: z.string(), tenantId: z.string(), n: z.number() });

  it('keeps Cosmos system fields and refuses a document that lost a field, naming the field not the value', () => {
    expect(parseStored(schema, 'things', { id: 'a', tenantId: 't', n: 1, _etag: 'e' })).toMatchObject({ _etag: 'e' });
    const error = (() => {
      try {
        parseStored(schema, 'things', { id: 'a', tenantId: 'secret@example.com' });
      } catch (e) {
        return e as CorruptDocumentError;
      }
    })();
    expect(error).toBeInstanceOf(CorruptDocumentError);
    expect(error?.message).toContain('n:');
    expect(error?.message).not.toContain('secret@example.com');
  });

  it('memory tables copy in and out and never cross partitions', () => {
    const table = new MemoryTable<{ id: string; n: number }>();
    const doc = { id: 'a', n: 1 };
    expect(table.create('t1', doc)).toBe(true);
    expect(table.create('t1', doc)).toBe(false);
    doc.n = 2;
    expect(table.get('t1', 'a')?.n).toBe(1);
    expect(table.get('t2', 'a')).toBeUndefined();
    table.put('t2', { id: 'b', n: 3 });
    expect(table.deleteWhere('t1')).toBe(1);
    expect(table.list('t2')).toEqual([{ id: 'b', n: 3 }]);
  });
});

describe('domain errors at the edge', () => {
  it('map to the problem statuses the API documents', () => {
    expect(problemOf(new NotFoundError('conversation'))).toMatchObject({ status: 404, kind: 'not-found' });
    expect(problemOf(new ConflictError('changed'))).toMatchObject({ status: 409, kind: 'conflict' });
    expect(problemOf(new WindowClosedError('closed'))).toMatchObject({ status: 422, kind: 'messaging-window-closed' });
    expect(problemOf(new GoneError('expired', { type: 'invitation-unusable', title: 'Unusable' }))).toMatchObject({
      status: 410,
      kind: 'invitation-unusable',
      title: 'Unusable',
      detail: 'expired',
    });
    expect(problemOf(new RefusedByPartyError('no', { type: 'token-rejected', title: 'Rejected' }))).toMatchObject({
      status: 422,
      kind: 'token-rejected',
    });
    expect(problemOf(new Error('boom'))).toBeUndefined();
  });

  it('give every kind a 4xx problem whose detail is the message, and never a 5xx', () => {
    const every: Record<DomainError['kind'], DomainError> = {
      'not-found': new NotFoundError('contact'),
      conflict: new ConflictError('c'),
      invalid: new InvalidInputError('i', [{ field: 'body.x', message: 'bad' }]),
      forbidden: new ForbiddenError('f'),
      'window-closed': new WindowClosedError('w'),
      gone: new GoneError('g', { type: 'gone-thing', title: 'Gone' }),
      refused: new RefusedByPartyError('r', { type: 'refused-thing', title: 'Refused' }),
    };
    for (const [kind, error] of Object.entries(every)) {
      const problem = problemOf(error);
      expect(error.kind, kind).toBe(kind);
      expect(problem?.status, kind).toBeGreaterThanOrEqual(400);
      expect(problem?.status, kind).toBeLessThan(500);
      expect(problem?.detail, kind).toBe(error.message);
    }
    expect(problemOf(every.invalid)?.errors).toEqual([{ field: 'body.x', message: 'bad' }]);
    expect(problemOf(every.forbidden)?.status).toBe(403);
  });
});

describe('deleteBlobsUnder', () => {
  it('deletes what is listed, keeps what the caller keeps, and treats an already-gone blob as deleted', async () => {
    const names = ['t/a', 't/b', 't/keep'];
    const deleted: string[] = [];
    const container = {
      async *listBlobsFlat() {
        for (const name of names) yield { name };
      },
      getBlobClient: (name: string) => ({
        deleteIfExists: async () => {
          deleted.push(name);
          return { succeeded: name !== 't/b' };
        },
      }),
    };
    const n = await deleteBlobsUnder(container as never, 't/', { keep: (name) => name === 't/keep' });
    expect(n).toBe(2);
    expect(deleted).toEqual(['t/a', 't/b']);
  });
});
