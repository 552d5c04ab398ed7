/**
 * Python string literals to their values. The parser hands us the literal's source text
 * (prefix, quotes, escapes); rules need the value, e.g. the SQL inside `op.execute("…")`.
 */

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

export interface StringLiteral {
  value: string;
  prefix: string;
  /** true for f-strings: `value` keeps the replacement fields as written, so it is not the runtime value. */
  formatted: boolean;
  bytes: boolean;
}

export function decodeStringLiteral(raw: string): StringLiteral | null {
  const m = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(raw);
  if (!m) return null;
  const prefix = m[1]!.toLowerCase();
  const quote = m[2]!;
  if (!raw.endsWith(quote) || raw.length < prefix.length + quote.length * 2) {
    return null;
  }
  const body = raw.slice(prefix.length + quote.length, raw.length - quote.length);
  const isRaw = prefix.includes('r');
  const formatted = prefix.includes('f');
  const bytes = prefix.includes('b');
  const value = isRaw ? body : unescape(body);
  return { value, prefix, formatted, bytes };
}

function unescape(body: string): string {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const next = body[i + 1]!;
    if (next === '\n') {
      i++;
      continue;
    }
    if (next === '\r') {
      i += body[i + 2] === '\n' ? 2 : 1;
      continue;
    }
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      i++;
      continue;
    }
    if (next === 'x' || next === 'u' || next === 'U') {
      const len = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + len);
      if (hex.length === len && /^[0-9a-fA-F]+$/.test(hex)) {
        const cp = parseInt(hex, 16);
        out += cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
        i += 1 + len;
        continue;
      }
    }
    if (next >= '0' && next <= '7') {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i + 1))![0];
      out += String.fromCharCode(parseInt(oct, 8));
      i += oct.length;
      continue;
    }
    if (next === 'N' && body[i + 2] === '{') {
      const close = body.indexOf('}', i + 3);
      if (close !== -1) {
        // Unicode names need a database we do not ship; keep the escape visible instead of guessing.
        out += body.slice(i, close + 1);
        i = close;
        continue;
      }
    }
    // Unknown escapes stay as written, as Python does.
    out += ch;
  }
  return out;
}
