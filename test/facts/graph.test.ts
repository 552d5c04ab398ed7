import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../src/facts/extract.js';
import { ancestors, buildGraph, mayBeLeftOut, resolveTarget } from '../../src/facts/graph.js';
import type { MigrationFile } from '../../src/model/migration.js';

const file = (name: string, ...body: string[]): MigrationFile => {
  const text = `${body.join('\n')}\n`;
  return { path: `versions/${name}.py`, text, facts: extractFacts(text), decodeError: null };
};
const rev = (id: string, down: string, extra = '') => file(id, `revision = '${id}'`, `down_revision = ${down}`, extra);

describe('buildGraph', () => {
  it('finds heads, bases and the lineage of a fork joined by a merge', () => {
    const g = buildGraph([rev('a', 'None'), rev('b', "'a'"), rev('c', "'a'"), rev('d', "('b', 'c')")]);
    expect([g.heads, g.bases, g.complete]).toEqual([['d'], ['a'], true]);
    expect([...ancestors(g, 'd')].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps the first file of a duplicated revision as the node and lists every file', () => {
    const g = buildGraph([rev('a', 'None'), file('a2', "revision = 'a'", 'down_revision = None')]);
    expect([...g.nodes.keys()]).toEqual(['a']);
    expect(g.duplicates.get('a')!.map((f) => f.path)).toEqual(['versions/a.py', 'versions/a2.py']);
  });

  it('leaves out files it cannot read, keeping what is known of them', () => {
    const g = buildGraph([rev('a', 'None'), rev('b', "('a', PARENT)"), file('x', 'revision = make_id()', "down_revision = 'a'")]);
    expect([...g.nodes.keys()]).toEqual(['a']);
    expect(g.unresolved.map((f) => f.path)).toEqual(['versions/b.py', 'versions/x.py']);
    expect(g.leftOut.map((l) => [l.revision, l.downs])).toEqual([
      ['b', ['a', null]],
      [null, ['a']],
    ]);
  });

  it("does not take a left-out file's parent for a head", () => {
    // Before the fix, `a` counted as a head: the only file naming it was left out.
    const g = buildGraph([rev('a', 'None'), rev('b', "'a'", "branch_labels = LABELS"), rev('c', "'b'")]);
    expect(g.heads).toEqual(['c']);
    expect(g.complete).toBe(false);
  });

  it('is incomplete when a down_revision names a revision no file defines', () => {
    const g = buildGraph([rev('a', 'None'), rev('c', "'b'")]);
    expect([g.heads, g.complete]).toEqual([['a', 'c'], false]);
  });
});

describe('resolveTarget and mayBeLeftOut', () => {
  const g = buildGraph([rev('a1b2c3d4', 'None', "branch_labels = ('audit',)"), rev('ffff0000', "'a1b2c3d4'", 'branch_labels = LABELS')]);

  it('resolves revisions, branch labels and unique prefixes of four characters or more', () => {
    expect([resolveTarget(g, 'a1b2c3d4', false), resolveTarget(g, 'audit', false), resolveTarget(g, 'a1b2', true), resolveTarget(g, 'a1b', true), resolveTarget(g, 'a1b2', false)]).toEqual([
      'a1b2c3d4',
      'a1b2c3d4',
      'a1b2c3d4',
      null,
      null,
    ]);
  });

  it('says a left-out file may define a revision, or a label when its labels are unknown', () => {
    expect([mayBeLeftOut(g, 'ffff0000', false), mayBeLeftOut(g, 'eeee0000', false), mayBeLeftOut(g, 'expand', true), mayBeLeftOut(g, 'expand', false)]).toEqual([true, false, true, false]);
  });
});
