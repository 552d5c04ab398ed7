/**
 * applied-migration-edited without git: the engine runs on an in-memory source and a History built here, so
 * that what counts as a semantic edit can be tested case by case. The git plumbing that produces the History
 * is tested on real repositories in test/git/.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import type { DiscoveredEnvironment } from '../../src/model/environment.js';
import { lint } from '../../src/engine/lint.js';
import type { SourceProvider } from '../../src/model/source.js';
import { extractFacts } from '../../src/facts/extract.js';
import type { History, HistoryEntry } from '../../src/model/migration.js';
import { byId } from './message-ids.js';

const RULE = 'applied-migration-edited';
const CWD = '/virtual';
const V = 'alembic/versions';
const SHA = '0123456789abcdef0123456789abcdef01234567';

/** Lines: docstring 1–3, imports 4–6, `revision` 9, `down_revision` 10, `def upgrade` 15, its body from 16, `def downgrade` 19, its body 20. */
function rev(opts: { rev?: string; down?: string; upgrade?: string[]; downgrade?: string[]; imports?: string; doc?: string } = {}): string {
  return [
    `"""${opts.doc ?? 'add hero power'}`,
    '',
    '"""',
    opts.imports ?? 'from alembic import op\nimport sqlalchemy as sa\nimport sqlmodel',
    '',
    '',
    `revision = '${opts.rev ?? 'bbbb'}'`,
    `down_revision = ${opts.down ?? "'aaaa'"}`,
    'branch_labels = None',
    'depends_on = None',
    '',
    '',
    'def upgrade() -> None:',
    ...(opts.upgrade ?? ["    op.add_column('hero', sa.Column('power', sa.Integer(), nullable=True))"]),
    '',
    '',
    'def downgrade() -> None:',
    ...(opts.downgrade ?? ["    op.drop_column('hero', 'power')"]),
    '',
  ].join('\n');
}

interface Case {
  /** Files now, by name in the versions folder. */
  now: Record<string, string>;
  /** Changes since the baseline: name → old text, with the kind of change. */
  entries: { status: HistoryEntry['status']; old: string; oldText: string; now?: string }[];
  applied?: string[];
  template?: string | null;
}

function run(c: Case) {
  const files = new Map(Object.entries(c.now).map(([name, text]) => [`${CWD}/${V}/${name}`, Buffer.from(text)]));
  const templatePath = `${CWD}/alembic/script.py.mako`;
  const template = c.template === undefined ? 'import sqlmodel\n' : c.template;
  const env: DiscoveredEnvironment = {
    name: `${CWD}/${V}`,
    versionDirs: [`${CWD}/${V}`],
    recursive: false,
    templatePath: template === null ? null : templatePath,
    fileTemplate: null,
    root: `${CWD}/alembic`,
    files: [...files.keys()].sort(),
  };
  const source: SourceProvider = {
    files: (e) => e.files,
    read: (abs) => files.get(abs)!,
    readText: (abs) => (abs === templatePath ? template : null),
    writable: false,
  };
  const entries: HistoryEntry[] = c.entries.map((e) => ({
    status: e.status,
    oldPath: `${V}/${e.old}`,
    newPath: e.status === 'deleted' ? null : `${V}/${e.now ?? e.old}`,
    oldFacts: extractFacts(e.oldText),
    oldText: e.oldText,
    baselineCommit: SHA,
    baselineRef: 'origin/main',
  }));
  const history: History = { baselineCommit: SHA, baselineRef: 'origin/main', entries, appliedPaths: new Set((c.applied ?? c.entries.map((e) => e.old)).map((n) => `${V}/${n}`)) };
  const result = lint({ cwd: CWD, environments: [env], config: defaultConfig(CWD), source, history });
  return result.diagnostics
    .filter((d) => d.rule === RULE)
    .map(({ severity, file, line, column, endLine, endColumn, message, messageId }) => ({ severity, file, line, column, endLine, endColumn, message, messageId }));
}

