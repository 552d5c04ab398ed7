import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { SQLMODEL_TEMPLATE, lintDir, lintProject, mini, writeProject } from './helpers.js';
import { briefId, byId, lintRuleIds } from './message-ids.js';

const RULE = 'missing-sqlmodel-import';
const NAME = 'a1b2c3d4e5f6_add_hero.py';
const FILE = `alembic/versions/${NAME}`;
const one = (text: string, extra: Record<string, string> = {}) => ({ versions: { [NAME]: text }, extra });
const pos = (line: number, column: number, endLine: number, endColumn: number, messageId: string, data?: Record<string, string | number>) => ({
  rule: RULE,
  file: FILE,
  line,
  column,
  endLine,
  endColumn,
  ...byId(RULE, messageId, data),
});
const USED = "    op.add_column('hero', sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=True))";
// `sqlmodel` in USED starts at column 45 and ends before column 53.
const NAME_ERROR = 'used';

fixtureSuite(RULE);

describe(`${RULE}: what binds sqlmodel`, () => {
  it('reports the first use when nothing imports it', () => {
    const text = mini({ upgrade: [USED, USED] });
    expect(lintRuleIds(RULE, one(text))).toEqual([pos(10, 45, 10, 53, NAME_ERROR)]);
  });

  it('is satisfied by `import sqlmodel` and by `import sqlmodel.sql.sqltypes`', () => {
    expect(lintRuleIds(RULE, one(mini({ line4: 'import sqlmodel', upgrade: [USED] })))).toEqual([]);
    expect(lintRuleIds(RULE, one(mini({ line4: 'import sqlmodel.sql.sqltypes', upgrade: [USED] })))).toEqual([]);
  });

  it('does not take `import sqlmodel as sm` or `from sqlmodel import X` for a binding of sqlmodel', () => {
    expect(lintRuleIds(RULE, one(mini({ line4: 'import sqlmodel as sm', upgrade: [USED] })))).toEqual([pos(10, 45, 10, 53, NAME_ERROR)]);
    expect(lintRuleIds(RULE, one(mini({ line4: 'from sqlmodel import SQLModel, AutoString', upgrade: [USED] })))).toEqual([
      pos(10, 45, 10, 53, NAME_ERROR),
    ]);
  });

  it('does not take an import under `if TYPE_CHECKING:` for one', () => {
    const text = [
      'from typing import TYPE_CHECKING',
      'from alembic import op',
      'import sqlalchemy as sa',
      'if TYPE_CHECKING:',
      '    import sqlmodel',
      "revision = 'a1b2c3d4e5f6'",
      '',
      'def upgrade():',
      USED,
      '',
    ].join('\n');
    expect(lintRuleIds(RULE, one(text))).toEqual([pos(9, 45, 9, 53, NAME_ERROR)]);
  });

  it('accepts an import inside the function that uses it, and one in try/except at module level', () => {
    const local = mini({ upgrade: ['    import sqlmodel', USED] });
    expect(lintRuleIds(RULE, one(local))).toEqual([]);
    const guarded = ['try:', '    import sqlmodel', 'except ImportError:', '    pass', "revision = 'a1b2c3d4e5f6'", '', 'def upgrade():', USED, ''].join('\n');
    expect(lintRuleIds(RULE, one(guarded))).toEqual([]);
  });

  it('reports a default or annotation of the function that imports sqlmodel: they run before its body', () => {
    const text = mini({ upgrade: ['    import sqlmodel', USED] }).replace('def upgrade():', 'def upgrade(kind=sqlmodel.AutoString):');
    expect(lintRuleIds(RULE, one(text))).toEqual([pos(9, 18, 9, 26, NAME_ERROR)]);
  });

  it('ignores uses Python never looks up or finds bound: under TYPE_CHECKING, a local variable, a class-body import', () => {
    const typeChecking = mini({ line4: 'from typing import TYPE_CHECKING', upgrade: ['    pass'] }).replace('def upgrade():', 'if TYPE_CHECKING:\n    AutoString = sqlmodel.AutoString\ndef upgrade():');
    expect(lintRuleIds(RULE, one(typeChecking))).toEqual([]);
    expect(lintRuleIds(RULE, one(mini({ upgrade: ['    sqlmodel = sa', USED] })))).toEqual([]);
    expect(lintRuleIds(RULE, one(mini({ upgrade: ['    class Types:', '        import sqlmodel', '        text = sqlmodel.AutoString'] })))).toEqual([]);
  });

  it('ignores sqlmodel in comments, strings, docstrings, attribute names and keyword arguments', () => {
    const text = mini({
      message: 'uses sqlmodel.sql.sqltypes.AutoString',
      upgrade: [
        '    """sqlmodel.sql.sqltypes.AutoString()"""',
        '    # sqlmodel.sql.sqltypes.AutoString()',
        "    note = 'sqlmodel.sql.sqltypes'",
        '    note = obj.sqlmodel',
        '    call(sqlmodel=1)',
        "    op.add_column('hero', sa.Column('sqlmodel', sa.Integer()))",
      ],
    });
    expect(lintRuleIds(RULE, one(text))).toEqual([]);
  });
});

