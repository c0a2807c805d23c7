/**
 * A small, strict reader of Bicep files: it turns the declarations (targetScope, param, var,
 * resource, module, output) into a tree, with object and array literals as trees and every other
 * expression kept as its source text. No Bicep CLI installs here, so the infra tests read the
 * templates through this. Anything it does not understand is an error, not a silent skip.
 */

export type BicepValue =
  | { kind: 'string'; value: string; interpolated: boolean; text: string }
  | { kind: 'number'; value: number; text: string }
  | { kind: 'bool'; value: boolean; text: string }
  | { kind: 'null'; text: string }
  | { kind: 'object'; properties: Map<string, BicepValue>; text: string }
  | { kind: 'array'; items: BicepValue[]; text: string }
  | { kind: 'for'; variable: string; index?: string; source: string; body: BicepValue; text: string }
  | { kind: 'expr'; text: string };

export interface Decorator {
  name: string;
  args: BicepValue[];
}

export interface Declaration {
  keyword: 'param' | 'var' | 'resource' | 'module' | 'output' | 'targetScope' | 'type' | 'import' | 'metadata' | 'func';
  name: string;
  decorators: Decorator[];
  /** Resource: 'Microsoft.X/y@version'; module: the path; param/output: the declared type. */
  type?: string;
  existing?: boolean;
  /** `if (…)` condition of a resource or module. */
  condition?: string;
  value?: BicepValue;
}

export interface BicepFile {
  path: string;
  declarations: Declaration[];
}

interface Token {
  kind: 'ident' | 'string' | 'number' | 'punct' | 'newline' | 'eof';
  text: string;
  start: number;
  end: number;
  /** For strings: the decoded value with ${…} parts kept as written. */
  value?: string;
  interpolated?: boolean;
}

export class BicepSyntaxError extends Error {}

