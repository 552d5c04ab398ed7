import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { lintLock, on } from './lock-helpers.js';

const RULE = 'transaction-control';

fixtureSuite(RULE);

describe(`${RULE}`, () => {
  it('reports COMMIT, ROLLBACK, BEGIN and SAVEPOINT in SQL, at the call', () => {
    const commit = "    op.execute('COMMIT')";
    expect(lintLock(RULE, [commit])).toEqual([on(RULE, 10, 5, commit.length + 1, "SQL runs COMMIT: it commits Alembic's transaction halfway")]);
    const found = lintLock(RULE, ["    op.execute('BEGIN; UPDATE hero SET age = 1; ROLLBACK')", "    op.execute(sa.text('SAVEPOINT s1'))", '    op.get_bind().exec_driver_sql("START TRANSACTION")']);
    expect(found.map((f) => [f.line, f.message.slice(0, 18)])).toEqual([
      [10, 'SQL runs BEGIN: it'],
      [10, 'SQL runs ROLLBACK:'],
      [11, 'SQL runs SAVEPOINT'],
      [12, 'SQL runs BEGIN: it'],
    ]);
  });

  it('does not read the words in strings, comments or function bodies', () => {
    expect(
      lintLock(RULE, [
        "    op.execute(\"UPDATE hero SET name = 'COMMIT' -- ROLLBACK\")",
        "    op.execute('CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ SELECT 1 $$')",
      ]),
    ).toEqual([]);
  });
});
