import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { USUAL_IMPORTS } from '../../src/rules/undefined-name.js';
import { fixtureSuite } from './fixture-suite.js';
import { SQLMODEL_TEMPLATE, lintDir, lintProject, writeProject } from './helpers.js';
import { byId, lintRuleIds } from './message-ids.js';

const RULE = 'undefined-name';
const NAME = 'a1b2c3d4e5f6_add_hero_power.py';
const FILE = `alembic/versions/${NAME}`;
const one = (text: string) => ({ versions: { [NAME]: text }, template: SQLMODEL_TEMPLATE });
const pos = (line: number, column: number, endLine: number, endColumn: number, messageId: string, data?: Record<string, string | number>) => ({
  rule: RULE,
  file: FILE,
  line,
  column,
  endLine,
  endColumn,
  ...byId(RULE, messageId, data),
});

/** A migration: docstring, `imports`, the revision variables, then upgrade() and downgrade() bodies. */
function migration(imports: string[], upgrade: string[], downgrade: string[] = ['    pass'], extra: string[] = []): string {
  return [
    '"""add hero power"""',
    ...imports,
    "revision = 'a1b2c3d4e5f6'",
    'down_revision = None',
    ...extra,
    '',
    '',
    'def upgrade():',
    ...upgrade,
    '',
    '',
    'def downgrade():',
    ...downgrade,
    '',
  ].join('\n');
}

fixtureSuite(RULE);

describe(`${RULE}: reports`, () => {
  const SA_TWICE = [
    "    op.add_column('hero', sa.Column('power', sa.String(), nullable=True))",
    "    op.add_column('hero', sa.Column('age', sa.Integer()))",
  ];

  it('reports each name once, at its first use, with the number of uses', () => {
    const text = migration(['from alembic import op', 'import sqlmodel'], SA_TWICE);
    expect(lintRuleIds(RULE, one(text))).toEqual([
      pos(9, 27, 9, 29, 'upgradeRepeated', { name: 'sa', count: 4 }),
    ]);
  });

  it('reports every undefined name, in source order, each with its own fix and help', () => {
    const text = migration(['import sqlalchemy as sa'], ["    op.add_column('hero', sa.Column('attributes', postgresql.JSONB(), nullable=True))"]);
    const result = lintProject(one(text));
    const found = result.diagnostics.filter((d) => d.rule === RULE);
    expect(found.map((d) => [d.line, d.column, d.endLine, d.endColumn, d.fixable, d.help])).toEqual([
      [8, 5, 8, 7, true, 'Add `from alembic import op` with the other imports (`npx migration-lint --fix` does it).'],
      [8, 51, 8, 61, true, 'Add `from sqlalchemy.dialects import postgresql` with the other imports (`npx migration-lint --fix` does it).'],
    ]);
  });

  it('says when the NameError strikes: upgrade, downgrade, a helper, or the import of the module', () => {
    const text = migration(
      ['from alembic import op', 'import sqlalchemy as sa'],
      ['    helper()'],
      ['    op.drop_column(TABLE, "power")'],
      ['DEFAULT = sa.text(NOW)', 'def helper():', '    return missing_helper_name'],
    );
    expect(lintRuleIds(RULE, one(text))).toEqual([
      pos(6, 19, 6, 22, 'atImport', { name: 'NOW', count: 1 }),
      pos(8, 12, 8, 31, 'call', { name: 'missing_helper_name', count: 1 }),
      pos(16, 20, 16, 25, 'downgrade', { name: 'TABLE', count: 1 }),
    ]);
  });

  it('leaves sqlmodel to missing-sqlmodel-import: never reported twice', () => {
    const text = migration(['from alembic import op', 'import sqlalchemy as sa'], ["    op.add_column('hero', sa.Column('power', sqlmodel.sql.sqltypes.AutoString()))"]);
    const rules = lintProject(one(text)).diagnostics.map((d) => d.rule);
    expect(rules).toContain('missing-sqlmodel-import');
    expect(rules).not.toContain(RULE);
  });

  it('reports sqlmodel used after `del sqlmodel` or before its import: the module binds it, so missing-sqlmodel-import does not', () => {
    const deleted = migration(['from alembic import op', 'import sqlalchemy as sa', 'import sqlmodel', 'del sqlmodel'], ["    op.add_column('hero', sa.Column('power', sqlmodel.AutoString()))"]);
    const found = lintProject(one(deleted)).diagnostics.filter((d) => d.rule === RULE || d.rule === 'missing-sqlmodel-import');
    expect(found.map((d) => [d.rule, d.line, d.column, d.fixable, d.messageId, d.message])).toEqual([[RULE, 11, 46, false, 'upgrade', byId(RULE, 'upgrade', { name: 'sqlmodel', count: 1 }).message]]);
    const late = migration(['from alembic import op', 'import sqlalchemy as sa', 'DEFAULT = sqlmodel.AutoString()', 'import sqlmodel'], ['    pass']);
    expect(lintRuleIds(RULE, one(late))).toEqual([pos(4, 11, 4, 19, 'atImport', { name: 'sqlmodel', count: 1 })]);
  });

  it('suggests the bound name a typo was meant to be, and offers no fix for names without a usual import', () => {
    const text = migration(
      ['from alembic import op', 'import sqlalchemy as sa', 'from sqlalchemy.dialects import postgresql'],
      ["    op.add_column('hero', sa.Column('a', postgressql.JSONB()))", "    op.add_column('hero', sa.Column('b', sqlalchemy_utils.types.UUIDType()))"],
    );
    const found = lintProject(one(text)).diagnostics.filter((d) => d.rule === RULE);
    expect(found.map((d) => [d.message, d.fixable, d.help])).toEqual([
      [byId(RULE, 'upgrade', { name: 'postgressql', count: 1 }).message, false, 'Did you mean `postgresql`? Otherwise import or define `postgressql` at module level.'],
      [
        byId(RULE, 'upgrade', { name: 'sqlalchemy_utils', count: 1 }).message,
        false,
        'Import `sqlalchemy_utils` at the top of the migration (autogenerate writes custom types with their module prefix but does not import the module), or define it.',
      ],
    ]);
  });

  it('offers no import when the module binds the name already (it is deleted, or bound too late)', () => {
    const text = migration(['from alembic import op', 'import sqlalchemy as sa'], ["    op.add_column('hero', sa.Column('power', sa.String()))"], ['    pass'], ['del sa']);
    const found = lintProject(one(text)).diagnostics.filter((d) => d.rule === RULE);
    expect(found.map((d) => [d.line, d.column, d.fixable])).toEqual([[10, 27, false]]);
  });

  it('says nothing about a file that does not parse (parse-error does)', () => {
    const text = migration(['from alembic import op'], ["    op.add_column('hero', sa.Column('power'"]);
    const rules = lintProject(one(text)).diagnostics.map((d) => d.rule);
    expect(rules).toContain('parse-error');
    expect(rules).not.toContain(RULE);
  });

  it('is approved by a suppression with a reason on the line of the first use', () => {
    const text = migration(
      ['from alembic import op', 'import sqlalchemy as sa'],
      ["    op.add_column('hero', sa.Column('tag', custom_types.Tag()))  # migration-lint: ignore undefined-name -- injected by our wrapper"],
    );
    const result = lintProject(one(text));
    expect(result.diagnostics.filter((d) => d.rule === RULE)).toEqual([]);
    expect(result.suppressed.map((d) => [d.rule, d.line, d.column])).toEqual([[RULE, 9, 44]]);
  });
});

