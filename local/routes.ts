/**
 * Azure Functions route templates (`conversations/{id}`, `files/{*path}`, `items/{id?}`,
 * `{id:guid}`), matched the way the host matches them: literal segments beat parameters.
 */
export interface CompiledRoute {
  template: string;
  match(path: string): Record<string, string> | undefined;
  /** Higher is more specific. */
  specificity: number;
}

interface Segment {
  literal?: string;
  param?: string;
  optional?: boolean;
  catchAll?: boolean;
}

function parseSegment(raw: string): Segment {
  const m = /^\{(\*)?([A-Za-z_][\w]*)(?::[^}?]+)?(\?)?\}$/.exec(raw);
  if (!m) return { literal: raw.toLowerCase() };
  return { param: m[2] as string, catchAll: Boolean(m[1]), optional: Boolean(m[3]) };
}

export function compileRoute(template: string): CompiledRoute {
  const segments = template.split('/').filter(Boolean).map(parseSegment);
  const specificity = segments.reduce((sum, s) => sum * 3 + (s.literal ? 2 : s.catchAll ? 0 : 1), 0) + segments.length;
  return {
    template,
    specificity,
    match(path: string) {
      try {
        return matchParts(path);
      } catch {
        // Malformed percent-encoding matches no route (the host answers 400 before it gets here).
        return undefined;
      }
    },
  };

  function matchParts(path: string): Record<string, string> | undefined {
    const parts = path.split('/').filter(Boolean);
    const params: Record<string, string> = {};
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i] as Segment;
      const part = parts[i];
      if (seg.catchAll) {
        params[seg.param as string] = parts.slice(i).map(decodeURIComponent).join('/');
        return params;
      }
      if (part === undefined) return seg.optional ? params : undefined;
      if (seg.literal !== undefined) {
        if (seg.literal !== part.toLowerCase()) return undefined;
      } else {
        params[seg.param as string] = decodeURIComponent(part);
      }
    }
    return parts.length === segments.length ? params : undefined;
  }
}