const edit = (before: string, after: string) => run({ now: { 'bbbb_power.py': after }, entries: [{ status: 'modified', old: 'bbbb_power.py', oldText: before }] });
const at = (severity: string, line: number, column: number, endLine: number, endColumn: number, messageId: string, data: Record<string, string>) => ({
  severity,
  file: `${V}/bbbb_power.py`,
  line,
  column,
  endLine,
  endColumn,
  ...byId(RULE, messageId, data),
});
const base = rev();
/** What every finding on bbbb_power.py says of it and of the baseline. */
const EDITED = { subject: "Applied revision 'bbbb'", baseline: '0123456 (merge-base with origin/main)', oldPath: `${V}/bbbb_power.py` };
const RENAMED = { ...EDITED, oldPath: `${V}/bbbb_old.py` };

describe(`${RULE}: cosmetic edits are warnings at the first changed line`, () => {
  it.each([
    ['an import added', rev({ imports: 'from alembic import op\nimport sqlalchemy as sa\nimport sqlmodel\nimport os' }), 7, 1, 7, 10],
    ['an import removed', rev({ imports: 'from alembic import op\nimport sqlalchemy as sa' }), 6, 1, 6, 1],
    ['a comment', base.replace("    op.add_column", '    # the power of a hero\n    op.add_column'), 16, 1, 16, 26],
    ['the docstring', rev({ doc: 'add the power of heroes' }), 1, 1, 1, 27],
    [
      'quotes, a trailing comma and line breaks',
      base.replace("op.add_column('hero', sa.Column('power', sa.Integer(), nullable=True))", 'op.add_column(\n        "hero",\n        sa.Column("power", sa.Integer(), nullable=True,),\n    )'),
      16,
      1,
      16,
      19,
    ],
    ['CRLF line endings (no line differs: the last line)', base.replace(/\n/g, '\r\n'), 21, 1, 21, 1],
  ])('%s', (_label, after, line, column, endLine, endColumn) => {
    expect(edit(base, after)).toEqual([at('warning', line, column, endLine, endColumn, 'cosmetic', EDITED)]);
  });

  it('an unchanged text (a mode change) is no edit', () => {
    expect(edit(base, base)).toEqual([]);
  });
});

