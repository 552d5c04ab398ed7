// Adding a primary key column to a table that holds rows, through Alembic's op.add_column and in SQL: which
// forms PostgreSQL 15 refuses (NOT NULL with nothing to fill the rows) and which pass (SQLAlchemy renders an
// integer primary key as SERIAL, which fills them). not-null-without-default must fire exactly on the refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintLock } from '../rules/lock-helpers.js';
import { createDatabase, dropDatabase, PYTHON, run, type Db } from './helpers.js';

const RULE = 'not-null-without-default';

/** Upgrade lines, each run alone on `hero (id int)` holding three rows. */
const FORMS = [
  "op.add_column('hero', sa.Column('code', sa.Integer(), primary_key=True))",
  "op.add_column('hero', sa.Column('code', sa.BigInteger(), primary_key=True))",
  "op.add_column('hero', sa.Column('code', sa.Integer(), primary_key=True, nullable=False))",
  "op.add_column('hero', sa.Column('code', sa.Integer(), primary_key=True, autoincrement=False))",
  "op.add_column('hero', sa.Column('code', sa.String(), primary_key=True))",
  "op.add_column('hero', sa.Column('code', sa.Integer(), primary_key=True, server_default='0'))",
  "op.add_column('hero', sa.Column('code', sa.Integer(), sa.Identity(), primary_key=True))",
  "op.add_column('hero', sa.Column('code', sa.Integer(), nullable=False))",
  "op.execute('ALTER TABLE hero ADD COLUMN code int PRIMARY KEY')",
  "op.execute('ALTER TABLE hero ADD COLUMN code serial PRIMARY KEY')",
  "op.execute('ALTER TABLE hero ADD COLUMN code int GENERATED ALWAYS AS IDENTITY PRIMARY KEY')",
];

// Each form in its own transaction, rolled back: the error PostgreSQL gives, or null when it passes.
const SCRIPT = `
import json, sys
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
engine = sa.create_engine(sys.argv[1])
out = []
for line in json.loads(sys.argv[2]):
    with engine.connect() as conn:
        trans = conn.begin()
        conn.execute(sa.text("CREATE TABLE hero (id int)"))
        conn.execute(sa.text("INSERT INTO hero SELECT generate_series(1, 3)"))
        op = Operations(MigrationContext.configure(conn))
        try:
            eval(line, {"op": op, "sa": sa})
            out.append(None)
        except sa.exc.DBAPIError as e:
            out.append(str(e.orig).splitlines()[0])
        trans.rollback()
print(json.dumps(out))
`;

let db: Db;
beforeAll(async () => {
  db = await createDatabase();
});
afterAll(async () => {
  if (db) await dropDatabase(db);
});

describe(`${RULE}: a primary key column added to a table with rows`, () => {
  it('fires exactly on the forms PostgreSQL refuses', async () => {
    const r = await run(PYTHON, ['-c', SCRIPT, db.url.replace(/^postgresql:/, 'postgresql+psycopg2:'), JSON.stringify(FORMS)]);
    expect(r.code, r.output).toBe(0);
    const errors = JSON.parse(r.stdout) as (string | null)[];
    const table = FORMS.map((line, i) => ({ line, postgres: errors[i] === null ? 'passes' : errors[i], fires: lintLock(RULE, [`    ${line}`]).length > 0 }));
    for (const row of table) expect(row.fires, `${row.line}: PostgreSQL ${row.postgres}`).toBe(row.postgres !== 'passes');
    // What was measured (so a change in PostgreSQL or SQLAlchemy shows here): the integer primary keys
    // SQLAlchemy renders as SERIAL pass; without a sequence or default the NOT NULL fails on the rows.
    expect(table.map((row) => (row.postgres === 'passes' ? 'passes' : 'refused'))).toEqual([
      'passes', 'passes', 'passes', 'refused', 'refused', 'passes', 'passes', 'refused', 'refused', 'passes', 'passes',
    ]);
    expect(errors.filter((e) => e !== null).every((e) => /contains null values/.test(e!))).toBe(true);
  });
});
