import { describe, expect, it } from 'vitest';
import { compileRoute } from '../../local/routes.js';

describe('route templates', () => {
  it('matches literals case-insensitively and captures parameters', () => {
    const route = compileRoute('meta/data-deletion/{confirmationCode}');
    expect(route.match('Meta/Data-Deletion/abc%20def')).toEqual({ confirmationCode: 'abc def' });
    expect(route.match('meta/data-deletion')).toBeUndefined();
    expect(route.match('meta/data-deletion/a/b')).toBeUndefined();
  });

  it('supports optional, constrained and catch-all parameters', () => {
    expect(compileRoute('items/{id?}').match('items')).toEqual({});
    expect(compileRoute('items/{id:guid}').match('items/x')).toEqual({ id: 'x' });
    expect(compileRoute('files/{*path}').match('files/a/b/c')).toEqual({ path: 'a/b/c' });
  });

  it('ranks a literal segment above a parameter', () => {
    const literal = compileRoute('v1/conversations/export');
    const param = compileRoute('v1/conversations/{id}');
    expect(literal.specificity).toBeGreaterThan(param.specificity);
  });
});
