/**
 * Source text as the rules see it: decoded from UTF-8, BOM removed, with a line index.
 * Offsets everywhere in the project are UTF-16 offsets into `text`; this module is the only place that
 * turns them into the 1-based line/column (in code points) that users see.
 */

import type { Position } from '../model/span.js';

export type DecodeResult =
  | { ok: true; text: string; bom: boolean }
  | { ok: false; byteOffset: number; message: string };

const BOM = '\uFEFF';
const decoder = new TextDecoder('utf-8', { fatal: true });

export function decodeUtf8(bytes: Uint8Array): DecodeResult {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    const byteOffset = firstInvalidUtf8Byte(bytes);
    return {
      ok: false,
      byteOffset,
      message: `not valid UTF-8: invalid byte 0x${(bytes[byteOffset] ?? 0).toString(16).padStart(2, '0')} at byte offset ${byteOffset}`,
    };
  }
  // TextDecoder drops a leading BOM by default (ignoreBOM: false), so look at the bytes for it.
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (text.startsWith(BOM)) text = text.slice(1);
  return { ok: true, text, bom };
}

/**
 * Decodes a Python source file as CPython does: UTF-8 unless a PEP 263 `coding:` comment in the first two
 * lines names another codec. An undecodable byte gives the text decoded with replacement characters, so
 * the file can still be read, and where the first bad byte sits in it.
 */
export function decodePython(bytes: Uint8Array): { text: string; bom: boolean; error: { offset: number; message: string } | null } {
  const cookie = codingCookie(bytes);
  if (cookie && !/^utf[-_]?8(?:[-_]sig)?$/i.test(cookie)) {
    try {
      return { text: new TextDecoder(whatwgLabel(cookie)).decode(bytes), bom: false, error: null };
    } catch {
      // An unknown codec: CPython would refuse the file; fall through and read it as UTF-8.
    }
  }
  const r = decodeUtf8(bytes);
  if (r.ok) return { text: r.text, bom: r.bom, error: null };
  const lenient = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const offset = new TextDecoder('utf-8').decode(bytes.subarray(bom ? 3 : 0, r.byteOffset)).length;
  return { text: lenient, bom, error: { offset, message: r.message } };
}

/** Python's codec names where they differ from the WHATWG labels TextDecoder knows (`latin-1`, `cp1252`, …). */
function whatwgLabel(codec: string): string {
  const c = codec.toLowerCase().replace(/_/g, '-');
  if (/^(latin-?1|l1|iso-?8859-1|8859|cp819)$/.test(c)) return 'iso-8859-1';
  if (/^(ascii|us-ascii|646)$/.test(c)) return 'utf-8';
  const cp = /^(?:cp|windows-)(\d{3,4})$/.exec(c);
  if (cp) return cp[1]!.length === 4 ? `windows-${cp[1]}` : `ibm${cp[1]}`;
  return c;
}

function codingCookie(bytes: Uint8Array): string | null {
  let end = 0;
  let lines = 0;
  while (end < bytes.length && end < 400 && lines < 2) {
    if (bytes[end] === 10) lines++;
    end++;
  }
  const head = Buffer.from(bytes.subarray(0, end)).toString('latin1');
  const m = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/m.exec(head);
  return m ? m[1]! : null;
}

/** Only called once decoding has failed, so its cost does not matter on the common path. */
function firstInvalidUtf8Byte(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let need: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return b.length;
}

export class LineIndex {
  /** Offset of the first character of each line. Lines end at \r\n, \n or a lone \r, as Python reads them. */
  readonly lineStarts: number[];
  private readonly text: string;
  private readonly astral: boolean;

  constructor(text: string) {
    this.text = text;
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 10) starts.push(i + 1);
      else if (ch === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
    // Columns count code points; only text with surrogate pairs needs the slow path.
    this.astral = /[\uD800-\uDBFF]/.test(text);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  position(offset: number): Position {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    const lineStart = starts[lo]!;
    let column = offset - lineStart + 1;
    if (this.astral) {
      const slice = this.text.slice(lineStart, offset);
      column = 1;
      for (const _ of slice) column++;
    }
    return { line: lo + 1, column };
  }

  /** Offset where 1-based `line` starts (clamped). */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line - 1, this.lineStarts.length - 1))]!;
  }

  /** Offset of the end of 1-based `line`, before its line break. */
  lineEnd(line: number): number {
    const next = this.lineStarts[line];
    if (next === undefined) return this.text.length;
    let end = next;
    if (this.text.charCodeAt(end - 1) === 10) end--;
    if (this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }
}

/** The line break a file mostly uses, so that inserted lines match it. */
export function detectEol(text: string): string {
  const crlf = text.indexOf('\r\n');
  const lf = text.indexOf('\n');
  if (crlf !== -1 && crlf < lf + 1 && crlf === lf - 1) return '\r\n';
  if (lf === -1 && text.includes('\r')) return '\r';
  return '\n';
}
