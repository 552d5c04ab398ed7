// The same change, whatever its form, is judged by the same rule (issue 14): an Alembic call, its batch twin,
// the inline parts of a sa.Column, and SQL in op.execute; and the safe recipes are silent, across revisions.
import { describe, expect, it } from 'vitest';
import { BASE, BASE_FILE, lintLock, next, NEXT_FILE } from '../rules/lock-helpers.js';
import { mini } from '../rules/helpers.js';

/** The rules that fire on a revision after BASE (hero, team), without git history. */
function rulesOn(upgrade: string[], only?: string[]): string[] {
  const ids = only ?? [
    'destructive-operation',
    'not-null-without-default',
    'index-not-concurrent',
    'constraint-validated-under-lock',
    'unique-on-existing-table',
    'set-not-null',
    'column-type-change',
    'volatile-default',
  ];
  return ids.filter((id) => lintLock(id, upgrade).length > 0);
}

describe('every form of a change is caught by the rule of its plain Alembic twin', () => {
  it.each([
    ['a ForeignKey in add_column', "    op.add_column('hero', sa.Column('boss_id', sa.Integer(), sa.ForeignKey('team.id'), nullable=True))", 'constraint-validated-under-lock'],
    ['SQL ADD COLUMN … REFERENCES', "    op.execute('ALTER TABLE hero ADD COLUMN boss_id integer REFERENCES team (id)')", 'constraint-validated-under-lock'],
    ['unique=True in add_column', "    op.add_column('hero', sa.Column('code', sa.String(), unique=True, nullable=True))", 'unique-on-existing-table'],
    ['SQL ADD COLUMN … UNIQUE', "    op.execute('ALTER TABLE hero ADD COLUMN code text UNIQUE')", 'unique-on-existing-table'],
    ['SQL ADD COLUMN … PRIMARY KEY', "    op.execute('ALTER TABLE team ADD COLUMN code text PRIMARY KEY')", 'unique-on-existing-table'],
    ['index=True in add_column', "    op.add_column('hero', sa.Column('code', sa.String(), index=True, nullable=True))", 'index-not-concurrent'],
    ['batch_op.create_index', "    with op.batch_alter_table('hero') as batch_op:\n        batch_op.create_index('ix_hero_age', ['age'])", 'index-not-concurrent'],
    ['SQL RENAME COLUMN', "    op.execute('ALTER TABLE hero RENAME COLUMN name TO title')", 'destructive-operation'],
    ['SQL RENAME TO', "    op.execute('ALTER TABLE hero RENAME TO champion')", 'destructive-operation'],
    ['SQL ADD COLUMN … NOT NULL without a default', "    op.execute('ALTER TABLE hero ADD COLUMN rank integer NOT NULL')", 'not-null-without-default'],
    ['a primary key added to an existing table without a default', "    op.add_column('hero', sa.Column('code', sa.String(), primary_key=True))", 'not-null-without-default'],
    ['a user-defined function as server_default', "    op.add_column('hero', sa.Column('code', sa.String(), server_default=sa.text('make_code()')))", 'volatile-default'],
    ['SQL DEFAULT calling a user-defined function', "    op.execute('ALTER TABLE hero ADD COLUMN code text DEFAULT app.make_code()')", 'volatile-default'],
    ['SQL SET NOT NULL', "    op.execute('ALTER TABLE hero ALTER COLUMN age SET NOT NULL')", 'set-not-null'],
    ['SQL ALTER COLUMN TYPE bigint', "    op.execute('ALTER TABLE hero ALTER COLUMN age TYPE bigint')", 'column-type-change'],
  ])('%s', (_name, line, rule) => {
    expect(rulesOn(line.split('\n'))).toContain(rule);
  });
});