describe(`${RULE}: --fix`, () => {
  const fixedText = (dir: string) => fs.readFileSync(path.join(dir, FILE), 'utf8');

  it.each(Object.entries(USUAL_IMPORTS))('inserts the import of `%s` after `import sqlalchemy as sa`, else the last import; the file is clean after', (alias, statement) => {
    const other = alias === 'op' ? 'import sqlalchemy as sa' : 'from alembic import op';
    const text = migration([other, 'import sqlmodel'], [`    ${alias}.anything()`]);
    const dir = writeProject(one(text));
    const result = lintDir(dir, {}, { fix: true });
    expect(result.fixed).toEqual([{ file: FILE, description: `insert \`${statement}\`` }]);
    const expected = alias === 'op' ? [other, statement, 'import sqlmodel'] : [other, 'import sqlmodel', statement];
    expect(fixedText(dir).split('\n').slice(1, 4)).toEqual(expected);
    expect(result.diagnostics.filter((d) => d.rule === RULE)).toEqual([]);
  });

  it('inserts after `import sqlalchemy as sa` when there is one, keeping CRLF line endings', () => {
    const text = migration(['from alembic import op', 'import sqlalchemy as sa', 'import sqlmodel'], ["    op.add_column('hero', sa.Column('a', postgresql.JSONB()))"]).replace(/\n/g, '\r\n');
    const dir = writeProject(one(text));
    lintDir(dir, {}, { fix: true });
    expect(fixedText(dir).split('\r\n').slice(1, 5)).toEqual([
      'from alembic import op',
      'import sqlalchemy as sa',
      'from sqlalchemy.dialects import postgresql',
      'import sqlmodel',
    ]);
    expect(fixedText(dir)).not.toMatch(/[^\r]\n/);
  });

  it('fixes several missing imports in one run', () => {
    const text = migration(['import sqlmodel'], ["    op.add_column('hero', sa.Column('a', mysql.JSON()))"]);
    const dir = writeProject(one(text));
    const result = lintDir(dir, {}, { fix: true });
    expect(result.diagnostics.filter((d) => d.rule === RULE)).toEqual([]);
    expect(new Set(fixedText(dir).split('\n').slice(1, 5))).toEqual(
      new Set(['import sqlmodel', 'from alembic import op', 'import sqlalchemy as sa', 'from sqlalchemy.dialects import mysql']),
    );
  });
});
