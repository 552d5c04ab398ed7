/**
 * Our fork of the lezer Python grammar: the committed parser is what the grammar generates, and what the forms
 * it added mean to the readers above it (facts, scopes): a parenthesized `with` binds its targets, a batch
 * context opened that way is still a batch context, a PEP 614 decorator is read as the expression it is.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../src/facts/extract.js';
import { parsePython, withItems } from '../../src/parse/python.js';
import { LineIndex } from '../../src/parse/source.js';
import { ROOT } from '../robustness/helpers.js';

const lines = (...l: string[]) => `${l.join('\n')}\n`;

describe('the generated parser', () => {
  it('is what scripts/build-grammar.mjs makes of python.grammar (stamp checked; regenerated only when it differs)', { timeout: 120_000 }, () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-grammar.mjs'), '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('withItems', () => {
  const items = (code: string) => {
    let out: string[][] = [];
    parsePython(code).iterate({
      enter(n) {
        if (n.name !== 'WithStatement') return;
        out = withItems(n.node).map(({ manager, target }) => [code.slice(manager.from, manager.to), target ? code.slice(target.from, target.to) : '']);
        return false;
      },
    });
    return out;
  };

  it('reads both forms, and a parenthesized list standing alone as managers (as CPython 3.9+ does)', () => {
    expect(items('with a as x, b:\n    pass\n')).toEqual([['a', 'x'], ['b', '']]);
    expect(items('with (a as x, b as (y, z),):\n    pass\n')).toEqual([['a', 'x'], ['b', '(y, z)']]);
    expect(items('with (a as x):\n    pass\n')).toEqual([['a', 'x']]);
    expect(items('with (a, b):\n    pass\n')).toEqual([['a', ''], ['b', '']]);
    expect(items('with (a, b) as c:\n    pass\n')).toEqual([['(a, b)', 'c']]);
  });
});

describe('what the readers see of the new forms', () => {
  it('a batch context opened in a parenthesized with is a batch context', () => {
    const text = lines(
      'from alembic import op',
      '',
      'def upgrade():',
      '    with (',
      "        op.batch_alter_table('hero', schema=None) as batch_op,",
      "        op.batch_alter_table('team') as team_op,",
      '    ):',
      "        batch_op.drop_column('age')",
      "        team_op.drop_column('size')",
    );
    const facts = extractFacts(text);
    expect(facts.parseError).toBeNull();
    expect(facts.operations.map((o) => [o.op, o.receiver, o.table, o.name])).toEqual([
      ['drop_column', 'batch', 'hero', 'age'],
      ['drop_column', 'batch', 'team', 'size'],
    ]);
  });

  it('names bound by a parenthesized with are defined in its body; a PEP 614 decorator uses its names', () => {
    const facts = extractFacts(
      lines('import contextlib', '', 'def upgrade():', '    with (open("a") as src, open("b") as (dst)):', '        dst.write(src.read())', '', '@registry[0].hook(missing_name)', 'def g():', '    pass'),
    );
    expect(facts.parseError).toBeNull();
    expect(facts.undefinedNames.map((n) => n.name)).toEqual(['registry', 'missing_name']);
  });

  it('Python 2 forms are parse errors at the line CPython names, with the rest of the file still read', () => {
    const text = lines('from alembic import op', '', 'def upgrade():', "    op.drop_table('x')", '    print "dropped"');
    const facts = extractFacts(text);
    expect(new LineIndex(text).position(facts.parseError!.span.start).line).toBe(5);
    expect(facts.operations.map((o) => o.op)).toEqual(['drop_table']);
  });
});