describe(`${RULE}: sqlmodelImport`, () => {
  const unused = mini({ upgrade: ["    op.add_column('hero', sa.Column('age', sa.Integer()))"] });

  it('"always" reports a migration that imports nothing, at line 1', () => {
    expect(lintRuleIds(RULE, one(unused), { sqlmodelImport: 'always' })).toEqual([pos(1, 1, 1, 1, 'notImported')]);
  });

  it('"when-used" and "auto" in a plain SQLAlchemy project report only uses', () => {
    expect(lintRuleIds(RULE, one(unused), { sqlmodelImport: 'when-used' })).toEqual([]);
    expect(lintRuleIds(RULE, one(unused))).toEqual([]);
  });

  it('"auto" means "always" when the template or pyproject.toml names sqlmodel', () => {
    expect(lintRuleIds(RULE, { versions: { [NAME]: unused }, template: SQLMODEL_TEMPLATE })).toEqual([pos(1, 1, 1, 1, 'notImported')]);
    expect(lintRuleIds(RULE, one(unused, { 'pyproject.toml': '[project]\nname = "app"\ndependencies = ["sqlmodel>=0.0.8"]\n' }))).toEqual([
      pos(1, 1, 1, 1, 'notImported'),
    ]);
  });
});

describe(`${RULE}: positions`, () => {
  const text = mini({ upgrade: [USED] });

  it('gives the same line and column for CRLF and BOM files as for LF', () => {
    const expected = [pos(10, 45, 10, 53, NAME_ERROR)];
    expect(lintRuleIds(RULE, one(text.replace(/\n/g, '\r\n')))).toEqual(expected);
    expect(lintRuleIds(RULE, one(`\uFEFF${text}`))).toEqual(expected);
  });

  it('counts columns in code points after a non-BMP character', () => {
    const astral = mini({ upgrade: [USED.replace("'name'", "'𝒩ame'")] });
    expect(lintRuleIds(RULE, one(astral))).toEqual([pos(10, 45, 10, 53, NAME_ERROR)]);
  });
});

describe(`${RULE}: --fix`, () => {
  const fixed = (dir: string) => fs.readFileSync(path.join(dir, FILE), 'utf8');

  it('inserts `import sqlmodel` after `import sqlalchemy as sa`, and the finding is gone', () => {
    const dir = writeProject(one(mini({ upgrade: [USED] })));
    const result = lintDir(dir, {}, { fix: true });
    // The stock template is fixed in the same run (template-missing-sqlmodel-import).
    expect(result.fixed).toContainEqual({ file: FILE, description: 'insert `import sqlmodel`' });
    expect(fixed(dir).split('\n').slice(1, 4)).toEqual(['from alembic import op', 'import sqlalchemy as sa', 'import sqlmodel']);
    expect(result.diagnostics.filter((d) => d.rule === RULE)).toEqual([]);
  });

  it('keeps CRLF line endings and the BOM', () => {
    const dir = writeProject(one(`\uFEFF${mini({ upgrade: [USED] }).replace(/\n/g, '\r\n')}`));
    lintDir(dir, {}, { fix: true });
    const text = fixed(dir);
    expect(text.startsWith('\uFEFF"""')).toBe(true);
    expect(text).toContain('import sqlalchemy as sa\r\nimport sqlmodel\r\n');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('inserts after the last import when there is no `import sqlalchemy as sa`', () => {
    const text = ['"""add hero"""', 'from alembic import op', 'from sqlalchemy import Column', "revision = 'a1b2c3d4e5f6'", '', 'def upgrade():', USED, ''].join('\n');
    const dir = writeProject(one(text));
    lintDir(dir, {}, { fix: true });
    expect(fixed(dir).split('\n').slice(0, 4)).toEqual(['"""add hero"""', 'from alembic import op', 'from sqlalchemy import Column', 'import sqlmodel']);
  });
});

describe(`${RULE}: approval`, () => {
  it('an ignore-file with a reason approves the "always" finding at line 1', () => {
    const text = mini({ line4: '# migration-lint: ignore-file missing-sqlmodel-import -- written before the project used SQLModel', upgrade: ['    pass'] });
    const result = lintProject(one(text), { sqlmodelImport: 'always' });
    expect(result.diagnostics.filter((d) => d.rule === RULE || d.rule === 'invalid-suppression')).toEqual([]);
    expect(result.suppressed.map(briefId)).toEqual([pos(1, 1, 1, 1, 'notImported')]);
  });
});