describe(`${RULE}: semantic edits are errors at the change`, () => {
  const op = (s: string) => base.replace("    op.add_column('hero', sa.Column('power', sa.Integer(), nullable=True))", s);
  it.each([
    ['a keyword value', op("    op.add_column('hero', sa.Column('power', sa.Integer(), nullable=False))"), 16, 5, 16, 76, "operation `add_column` on 'hero' in upgrade() changed"],
    ['a keyword added', op("    op.add_column('hero', sa.Column('power', sa.Integer(), nullable=True, server_default='0'))"), 16, 5, 16, 95, "operation `add_column` on 'hero' in upgrade() changed"],
    ['an expression the parser keeps opaque', op("    op.add_column('hero', sa.Column('power', sa.Integer(), nullable=not True))"), 16, 5, 16, 79, "operation `add_column` on 'hero' in upgrade() changed"],
    [
      'an operation added',
      op("    op.add_column('hero', sa.Column('power', sa.Integer(), nullable=True))\n    op.create_index('ix_power', 'hero', ['power'])"),
      17,
      5,
      17,
      51,
      "operation `create_index` on 'hero' added to upgrade()",
    ],
    ['an operation removed', op('    pass'), 15, 5, 15, 12, "operation `add_column` on 'hero' removed from upgrade()"],
    ['the down_revision', rev({ down: "('aaaa', 'zzzz')" }), 10, 1, 10, 33, "`down_revision` changed from 'aaaa' to 'aaaa', 'zzzz'"],
    ['a downgrade operation', rev({ downgrade: ["    op.drop_column('hero', 'powers')"] }), 20, 5, 20, 37, "operation `drop_column` on 'hero' in downgrade() changed"],
    [
      'SQL run through the connection',
      op("    op.add_column('hero', sa.Column('power', sa.Integer(), nullable=True))\n    op.get_bind().execute(sa.text('UPDATE hero SET power = 2'))"),
      17,
      5,
      17,
      64,
      'SQL run in upgrade() changed',
    ],
  ])('%s', (_label, after, line, column, endLine, endColumn, detail) => {
    expect(edit(base, after)).toEqual([at('error', line, column, endLine, endColumn, 'edited', { ...EDITED, detail })]);
  });

  it('a batch operation inside batch_alter_table', () => {
    const batch = (n: string) =>
      rev({ upgrade: ["    with op.batch_alter_table('hero') as batch_op:", `        batch_op.alter_column('power', existing_type=sa.Integer(), nullable=${n})`] });
    expect(edit(batch('True'), batch('False'))).toEqual([at('error', 17, 9, 17, 83, 'edited', { ...EDITED, detail: "operation `alter_column` on 'hero' in upgrade() changed" })]);
  });

  it('the Python around the operations: a constant, a loop, a block', () => {
    const withConst = (v: string) => rev({ imports: `from alembic import op\nimport sqlalchemy as sa\nTABLES = ${v}`, upgrade: ['    for t in TABLES:', "        op.drop_column(t, 'power')"] });
    expect(edit(withConst("('hero', 'team')"), withConst("('hero', 'villain')"))).toEqual([at('error', 6, 19, 6, 28, 'edited', { ...EDITED, detail: 'module-level code changed' })]);
    expect(edit(withConst("('hero',)"), withConst("('hero')"))).toEqual([at('error', 6, 11, 6, 17, 'edited', { ...EDITED, detail: 'module-level code changed' })]);
    expect(edit(withConst("('hero', 'team')"), withConst('(\n    "hero",\n    "team",\n)'))).toEqual([at('warning', 6, 1, 6, 11, 'cosmetic', EDITED)]);
    const loop = (body: string[]) => rev({ upgrade: ["    for t in ['hero', 'team']:", ...body] });
    const inside = loop(["        op.drop_column(t, 'power')", "        op.execute('VACUUM')"]);
    const after = loop(["        op.drop_column(t, 'power')", "    op.execute('VACUUM')"]);
    expect(edit(inside, after)).toEqual([at('error', 18, 1, 18, 1, 'edited', { ...EDITED, detail: 'code in upgrade() changed' })]);
  });

  it('the SQL of op.execute', () => {
    const sql = (s: string) => rev({ upgrade: [`    op.execute("UPDATE hero SET power = ${s}")`] });
    expect(edit(sql('1'), sql('2'))).toEqual([at('error', 16, 5, 16, 44, 'edited', { ...EDITED, detail: 'operation `execute` in upgrade() changed' })]);
  });
});

