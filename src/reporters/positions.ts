/**
 * Our positions (1-based lines, columns counted in code points after a BOM is removed) in the units other tools
 * count in: UTF-8 bytes for reviewdog, UTF-16 code units for the Language Server Protocol. Lines break where
 * Python breaks them (`\r\n`, `\n` or a lone `\r`), as the engine's line index does.
 */

export class SourceLines {
  private readonly lines: string[];

  constructor(text: string) {
    this.lines = text.split(/\r\n|\n|\r/);
  }

  get count(): number {
    return this.lines.length;
  }

  /** The text of 1-based `line` without its line break; '' past the end. */
  text(line: number): string {
    return this.lines[line - 1] ?? '';
  }

  /** 1-based code-point column → 1-based UTF-8 byte column (a column past the line's end counts one byte each). */
  utf8Column(line: number, column: number): number {
    const { head, beyond } = split(this.text(line), column);
    return Buffer.byteLength(head, 'utf8') + beyond + 1;
  }

  /** 1-based code-point column → 0-based UTF-16 offset in the line (LSP's `character`). */
  utf16Character(line: number, column: number): number {
    const { head, beyond } = split(this.text(line), column);
    return head.length + beyond;
  }

  /**
   * 0-based UTF-16 `character` → 1-based code-point column. A character inside a surrogate pair counts as the
   * pair's start (the LSP says such positions are treated as if they were before the pair).
   */
  codePointColumn(line: number, character: number): number {
    const text = this.text(line);
    let column = 1;
    let i = 0;
    for (const ch of text) {
      if (i + ch.length > character) return column;
      i += ch.length;
      column++;
    }
    return column + Math.max(0, character - i);
  }

  /** The text between two of our positions (end exclusive), line breaks as `\n`. */
  slice(line: number, column: number, endLine: number, endColumn: number): string {
    if (endLine < line || (endLine === line && endColumn <= column)) return '';
    const start = [...this.text(line)];
    if (endLine === line) return start.slice(column - 1, endColumn - 1).join('');
    const parts = [start.slice(column - 1).join('')];
    for (let l = line + 1; l < endLine; l++) parts.push(this.text(l));
    parts.push([...this.text(endLine)].slice(0, endColumn - 1).join(''));
    return parts.join('\n');
  }
}

/** The part of `text` before 1-based code-point `column`, and how many columns lie past its end. */
function split(text: string, column: number): { head: string; beyond: number } {
  let i = 0;
  let n = 1;
  for (const ch of text) {
    if (n >= column) return { head: text.slice(0, i), beyond: 0 };
    i += ch.length;
    n++;
  }
  return { head: text, beyond: Math.max(0, column - n) };
}

/** Each reported file's lines, read once through the report's source; null where the text cannot be had. */
export function linesOf(source: ((file: string) => string | null) | undefined): (file: string) => SourceLines | null {
  const texts = new Map<string, SourceLines | null>();
  return (file) => {
    if (!texts.has(file)) {
      const text = source?.(file) ?? null;
      texts.set(file, text === null ? null : new SourceLines(text));
    }
    return texts.get(file)!;
  };
}
