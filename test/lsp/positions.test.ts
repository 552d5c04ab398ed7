/**
 * Our positions (1-based, code points, after the BOM) → the protocol's (0-based, UTF-16 units of the client's
 * text): checked against JavaScript's own string indexing, which counts UTF-16 units as the protocol does.
 */
import { describe, expect, it } from 'vitest';
import { toLsp } from '../../src/lsp/server.js';
import { SourceLines } from '../../src/reporters/positions.js';

describe('toLsp', () => {
  const body = '"""add 𝒳"""\r\nx = "𝒳𝒴" + sqlmodel.y\r\n';
  it('non-BMP characters count two units; CRLF ends lines', () => {
    const lines = new SourceLines(body);
    // `sqlmodel` on line 2 is code-point column 12 (11 code points before it) and UTF-16 character 13.
    const column = [...'x = "𝒳𝒴" + '].length + 1;
    expect(toLsp(lines, false, 2, column)).toEqual({ line: 1, character: 'x = "𝒳𝒴" + '.length });
    expect('x = "𝒳𝒴" + sqlmodel.y'.slice(toLsp(lines, false, 2, column).character).startsWith('sqlmodel')).toBe(true);
  });
  it('a BOM the client keeps is one more unit on line 1 only', () => {
    const lines = new SourceLines(body);
    const withBom = `\uFEFF${body}`;
    const first = toLsp(lines, true, 1, 8);
    expect(withBom.split('\r\n')[0]!.slice(first.character)).toBe('𝒳"""');
    expect(toLsp(lines, true, 2, 1)).toEqual({ line: 1, character: 0 });
  });
});
