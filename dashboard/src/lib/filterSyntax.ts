// A small checker for the filter/rule language (syntax only; field names are the server's job).
// Used as the user types; the server still validates on save and its positioned error is shown too.

export type SyntaxError = { message: string; position: number };

type Tok = { kind: 'id' | 'str' | 'num' | 'op' | 'and' | 'or' | 'lp' | 'rp' | 'comma'; value: string; pos: number };

const OPS = ['?!=', '?>=', '?<=', '?!~', '!=', '>=', '<=', '!~', '?=', '?>', '?<', '?~', '=', '>', '<', '~'];

function lex(src: string): Tok[] | SyntaxError {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '/' && src[i + 1] === '/') { while (i < src.length && src[i] !== '\n') i++; continue; }
    const start = i;
    if (c === '(') { out.push({ kind: 'lp', value: c, pos: i++ }); continue; }
    if (c === ')') { out.push({ kind: 'rp', value: c, pos: i++ }); continue; }
    if (c === ',') { out.push({ kind: 'comma', value: c, pos: i++ }); continue; }
    if (c === '&' || c === '|') {
      if (src[i + 1] !== c) return { message: `invalid join operator at position ${start}`, position: start };
      out.push({ kind: c === '&' ? 'and' : 'or', value: c + c, pos: start });
      i += 2;
      continue;
    }
    if (c === '"' || c === "'") {
      i++;
      let closed = false;
      while (i < src.length) {
        if (src[i] === '\\') { i += 2; continue; }
        if (src[i] === c) { closed = true; i++; break; }
        i++;
      }
      if (!closed) return { message: `unterminated quoted text starting at position ${start}`, position: start };
      out.push({ kind: 'str', value: src.slice(start, i), pos: start });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(src[i + 1] ?? ''))) {
      i++;
      while (i < src.length && /[0-9.]/.test(src[i])) i++;
      const raw = src.slice(start, i);
      if (!/^-?\d+(\.\d+)?$/.test(raw)) return { message: `invalid number '${raw}' at position ${start}`, position: start };
      out.push({ kind: 'num', value: raw, pos: start });
      continue;
    }
    if (/[A-Za-z_@]/.test(c)) {
      i++;
      while (i < src.length && /[A-Za-z0-9_.:@]/.test(src[i])) i++;
      const name = src.slice(start, i);
      if (/[.:]$/.test(name)) return { message: `invalid identifier '${name}' at position ${start}: must not end with '${name.at(-1)}'`, position: start };
      out.push({ kind: 'id', value: name, pos: start });
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) { out.push({ kind: 'op', value: op, pos: start }); i += op.length; continue; }
    return { message: `unexpected character '${c}' at position ${start}`, position: start };
  }
  return out;
}

/** null when the text parses; otherwise the first error with its 0-based position. */
export function checkFilter(src: string): SyntaxError | null {
  if (src.trim() === '') return null;
  const toks = lex(src);
  if (!Array.isArray(toks)) return toks;
  let p = 0;
  const end = src.length;
  const fail = (message: string, position: number): never => { throw { message, position } satisfies SyntaxError; };
  const peek = () => toks[p];
  const where = () => (peek() ? peek().pos : end);

  const operand = () => {
    const t = peek();
    if (!t) fail(`expected a value at position ${end}`, end);
    if (t.kind === 'str' || t.kind === 'num') { p++; return; }
    if (t.kind === 'id') {
      p++;
      if (peek()?.kind === 'lp') {
        p++;
        if (peek()?.kind !== 'rp') {
          for (;;) {
            operand();
            if (peek()?.kind === 'comma') { p++; continue; }
            break;
          }
        }
        if (peek()?.kind !== 'rp') fail(`expected ')' at position ${where()}`, where());
        p++;
      }
      return;
    }
    fail(`expected a value at position ${t.pos}, found '${t.value}'`, t.pos);
  };

  const atom = (depth: number) => {
    const t = peek();
    if (t?.kind === 'lp') {
      p++;
      if (peek()?.kind === 'rp') fail(`empty group at position ${t.pos}`, t.pos);
      or(depth + 1);
      if (peek()?.kind !== 'rp') fail(`unbalanced parenthesis '(' at position ${t.pos}`, t.pos);
      p++;
      return;
    }
    operand();
    const op = peek();
    if (!op || op.kind !== 'op') fail(`expected an operator at position ${where()}`, where());
    p++;
    operand();
  };

  const and = (depth: number) => {
    atom(depth);
    while (peek()?.kind === 'and') { p++; atom(depth); }
  };
  const or = (depth: number) => {
    and(depth);
    while (peek()?.kind === 'or') { p++; and(depth); }
  };

  try {
    or(0);
    if (p < toks.length) {
      const t = toks[p];
      if (t.kind === 'rp') fail(`unbalanced parenthesis ')' at position ${t.pos}`, t.pos);
      fail(`unexpected '${t.value}' at position ${t.pos}`, t.pos);
    }
    return null;
  } catch (e) {
    if (e && typeof e === 'object' && 'position' in e) return e as SyntaxError;
    throw e;
  }
}

/** The identifier being typed at `caret` (for completion): its start and text. */
export function wordAt(src: string, caret: number): { start: number; word: string } {
  let s = caret;
  while (s > 0 && /[A-Za-z0-9_.:@]/.test(src[s - 1])) s--;
  return { start: s, word: src.slice(s, caret) };
}

/** The position named by a server error message ("... at position 12"), if any. */
export function positionOf(message: string): number | null {
  const m = /at position (\d+)/.exec(message);
  return m ? Number(m[1]) : null;
}

/** The token that starts at `position` (an identifier, a quoted text, an operator), for marking an error there. */
export function tokenRange(src: string, position: number): { from: number; to: number } {
  const from = Math.min(Math.max(position, 0), src.length);
  const m = /^(?:[A-Za-z0-9_.:@]+|"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|\?*!?[=<>~]=?|&&|\|\|)/.exec(src.slice(from));
  return { from, to: from + (m ? m[0].length : 0) };
}
