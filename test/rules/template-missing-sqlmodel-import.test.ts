import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { STOCK_TEMPLATE, SQLMODEL_TEMPLATE, lintDir, mini, writeProject, type ProjectSpec } from './helpers.js';
import { byId, lintFixtureIds, lintRuleIds } from './message-ids.js';

const RULE = 'template-missing-sqlmodel-import';
const TEMPLATE = 'alembic/script.py.mako';
const pos = (line: number, column: number, endLine: number, endColumn: number) => ({
  rule: RULE,
  file: TEMPLATE,
  line,
  column,
  endLine,
  endColumn,
  ...byId(RULE, 'template'),
});
const plain = mini({ upgrade: ["    op.add_column('hero', sa.Column('age', sa.Integer()))"] });
const using = mini({ upgrade: ["    op.add_column('hero', sa.Column('name', sqlmodel.sql.sqltypes.AutoString()))"] });
const project = (template: string | null, migration = plain): ProjectSpec => ({ template, versions: { 'a1b2c3d4e5f6_add_hero.py': migration } });
/** A template whose line 3 is `import sqlalchemy as sa` and line 4 the import under test. */
const withImport = (line4: string) => `"""\${message}"""\nfrom alembic import op\nimport sqlalchemy as sa\n${line4}\n\nrevision = \${repr(up_revision)}\n`;

fixtureSuite(RULE);

describe(`${RULE}: the fixture of missing-sqlmodel-import`, () => {
  it('reports the stock template of a project whose migration uses sqlmodel without importing it', () => {
    // No pyproject.toml names sqlmodel there: the migration's use of `sqlmodel.` is the evidence.
    expect(lintFixtureIds(RULE, '../missing-sqlmodel-import/bad')).toEqual([pos(9, 1, 9, 24)]);
  });
});

describe(`${RULE}: what counts as importing sqlmodel`, () => {
  const always = { sqlmodelImport: 'always' as const };

  it('accepts `import sqlmodel`, `import sqlmodel.sql.sqltypes` and `import sqlalchemy as sa, sqlmodel`', () => {
    expect(lintRuleIds(RULE, project(withImport('import sqlmodel')), always)).toEqual([]);
    expect(lintRuleIds(RULE, project(withImport('import sqlmodel.sql.sqltypes')), always)).toEqual([]);
    expect(lintRuleIds(RULE, project(withImport('import alembic_utils, sqlmodel  # noqa')), always)).toEqual([]);
  });

  it('reports `import sqlmodel as sm`, `import sqlmodel.sql.sqltypes as st`, `from sqlmodel import …` and a commented import', () => {
    // `import sqlmodel.sql.sqltypes as st` binds `st`: before the fix it passed for an import of sqlmodel.
    for (const line of ['import sqlmodel as sm', 'import sqlmodel.sql.sqltypes as st', 'from sqlmodel import SQLModel', '## import sqlmodel']) {
      expect(lintRuleIds(RULE, project(withImport(line)), always), line).toEqual([pos(3, 1, 3, 24)]);
    }
  });

  it('points at the last import when there is no `import sqlalchemy as sa`, else at the docstring, else at line 1', () => {
    const noSa = '"""${message}"""\nfrom alembic import op\nfrom sqlalchemy import Column\n\nrevision = ${repr(up_revision)}\n';
    expect(lintRuleIds(RULE, project(noSa), always)).toEqual([pos(3, 1, 3, 30)]);
    expect(lintRuleIds(RULE, project('"""${message}"""\nrevision = ${repr(up_revision)}\n'), always)).toEqual([pos(1, 1, 1, 17)]);
    expect(lintRuleIds(RULE, project('revision = ${repr(up_revision)}\n'), always)).toEqual([pos(1, 1, 1, 1)]);
  });
});

describe(`${RULE}: when it applies`, () => {
  it('stays silent in a plain SQLAlchemy project and without a template', () => {
    expect(lintRuleIds(RULE, project(STOCK_TEMPLATE))).toEqual([]);
    expect(lintRuleIds(RULE, project(null, using))).toEqual([]);
  });

  it('applies with sqlmodelImport "always", or "auto" in a SQLModel project', () => {
    expect(lintRuleIds(RULE, project(STOCK_TEMPLATE), { sqlmodelImport: 'always' })).toEqual([pos(9, 1, 9, 24)]);
    const importing = mini({ line4: 'import sqlmodel', upgrade: ['    pass'] });
    expect(lintRuleIds(RULE, project(STOCK_TEMPLATE, importing))).toEqual([pos(9, 1, 9, 24)]);
  });

  it('applies whatever the setting once a migration uses `sqlmodel.`', () => {
    // Before the fix, "when-used" (and "auto" without other evidence) kept the template quiet here.
    expect(lintRuleIds(RULE, project(STOCK_TEMPLATE, using))).toEqual([pos(9, 1, 9, 24)]);
    expect(lintRuleIds(RULE, project(STOCK_TEMPLATE, using), { sqlmodelImport: 'when-used' })).toEqual([pos(9, 1, 9, 24)]);
  });
});

describe(`${RULE}: --fix`, () => {
  it('inserts `import sqlmodel` after `import sqlalchemy as sa`, keeping CRLF', () => {
    const dir = writeProject(project(STOCK_TEMPLATE.replace(/\n/g, '\r\n'), using));
    const result = lintDir(dir, {}, { fix: true });
    expect(result.fixed).toContainEqual({ file: TEMPLATE, description: 'insert `import sqlmodel` in script.py.mako' });
    const text = fs.readFileSync(path.join(dir, TEMPLATE), 'utf8');
    expect(text).toBe(SQLMODEL_TEMPLATE.replace(/\n/g, '\r\n'));
    expect(result.diagnostics.filter((d) => d.rule === RULE)).toEqual([]);
  });
});
