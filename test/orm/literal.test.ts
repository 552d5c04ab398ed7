/** What the model reader takes as a literal in an `Expr` (orm/literal.ts): stricter than facts' readings. */
import { describe, expect, it } from 'vitest';
import { integer, items, plainString, str, strDict } from '../../src/orm/literal.js';
import { expr } from '../helpers/expr.js';

describe('the model reader\'s literals', () => {
  it('takes plain strings only: an f-string or a bytes literal has no name', () => {
    expect(plainString(expr("'a' 'b'\n"))).toBe('ab');
    expect(plainString(expr("f'a{b}'\n"))).toBeNull();
    expect(plainString(expr("'a' f'{b}'\n"))).toBeNull();
    expect(plainString(expr("b'a'\n"))).toBeNull();
    expect(plainString(expr('a\n'))).toBeNull();
  });

  it('reads names through op.f, conv and quoted_name (with its quote argument), not through text()', () => {
    expect(str(expr("op.f('ix_a')\n"))).toBe('ix_a');
    expect(str(expr("quoted_name('T', True)\n"))).toBe('T');
    expect(str(expr("sa.text('now()')\n"))).toBeNull();
    expect(str(expr("op.f(f'ix_{a}')\n"))).toBeNull();
  });

  it('reads decimal integers, underscores included, and no other number', () => {
    expect(integer(expr('255\n'))).toBe(255);
    expect(integer(expr('1_000\n'))).toBe(1000);
    expect(integer(expr('0x10\n'))).toBeNull();
    expect(integer(expr('1.5\n'))).toBeNull();
    expect(integer(expr(`${'9'.repeat(400)}\n`))).toBeNull();
    expect(integer(expr("'1'\n"))).toBeNull();
  });

  it('reads the items of a sequence, unless an item is starred', () => {
    expect(items(expr("('a', b)\n"))?.map((e) => e.kind)).toEqual(['str', 'name']);
    expect(items(expr("('a', *b)\n"))).toBeNull();
    expect(items(expr('{a: b}\n'))).toBeNull();
  });

  it('reads a dict with literal keys that merges nothing in', () => {
    const d = strDict(expr("{'schema': 's', conv('k'): 1}\n"));
    expect([...(d?.keys() ?? [])]).toEqual(['schema', 'k']);
    expect(strDict(expr("{'a': 1, **rest}\n"))).toBeNull();
    expect(strDict(expr("{k: 1}\n"))).toBeNull();
  });
});