describe('safe forms are silent', () => {
  it.each([
    ['cidr → inet', 'postgresql.CIDR()', 'postgresql.INET()'],
    ['timestamp(3) → timestamp', 'postgresql.TIMESTAMP(precision=3)', 'sa.DateTime()'],
    ['time(3) → time', 'postgresql.TIME(precision=3)', 'sa.Time()'],
    ['interval(3) → interval', 'postgresql.INTERVAL(precision=3)', 'sa.Interval()'],
    ['varchar(50) → varchar(200)', 'sa.String(length=50)', 'sa.String(length=200)'],
    ['varchar(50) → text', 'sa.String(length=50)', 'sa.Text()'],
    ['numeric(8,2) → numeric(14,2)', 'sa.Numeric(8, 2)', 'sa.Numeric(14, 2)'],
  ])('%s: neither a rewrite nor a loss', (_name, from, to) => {
    const line = `    op.alter_column('hero', 'name', existing_type=${from}, type_=${to})`;
    expect(rulesOn([line], ['column-type-change', 'destructive-operation'])).toEqual([]);
  });

  it('timestamp → timestamptz loses nothing, and rewrites only outside UTC (said in the message)', () => {
    const line = "    op.alter_column('hero', 'name', existing_type=sa.DateTime(), type_=sa.DateTime(timezone=True))";
    expect(rulesOn([line], ['destructive-operation'])).toEqual([]);
    expect(lintLock('column-type-change', [line]).map((f) => f.message)).toEqual([expect.stringContaining('unless the session TimeZone is UTC')]);
  });

  it('a table created earlier in the same upgrade: dropping, renaming or retyping it is harmless', () => {
    const upgrade = [
      "    op.create_table('tmp', sa.Column('id', sa.Integer(), nullable=False), sa.Column('n', sa.Integer()))",
      "    op.alter_column('tmp', 'n', existing_type=sa.Integer(), type_=sa.SmallInteger())",
      "    op.drop_column('tmp', 'n')",
      "    op.drop_table('tmp')",
      "    op.execute('CREATE TABLE tmp2 (id int); DROP TABLE tmp2')",
    ];
    expect(rulesOn(upgrade)).toEqual([]);
  });
});

describe('history-aware recipes', () => {
  const A = BASE;
  const check = (notValid: boolean) =>
    mini({
      rev: 'b2b2b2b2b2b2',
      down: "'a1a1a1a1a1a1'",
      message: 'check hero age',
      upgrade: [`    op.create_check_constraint('ck_hero_age_nn', 'hero', 'age IS NOT NULL'${notValid ? ', postgresql_not_valid=True' : ''})`],
    });
  const finish = (validate: boolean) =>
    mini({
      rev: 'c3c3c3c3c3c3',
      down: "'b2b2b2b2b2b2'",
      message: 'hero age required',
      upgrade: [
        ...(validate ? ['    with op.get_context().autocommit_block():', "        op.execute('ALTER TABLE hero VALIDATE CONSTRAINT ck_hero_age_nn')"] : []),
        "    op.alter_column('hero', 'age', existing_type=sa.Integer(), nullable=False)",
      ],
    });
  const files = (b: string, c: string) => ({ [BASE_FILE]: A, [NEXT_FILE]: b, 'c3c3c3c3c3c3_hero_age_required.py': c });

  it('CHECK … NOT VALID in one revision, VALIDATE and SET NOT NULL in the next: silent, applied or not', () => {
    expect(lintLock('set-not-null', files(check(true), finish(true)))).toEqual([]);
    expect(lintLock('set-not-null', files(check(true), finish(true)), [BASE_FILE, NEXT_FILE])).toEqual([]);
  });

  it('a check validated when it was added (no NOT VALID) in an earlier revision also proves the column', () => {
    expect(lintLock('set-not-null', files(check(false), finish(false)))).toEqual([]);
  });

  it('never validated: SET NOT NULL still scans', () => {
    expect(lintLock('set-not-null', files(check(true), finish(false))).map((f) => f.line)).toEqual([10]);
  });

  it('a table an unapplied earlier revision of the change created is new: dropping it destroys nothing', () => {
    const create = mini({ rev: 'b2b2b2b2b2b2', down: "'a1a1a1a1a1a1'", message: 'add tmp', upgrade: ["    op.create_table('tmp', sa.Column('id', sa.Integer()))"] });
    const drop = mini({ rev: 'c3c3c3c3c3c3', down: "'b2b2b2b2b2b2'", message: 'drop tmp', upgrade: ["    op.drop_table('tmp')"] });
    const versions = { [BASE_FILE]: A, [NEXT_FILE]: create, 'c3c3c3c3c3c3_drop_tmp.py': drop };
    expect(lintLock('destructive-operation', versions, [BASE_FILE])).toEqual([]);
    // Applied (deployed), the table has rows: the drop is destructive.
    expect(lintLock('destructive-operation', versions, [BASE_FILE, NEXT_FILE])).toHaveLength(1);
  });

  it('the next revision after BASE is the file the lock helpers lint', () => {
    expect(next(['    pass'])).toContain("revision = 'b2b2b2b2b2b2'");
  });
});