describe(`${RULE}: renames and deletions`, () => {
  it('a rename that keeps the content is a warning at the revision line; with an edit, as the edit', () => {
    const renamed = { status: 'renamed' as const, old: 'bbbb_old.py', now: 'bbbb_power.py', oldText: base };
    expect(run({ now: { 'bbbb_power.py': base }, entries: [renamed] })).toEqual([
      at('warning', 9, 1, 9, 18, 'renamed', RENAMED),
    ]);
    expect(run({ now: { 'bbbb_power.py': rev({ down: 'None' }) }, entries: [renamed] })).toEqual([
      at('error', 10, 1, 10, 21, 'renamedEdited', { ...RENAMED, detail: "`down_revision` changed from 'aaaa' to None" }),
    ]);
  });

  it('a deletion plus an unapplied file defining the same revision is a rename', () => {
    expect(run({ now: { 'bbbb_power.py': base }, entries: [{ status: 'deleted', old: 'bbbb_old.py', oldText: base }] })).toEqual([
      at('warning', 9, 1, 9, 18, 'renamed', RENAMED),
    ]);
  });

  it('a deletion is reported on the child revision that names it, else on the template, else at the deleted path', () => {
    const child = rev({ rev: 'cccc', down: "'bbbb'" });
    const deleted = { status: 'deleted' as const, old: 'bbbb_power.py', oldText: base };
    expect(run({ now: { 'cccc_child.py': child }, entries: [deleted], applied: ['bbbb_power.py', 'cccc_child.py'] })).toEqual([
      { ...at('error', 10, 1, 10, 23, 'deleted', EDITED), file: `${V}/cccc_child.py` },
    ]);
    expect(run({ now: { 'dddd_other.py': rev({ rev: 'dddd', down: 'None' }) }, entries: [deleted], applied: ['bbbb_power.py'] })).toEqual([
      { ...at('error', 1, 1, 1, 1, 'deleted', EDITED), file: 'alembic/script.py.mako' },
    ]);
    expect(run({ now: { 'dddd_other.py': rev({ rev: 'dddd', down: 'None' }) }, entries: [deleted], applied: ['bbbb_power.py'], template: null })).toEqual([
      { ...at('error', 1, 1, 1, 1, 'deleted', EDITED), file: `${V}/bbbb_power.py` },
    ]);
  });

  it('an applied file whose `revision` changed is the deletion of the old revision, reported at the new revision line', () => {
    expect(run({ now: { 'bbbb_power.py': rev({ rev: 'cccc' }) }, entries: [{ status: 'modified', old: 'bbbb_power.py', now: 'bbbb_power.py', oldText: base }] })).toEqual([
      at('error', 9, 1, 9, 18, 'deletedReplaced', { ...EDITED, revision: 'cccc' }),
    ]);
  });

  it('says nothing without history', () => {
    const files = { 'bbbb_power.py': base };
    expect(run({ now: files, entries: [] })).toEqual([]);
  });
});

