/**
 * Modules on which the sqlmodel resolver that the scope analysis replaced (issue 16) and the scope analysis
 * disagreed, with what CPython does: `uses` are the uses of `sqlmodel` that raise NameError when the module
 * is imported and its upgrade() called, each by the dotted path it starts, in source order. Each text runs as
 * it stands: test/facts/extract.test.ts checks the facts against `uses`, and test/oracle/undefined-name.test.ts
 * checks `uses` against CPython.
 */
const lines = (...l: string[]) => `${l.join('\n')}\n`;

export interface SqlmodelCase {
  what: string;
  code: string;
  uses: string[];
}

export const SQLMODEL_CASES: readonly SqlmodelCase[] = [
  // Never looked up at runtime, or found bound.
  { what: 'under TYPE_CHECKING', code: lines('from typing import TYPE_CHECKING', 'if TYPE_CHECKING:', '    X = sqlmodel.SQLModel'), uses: [] },
  { what: 'postponed annotation', code: lines('from __future__ import annotations', 'def upgrade(t: sqlmodel.AutoString = None):', '    pass'), uses: [] },
  { what: 'local variable annotation', code: lines('def upgrade():', '    x: sqlmodel.AutoString = 1'), uses: [] },
  { what: 'local assignment', code: lines('import sqlalchemy as sa', 'def upgrade():', '    sqlmodel = sa', '    sqlmodel.String()'), uses: [] },
  { what: 'parameter', code: lines('import sqlalchemy as sa', 'def helper(sqlmodel):', '    return sqlmodel.String()', 'def upgrade():', '    helper(sa)'), uses: [] },
  { what: 'walrus', code: lines('import sqlalchemy as sa', 'def upgrade():', '    (sqlmodel := sa)', '    sqlmodel.String()'), uses: [] },
  {
    what: 'for, with and match targets',
    code: lines(
      'import contextlib',
      'import sqlalchemy as sa',
      'for sqlmodel in [sa]:',
      '    pass',
      'with contextlib.nullcontext(sa) as sqlmodel:',
      '    pass',
      'match sa:',
      '    case sqlmodel:',
      '        pass',
      'sqlmodel.String()',
    ),
    uses: [],
  },
  { what: 'tuple assignment', code: lines('import sqlalchemy as sa', 'a, sqlmodel = 1, sa', 'sqlmodel.String()'), uses: [] },
  { what: 'class-body import', code: lines('class T:', '    import sqlmodel', '    X = sqlmodel.AutoString'), uses: [] },
  { what: 'global import in a function', code: lines('def load():', '    global sqlmodel', '    import sqlmodel', 'def upgrade():', '    load()', '    sqlmodel.AutoString()'), uses: [] },
  { what: 'try/except NameError', code: lines('def upgrade():', '    try:', '        sqlmodel', '    except NameError:', '        pass'), uses: [] },
  // Evaluated outside the function that imports sqlmodel, or after the name is unbound.
  {
    what: 'default and annotation of the function that imports it',
    code: lines('def upgrade(t=sqlmodel.AutoString, u: sqlmodel.Enum = None):', '    import sqlmodel', '    sqlmodel.AutoString()'),
    uses: ['sqlmodel.AutoString', 'sqlmodel.Enum'],
  },
  { what: 'after del', code: lines('import sqlmodel', 'del sqlmodel', 'def upgrade():', '    sqlmodel.AutoString()'), uses: ['sqlmodel.AutoString'] },
  { what: 'before a late import', code: lines('X = sqlmodel.AutoString', 'import sqlmodel'), uses: ['sqlmodel.AutoString'] },
  {
    what: 'a method of the class that imports it',
    code: lines('class T:', '    import sqlmodel', '    def m(self):', '        return sqlmodel.AutoString', 'def upgrade():', '    T().m()'),
    uses: ['sqlmodel.AutoString'],
  },
  // Kept from the old resolver, where Python agrees with it.
  { what: 'star import', code: lines('from sqlmodel import *', 'def upgrade():', '    sqlmodel.AutoString()'), uses: ['sqlmodel.AutoString'] },
  {
    what: 'source order, where Python evaluates a later use first',
    code: lines('def upgrade():', '    d = {}', '    d[sqlmodel.a] = sqlmodel.b', '    [sqlmodel.c for x in sqlmodel.d]'),
    uses: ['sqlmodel.a', 'sqlmodel.b', 'sqlmodel.c', 'sqlmodel.d'],
  },
];