function tokenize(source: string, path: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (message: string) => {
    const line = source.slice(0, i).split('\n').length;
    throw new BicepSyntaxError(`${path}:${line}: ${message}`);
  };
  while (i < source.length) {
    const c = source[i] as string;
    if (c === '\n') {
      tokens.push({ kind: 'newline', text: '\n', start: i, end: i + 1 });
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (source.startsWith('//', i)) {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      if (end < 0) fail('unterminated comment');
      i = end + 2;
    } else if (source.startsWith("'''", i)) {
      const end = source.indexOf("'''", i + 3);
      if (end < 0) fail('unterminated multi-line string');
      tokens.push({
        kind: 'string',
        text: source.slice(i, end + 3),
        start: i,
        end: end + 3,
        value: source.slice(i + 3, end),
        interpolated: false,
      });
      i = end + 3;
    } else if (c === "'") {
      const start = i;
      let value = '';
      let interpolated = false;
      i++;
      for (;;) {
        if (i >= source.length || source[i] === '\n') fail('unterminated string');
        const ch = source[i] as string;
        if (ch === "'") break;
        if (ch === '\\') {
          const next = source[i + 1] ?? '';
          value += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next;
          i += 2;
          continue;
        }
        if (ch === '$' && source[i + 1] === '{') {
          interpolated = true;
          let depth = 0;
          const from = i;
          for (; i < source.length; i++) {
            if (source[i] === '{') depth++;
            else if (source[i] === '}' && --depth === 0) break;
            else if (source[i] === "'") {
              // a string inside an interpolation
              i++;
              while (i < source.length && source[i] !== "'") i++;
            }
          }
          value += source.slice(from, i + 1);
          i++;
          continue;
        }
        value += ch;
        i++;
      }
      i++;
      tokens.push({ kind: 'string', text: source.slice(start, i), start, end: i, value, interpolated });
    } else if (/[0-9]/.test(c)) {
      const start = i;
      while (/[0-9.]/.test(source[i] ?? '')) i++;
      tokens.push({ kind: 'number', text: source.slice(start, i), start, end: i });
    } else if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (/[A-Za-z0-9_]/.test(source[i] ?? '')) i++;
      tokens.push({ kind: 'ident', text: source.slice(start, i), start, end: i });
    } else {
      const two = source.slice(i, i + 2);
      const op = ['==', '!=', '<=', '>=', '&&', '||', '??', '=~', '!~', '.?', '::'].includes(two) ? two : c;
      if (!'{}[]()=:,.?!<>+-*/%@|&'.includes(op[0] as string)) fail(`unexpected character ${JSON.stringify(c)}`);
      tokens.push({ kind: 'punct', text: op, start: i, end: i + op.length });
      i += op.length;
    }
  }
  tokens.push({ kind: 'eof', text: '', start: source.length, end: source.length });
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
    private readonly path: string,
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[this.pos + offset] as Token;
  }

  private next(): Token {
    return this.tokens[this.pos++] as Token;
  }

  private fail(message: string, token = this.peek()): never {
    const line = this.source.slice(0, token.start).split('\n').length;
    throw new BicepSyntaxError(`${this.path}:${line}: ${message} (at ${JSON.stringify(token.text)})`);
  }

  private expect(text: string): Token {
    const t = this.next();
    if (t.text !== text) this.fail(`expected ${JSON.stringify(text)}`, t);
    return t;
  }

  private skipNewlines(): void {
    while (this.peek().kind === 'newline') this.pos++;
  }

  parseFile(): Declaration[] {
    const declarations: Declaration[] = [];
    let decorators: Decorator[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.kind === 'eof') break;
      if (t.text === '@') {
        this.next();
        const name = this.next().text;
        const args: BicepValue[] = [];
        if (this.peek().text === '(') {
          this.next();
          this.skipNewlines();
          while (this.peek().text !== ')') {
            args.push(this.parseExpression());
            this.skipNewlines();
            if (this.peek().text === ',') this.next();
            this.skipNewlines();
          }
          this.expect(')');
        }
        decorators.push({ name, args });
        continue;
      }
      declarations.push(this.parseDeclaration(decorators));
      decorators = [];
    }
    return declarations;
  }

  private parseDeclaration(decorators: Decorator[]): Declaration {
    const keyword = this.next();
    switch (keyword.text) {
      case 'targetScope': {
        this.expect('=');
        return { keyword: 'targetScope', name: 'targetScope', decorators, value: this.parseExpression() };
      }
      case 'param': {
        const name = this.next().text;
        const type = this.parseTypeText();
        const value = this.peek().text === '=' ? (this.next(), this.parseExpression()) : undefined;
        return { keyword: 'param', name, decorators, type, value };
      }
      case 'var': {
        const name = this.next().text;
        this.expect('=');
        return { keyword: 'var', name, decorators, value: this.parseExpression() };
      }
      case 'output': {
        const name = this.next().text;
        const type = this.parseTypeText();
        this.expect('=');
        return { keyword: 'output', name, decorators, type, value: this.parseExpression() };
      }
      case 'resource':
      case 'module': {
        const name = this.next().text;
        const typeToken = this.next();
        if (typeToken.kind !== 'string') this.fail(`${keyword.text} ${name} needs a quoted type`, typeToken);
        const existing = this.peek().text === 'existing' ? (this.next(), true) : false;
        this.expect('=');
        let condition: string | undefined;
        if (this.peek().text === 'if') {
          this.next();
          const open = this.expect('(');
          let depth = 1;
          while (depth > 0) {
            const t = this.next();
            if (t.kind === 'eof') this.fail('unterminated condition');
            if (t.text === '(') depth++;
            if (t.text === ')') depth--;
          }
          condition = this.source.slice(open.end, (this.tokens[this.pos - 1] as Token).start).trim();
        }
        const value = this.parseExpression();
        if (value.kind !== 'object' && value.kind !== 'for')
          this.fail(`${keyword.text} ${name} body must be an object or a for loop`);
        return { keyword: keyword.text, name, decorators, type: typeToken.value, existing, condition, value };
      }
      case 'type':
      case 'func':
      case 'import':
      case 'metadata': {
        // Rare here; kept as text to the end of the line.
        const start = keyword.start;
        while (this.peek().kind !== 'newline' && this.peek().kind !== 'eof') this.next();
        return { keyword: keyword.text, name: this.source.slice(start, this.peek().start), decorators };
      }
      default:
        return this.fail('expected a declaration', keyword);
    }
  }

  /** A declared type: a name, possibly with `[]`, `?` or a resource type string; kept as text. */
  private parseTypeText(): string {
    const start = this.peek().start;
    while (!['=', '\n'].includes(this.peek().text) && this.peek().kind !== 'eof') this.next();
    return this.source.slice(start, this.peek().start).trim();
  }

  parseExpression(): BicepValue {
    const start = this.peek().start;
    const first = this.parseBinary();
    if (this.peek().text === '?') {
      this.next();
      this.skipNewlines();
      this.parseExpression();
      this.skipNewlines();
      this.expect(':');
      this.skipNewlines();
      this.parseExpression();
      return { kind: 'expr', text: this.textFrom(start) };
    }
    return first;
  }

  private textFrom(start: number): string {
    return this.source.slice(start, (this.tokens[this.pos - 1] as Token).end).trim();
  }

  private parseBinary(): BicepValue {
    const start = this.peek().start;
    const left = this.parseUnary();
    let binary = false;
    while (
      ['==', '!=', '<=', '>=', '<', '>', '&&', '||', '??', '+', '-', '*', '/', '%', '=~', '!~'].includes(
        this.peek().text,
      )
    ) {
      binary = true;
      this.next();
      this.skipNewlines();
      this.parseUnary();
    }
    return binary ? { kind: 'expr', text: this.textFrom(start) } : left;
  }

  private parseUnary(): BicepValue {
    const start = this.peek().start;
    if (this.peek().text === '!' || this.peek().text === '-') {
      this.next();
      const operand = this.parseUnary();
      if (operand.kind === 'number' && this.source[start] === '-')
        return { kind: 'number', value: -operand.value, text: this.textFrom(start) };
      return { kind: 'expr', text: this.textFrom(start) };
    }
    return this.parsePostfix();
  }

  private parsePostfix(): BicepValue {
    const start = this.peek().start;
    let value = this.parsePrimary();
    for (;;) {
      const t = this.peek().text;
      if (t === '.' || t === '.?' || t === '::') {
        this.next();
        this.next();
      } else if (t === '[' && this.peek().start === (this.tokens[this.pos - 1] as Token).end) {
        this.next();
        this.skipNewlines();
        this.parseExpression();
        this.skipNewlines();
        this.expect(']');
      } else if (t === '(' && value.kind === 'expr') {
        this.parseArguments();
      } else if (t === '!' && this.peek().start === (this.tokens[this.pos - 1] as Token).end) {
        this.next();
      } else break;
      value = { kind: 'expr', text: this.textFrom(start) };
    }
    return value;
  }

  private parseArguments(): void {
    this.expect('(');
    this.skipNewlines();
    while (this.peek().text !== ')') {
      this.parseExpression();
      this.skipNewlines();
      if (this.peek().text === ',') this.next();
      this.skipNewlines();
    }
    this.expect(')');
  }

  private parsePrimary(): BicepValue {
    const t = this.peek();
    if (t.kind === 'string') {
      this.next();
      return { kind: 'string', value: t.value ?? '', interpolated: Boolean(t.interpolated), text: t.text };
    }
    if (t.kind === 'number') {
      this.next();
      return { kind: 'number', value: Number(t.text), text: t.text };
    }
    if (t.text === '{') return this.parseObject();
    if (t.text === '[') return this.parseArray();
    if (t.text === '(') {
      const start = t.start;
      this.next();
      this.skipNewlines();
      this.parseExpression();
      this.skipNewlines();
      this.expect(')');
      return { kind: 'expr', text: this.textFrom(start) };
    }
    if (t.kind === 'ident') {
      this.next();
      if (t.text === 'true' || t.text === 'false') return { kind: 'bool', value: t.text === 'true', text: t.text };
      if (t.text === 'null') return { kind: 'null', text: t.text };
      // A namespace-qualified call such as sys.concat(...) or az.resourceGroup().
      return { kind: 'expr', text: t.text };
    }
    return this.fail('expected a value');
  }

  private parseObject(): BicepValue {
    const open = this.expect('{');
    const properties = new Map<string, BicepValue>();
    this.skipNewlines();
    while (this.peek().text !== '}') {
      const key = this.next();
      if (key.kind !== 'ident' && key.kind !== 'string') this.fail('expected a property name', key);
      const name = key.kind === 'string' ? (key.value ?? '') : key.text;
      this.expect(':');
      this.skipNewlines();
      if (properties.has(name)) this.fail(`duplicate property ${name}`, key);
      properties.set(name, this.parseExpression());
      if (this.peek().text === ',') this.next();
      else if (this.peek().kind !== 'newline' && this.peek().text !== '}')
        this.fail('expected a new line, a comma or }');
      this.skipNewlines();
    }
    this.expect('}');
    return {
      kind: 'object',
      properties,
      text: this.source.slice(open.start, (this.tokens[this.pos - 1] as Token).end),
    };
  }

  private parseArray(): BicepValue {
    const open = this.expect('[');
    this.skipNewlines();
    if (this.peek().text === 'for') {
      this.next();
      let variable: string;
      let index: string | undefined;
      if (this.peek().text === '(') {
        this.next();
        variable = this.next().text;
        this.expect(',');
        index = this.next().text;
        this.expect(')');
      } else variable = this.next().text;
      this.expect('in');
      const sourceStart = this.peek().start;
      this.parseExpression();
      const source = this.textFrom(sourceStart);
      this.expect(':');
      this.skipNewlines();
      let body: BicepValue;
      if (this.peek().text === 'if') {
        this.next();
        this.parseExpression();
        body = this.parseExpression();
      } else body = this.parseExpression();
      this.skipNewlines();
      this.expect(']');
      return {
        kind: 'for',
        variable,
        index,
        source,
        body,
        text: this.source.slice(open.start, (this.tokens[this.pos - 1] as Token).end),
      };
    }
    const items: BicepValue[] = [];
    while (this.peek().text !== ']') {
      items.push(this.parseExpression());
      if (this.peek().text === ',') this.next();
      else if (this.peek().kind !== 'newline' && this.peek().text !== ']')
        this.fail('expected a new line, a comma or ]');
      this.skipNewlines();
    }
    this.expect(']');
    return { kind: 'array', items, text: this.source.slice(open.start, (this.tokens[this.pos - 1] as Token).end) };
  }
}

/** Reads one Bicep source into its declarations. Throws BicepSyntaxError on anything it cannot read. */
export function parseBicep(source: string, path = '<bicep>'): BicepFile {
  const parser = new Parser(tokenize(source, path), source, path);
  return { path, declarations: parser.parseFile() };
}

/** A property path inside an object value, e.g. get(v, 'properties', 'siteConfig', 'minTlsVersion'). */
export function get(value: BicepValue | undefined, ...path: string[]): BicepValue | undefined {
  let current = value;
  for (const key of path) {
    if (current?.kind === 'for') current = current.body;
    if (current?.kind !== 'object') return undefined;
    current = current.properties.get(key);
  }
  return current;
}

/** The literal value of a string, number, bool or null; undefined for expressions. */
export function literal(value: BicepValue | undefined): string | number | boolean | null | undefined {
  if (!value) return undefined;
  if (value.kind === 'string') return value.interpolated ? undefined : value.value;
  if (value.kind === 'number' || value.kind === 'bool') return value.value;
  if (value.kind === 'null') return null;
  return undefined;
}

/** The body object of a resource or module (through a for loop). */
export function body(declaration: Declaration): BicepValue | undefined {
  return declaration.value?.kind === 'for' ? declaration.value.body : declaration.value;
}