describe(`${RULE}: values are compared, not how they are written`, () => {
  /** One upgrade statement before and after; module-level code goes in with the imports. */
  const up = (line: string, mod = '') => rev({ imports: `from alembic import op\nimport sqlalchemy as sa${mod ? `\n${mod}` : ''}`, upgrade: [`    ${line}`] });
  const severity = (before: string, after: string) => edit(before, after).map((d) => d.severity);

  it.each([
    ['re-quoting inside an f-string field', `op.execute(f"UPDATE {T['hero']} SET power = 1")`, `op.execute(f'UPDATE {T["hero"]} SET power = 1')`],
    ['re-quoting the literal parts of an f-string, and its prefix case', `op.execute(f"UPDATE hero SET name = 'a' WHERE id = {i}")`, `op.execute(F'UPDATE hero SET name = \\'a\\' WHERE id = {i}')`],
    ['spaces inside an f-string field', 'op.execute(f"UPDATE hero SET power = {n+1}")', 'op.execute(f"UPDATE hero SET power = { n + 1 }")'],
    ['joining implicitly concatenated literals', 'op.execute("UPDATE hero " "SET power = 1")', 'op.execute("UPDATE hero SET power = 1")'],
    ['splitting a literal the black way, in parentheses', 'op.execute("UPDATE hero SET power = 1")', 'op.execute(\n        (\n            "UPDATE hero "\n            "SET power = 1"\n        )\n    )'],
    ['an f-string joined with a plain literal', 'op.execute(f"UPDATE {t} " "SET power = 1")', 'op.execute(f"UPDATE {t} SET power = 1")'],
    ['a literal wrapped in redundant parentheses', "op.add_column('hero', sa.Column('power', sa.Integer(), nullable=True))", "op.add_column(('hero'), sa.Column(('power'), sa.Integer(), nullable=(True)))"],
    ['escapes that denote the same text', "op.execute('UPDATE hero SET name = \\'x\\'')", `op.execute("UPDATE hero SET name = 'x'")`],
    ['a raw string with the same value', "op.execute(r'UPDATE hero SET power = 1')", "op.execute('UPDATE hero SET power = 1')"],
    ['re-quoting inside an expression kept opaque', "op.execute('UPDATE hero SET power = ' + str(1))", 'op.execute("UPDATE hero SET power = " + str(1))'],
    ['the same number written otherwise', "op.add_column('hero', sa.Column('power', sa.String(1000)))", "op.add_column('hero', sa.Column('power', sa.String(1_000)))"],
    ['a hexadecimal number of the same value', "op.add_column('hero', sa.Column('power', sa.String(255)))", "op.add_column('hero', sa.Column('power', sa.String(0xFF)))"],
  ])('%s is cosmetic', (_label, before, after) => {
    expect(severity(up(before), up(after))).toEqual(['warning']);
  });

  it.each([
    ['a module constant re-quoted, joined and parenthesized', "SQL = 'UPDATE hero ' 'SET power = 1'", 'SQL = ("UPDATE hero SET power = 1")'],
    ['parentheses around a whole value', 'LIMIT = 1 + 2 * 3', 'LIMIT = (1 + 2 * 3)'],
    ['parentheses around one operand', 'LIMIT = 1 + 2 * 3', 'LIMIT = 1 + (2 * 3)'],
    ['parentheses on the grouping side', 'LIMIT = 1 - 2 - 3', 'LIMIT = (1 - 2) - 3'],
    ['a negation in a conjunction', 'FLAG = not a and b', 'FLAG = (not a) and b'],
  ])('module-level: %s is cosmetic', (_label, before, after) => {
    expect(severity(up('op.execute(SQL)', before), up('op.execute(SQL)', after))).toEqual(['warning']);
  });

  it.each([
    ['a field of an f-string', `op.execute(f"UPDATE {T['hero']} SET power = 1")`, `op.execute(f"UPDATE {T['team']} SET power = 1")`],
    ['the conversion of an f-string field', 'op.execute(f"UPDATE hero SET name = {n}")', 'op.execute(f"UPDATE hero SET name = {n!r}")'],
    ['the format spec of an f-string field', 'op.execute(f"UPDATE hero SET power = {n:d}")', 'op.execute(f"UPDATE hero SET power = {n:x}")'],
    ['a self-documenting field, whose text is printed', 'op.execute(f"SELECT {n=}")', 'op.execute(f"SELECT {n = }")'],
    ['the literal text of an f-string', 'op.execute(f"UPDATE {t} SET power = 1")', 'op.execute(f"UPDATE {t} SET power = 2")'],
    ['one part of a concatenation', 'op.execute("UPDATE hero " "SET power = 1")', 'op.execute("UPDATE hero " "SET power = 2")'],
    ['text into bytes', "op.execute('UPDATE hero SET power = 1')", "op.execute(b'UPDATE hero SET power = 1')"],
    ['a number', "op.add_column('hero', sa.Column('power', sa.String(1000)))", "op.add_column('hero', sa.Column('power', sa.String(10_000)))"],
    ['an int into a float', "op.add_column('hero', sa.Column('power', sa.Numeric(10)))", "op.add_column('hero', sa.Column('power', sa.Numeric(10.0)))"],
    ['an opaque expression', "op.execute('UPDATE hero SET power = ' + str(1))", "op.execute('UPDATE hero SET power = ' + str(2))"],
  ])('%s is semantic', (_label, before, after) => {
    expect(severity(up(before), up(after))).toEqual(['error']);
  });

  it.each([
    ['parentheses that change the order of operations', 'LIMIT = (1 + 2) * 3', 'LIMIT = 1 + 2 * 3'],
    ['a negation around a whole condition', 'FLAG = not (a and b)', 'FLAG = not a and b'],
    ['a negation taken out of a sum', 'FLAG = (not a) + b', 'FLAG = not a + b'],
    ['a sign taken into a power', 'N = (-2) ** 2', 'N = -2 ** 2'],
    ['a chained comparison', 'FLAG = (a < b) < c', 'FLAG = a < b < c'],
    ['the comma that makes a one-item tuple', "TABLES = ('hero',)", "TABLES = ('hero')"],
  ])('module-level: %s is semantic', (_label, before, after) => {
    expect(severity(up('op.execute(SQL)', before), up('op.execute(SQL)', after))).toEqual(['error']);
  });
});
