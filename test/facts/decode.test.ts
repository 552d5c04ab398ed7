import { describe, expect, it } from 'vitest';
import { decodePython } from '../../src/parse/source.js';

describe('decodePython', () => {
  it('honours a PEP 263 coding line with a Python codec name', () => {
    const bytes = Buffer.concat([Buffer.from('# -*- coding: latin-1 -*-\nx = "'), Buffer.from([0xe9]), Buffer.from('"\n')]);
    const r = decodePython(bytes);
    expect(r.error).toBeNull();
    expect(r.text).toBe('# -*- coding: latin-1 -*-\nx = "é"\n');
  });

  it('reports the first invalid UTF-8 byte with its offset when no coding line says otherwise', () => {
    const bytes = Buffer.concat([Buffer.from('x = "ab'), Buffer.from([0xff]), Buffer.from('"\n')]);
    const r = decodePython(bytes);
    expect(r.error?.message).toContain('byte offset 7');
    expect(r.error?.offset).toBe(7);
  });

  it('strips a BOM and remembers it', () => {
    const r = decodePython(Buffer.from('\uFEFFimport sqlmodel\n'));
    expect(r).toEqual({ text: 'import sqlmodel\n', bom: true, error: null });
  });
});
