import { describe, expect, it } from 'vitest';
import { replayEnvironment } from '../../src/facts/changes/replay.js';
import type { Schema, TableState } from '../../src/facts/changes/schema.js';
import { loadMigration } from '../../src/facts/migration.js';
import type { History, MigrationFile } from '../../src/model/migration.js';

/** A revision whose upgrade() runs `ops`; `down` as down_revision (a tuple for a merge). */
function rev(id: string, down: string | string[] | null, ops: string[], dependsOn: string | null = null): MigrationFile {
  const downs = down === null ? 'None' : Array.isArray(down) ? `(${down.map((d) => `'${d}'`).join(', ')})` : `'${down}'`;
  const text = [
    'from alembic import op',
    'import sqlalchemy as sa',
    '',
    `revision = '${id}'`,
    `down_revision = ${downs}`,
    `depends_on = ${dependsOn === null ? 'None' : `'${dependsOn}'`}`,
    '',
    'def upgrade():',
    ...(ops.length ? ops.map((o) => `    ${o}`) : ['    pass']),
    '',
  ].join('\n');
  return loadMigration(`versions/${id}.py`, new TextEncoder().encode(text)).file;
}

const columns = (t: TableState | null) => [...(t?.columns.keys() ?? [])];
const addColumn = (table: string, col: string) => `op.add_column('${table}', sa.Column('${col}', sa.Integer(), nullable=True))`;

/** The state after the whole lineage of `file`, replayed from nothing: what the shared states must equal. */
function tablesOf(s: Schema): Record<string, string[]> {
  return Object.fromEntries([...s.allTables()].map(([k, t]) => [k, columns(t)]));
}

describe('the change-event replay', () => {
  it("keeps each step's table as it was before the change, though later changes build on it", () => {
    const a = rev('a', null, ["op.create_table('hero', sa.Column('id', sa.Integer(), primary_key=True))"]);
    const b = rev('b', 'a', [addColumn('hero', 'x'), addColumn('hero', 'y'), "op.drop_column('hero', 'id')"]);
    const c = rev('c', 'b', ["op.alter_column('hero', 'x', new_column_name='z')", "op.create_check_constraint('ck', 'hero', 'z IS NOT NULL', postgresql_not_valid=True)", "op.execute('ALTER TABLE hero VALIDATE CONSTRAINT ck')"]);
    const replay = replayEnvironment([a, b, c], null);
    expect(replay.steps(b).map((s) => columns(s.before))).toEqual([['id'], ['id', 'x'], ['id', 'x', 'y']]);
    const [rename, check, validate] = replay.steps(c);
    expect(columns(rename!.before)).toEqual(['x', 'y']);
    expect(columns(check!.before)).toEqual(['y', 'z']);
    expect([...check!.before!.constraints.values()]).toEqual([]);
    expect([...validate!.before!.constraints.values()].map((k) => [k.spec.name, k.validated])).toEqual([['ck', false]]);
    // Asked again (another rule), the same steps: computed once per file.
    expect(replay.steps(c)).toBe(replay.steps(c));
    expect(columns(replay.startOf(b).table('hero'))).toEqual(['id']);
    expect(tablesOf(replay.final())).toEqual({ hero: ['y', 'z'] });
  });

  it("starts a merge where its first parent ends, then runs what only its other parents bring, in Alembic's order", () => {
    const base = rev('base', null, ["op.create_table('hero', sa.Column('id', sa.Integer()))"]);
    const left = rev('left', 'base', [addColumn('hero', 'l')]);
    const left2 = rev('left2', 'left', ["op.alter_column('hero', 'l', new_column_name='l2')"]);
    const right = rev('right', 'base', [addColumn('hero', 'r'), "op.create_table('team', sa.Column('id', sa.Integer()))"]);
    const merge = rev('merge', ['left2', 'right'], []);
    const after = rev('after', 'merge', [addColumn('team', 'name')]);
    // depends_on brings another branch's revision in after the parent's lineage.
    const side = rev('side', null, ["op.create_table('side', sa.Column('id', sa.Integer()))"]);
    const dep = rev('dep', 'after', [addColumn('side', 'x')], 'side');
    const files = [after, dep, merge, right, left2, side, left, base];
    const replay = replayEnvironment(files, null);
    expect(tablesOf(replay.startOf(merge))).toEqual({ hero: ['id', 'l2', 'r'], team: ['id'] });
    expect(tablesOf(replay.startOf(after))).toEqual({ hero: ['id', 'l2', 'r'], team: ['id'] });
    expect(tablesOf(replay.startOf(dep))).toEqual({ hero: ['id', 'l2', 'r'], team: ['id', 'name'], side: ['id'] });
    expect(tablesOf(replay.final())).toEqual({ hero: ['id', 'l2', 'r'], team: ['id', 'name'], side: ['id', 'x'] });
    // A branch's own start never sees the other branch.
    expect(tablesOf(replay.startOf(right))).toEqual({ hero: ['id'] });
    // Each step's existing: team was made by an applied revision (no git history: all applied).
    expect(replay.steps(after).map((s) => s.existing)).toEqual([true]);
  });

  it('counts a table made by an unapplied revision as new, in the revisions after it too', () => {
    const a = rev('a', null, ["op.create_table('hero', sa.Column('id', sa.Integer()))"]);
    const b = rev('b', 'a', ["op.create_table('team', sa.Column('id', sa.Integer()))"]);
    const c = rev('c', 'b', [addColumn('hero', 'x'), addColumn('team', 'x')]);
    const history = { appliedPaths: new Set([a.path]) } as unknown as History;
    expect(replayEnvironment([a, b, c], history).steps(c).map((s) => [s.table, s.existing])).toEqual([
      ['hero', true],
      ['team', false],
    ]);
  });

  it('replays a long chain on one table in time linear in its length (states share what they did not change)', () => {
    // Revisions each adding a column to one table: a copy of the table per revision is quadratic in time and memory.
    const files: MigrationFile[] = [rev('r0', null, ["op.create_table('hero', sa.Column('id', sa.Integer()))"])];
    for (let i = 1; i < 2400; i++) files.push(rev(`r${i}`, `r${i - 1}`, [addColumn('hero', `c${i}`)]));
    const timed = (chain: MigrationFile[]) => {
      const replay = replayEnvironment(chain, null);
      const started = performance.now();
      for (const f of chain) replay.steps(f);
      return { ms: performance.now() - started, replay };
    };
    timed(files.slice(0, 600)); // warm up
    const small = timed(files.slice(0, 600));
    const { ms, replay } = timed(files);
    expect(replay.steps(files[2399]!)[0]!.before!.columns.size).toBe(2399);
    expect(replay.steps(files[10]!)[0]!.before!.columns.size).toBe(10);
    expect(columns(replay.startOf(files[3]!).table('hero'))).toEqual(['id', 'c1', 'c2']);
    // ×4 the revisions: ×16 the time when each revision copies its table, about ×4 when states are shared.
    expect(ms / Math.max(small.ms, 20), `×4 revisions took ×${(ms / small.ms).toFixed(1)} time`).toBeLessThan(8);
  });
});
