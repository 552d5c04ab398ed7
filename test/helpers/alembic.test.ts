/** The tests' copy of Alembic's generic template is Alembic's, not a memory of it. */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SQLMODEL_TEMPLATE, STOCK_TEMPLATE } from './alembic.js';

const INSTALLED = '/usr/lib/python3/dist-packages/alembic/templates/generic/script.py.mako';

describe('test/helpers/alembic.ts', () => {
  it.runIf(fs.existsSync(INSTALLED))("STOCK_TEMPLATE is the installed Alembic's generic script.py.mako (plus a final newline)", () => {
    expect(STOCK_TEMPLATE).toBe(`${fs.readFileSync(INSTALLED, 'utf8').replace(/\n?$/, '')}\n`);
  });

  it('SQLMODEL_TEMPLATE adds only `import sqlmodel`, after the sqlalchemy import', () => {
    expect(SQLMODEL_TEMPLATE.split('\n').filter((l) => !STOCK_TEMPLATE.split('\n').includes(l))).toEqual(['import sqlmodel']);
    expect(SQLMODEL_TEMPLATE).toContain('import sqlalchemy as sa\nimport sqlmodel\n');
  });
});
