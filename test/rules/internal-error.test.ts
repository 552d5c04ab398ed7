/**
 * The linter's own failures stay on the file they happen on: a failure injected into fact extraction and into
 * one rule (on a file, and on the whole environment) becomes internal-error there, and every other file keeps
 * every finding it had.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { discover } from '../../src/discover/environments.js';
import { lint, type LintResult } from '../../src/index.js';
import { ruleById } from '../../src/rules/index.js';
import type { Rule } from '../../src/rules/types.js';
import { HERO, HERO_FILE, migration, POWER, POWER_FILE, project, tmpDir, VERSIONS } from '../robustness/helpers.js';

const inject = vi.hoisted(() => ({ facts: false }));
const MARK = '# inject a failure here';

vi.mock('../../src/facts/extract.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/facts/extract.js')>();
  return {
    ...real,
    extractFacts: (text: string, ...rest: unknown[]) => {
      if (inject.facts && text.includes(MARK)) throw new RangeError('Maximum call stack size exceeded');
      return (real.extractFacts as (...a: unknown[]) => ReturnType<typeof real.extractFacts>)(text, ...rest);
    },
  };
});

const DROP_FILE = 'c3d4e5f6a7b8_drop_hero_power.py';
const BROKEN_FILE = 'd4e5f6a7b8c9_drop_hero.py';
const DROPPING = { rev: 'c3d4e5f6a7b8', down: POWER.rev, message: 'drop hero power', upgrade: ["op.drop_column('hero', 'power')"] };
const BROKEN = { rev: 'd4e5f6a7b8c9', down: DROPPING.rev, message: 'drop hero', upgrade: [MARK, "op.drop_table('hero')"] };

function run(): LintResult {
  const root = project(tmpDir('internal'), {
    [HERO_FILE]: migration(HERO),
    [POWER_FILE]: migration(POWER),
    [DROP_FILE]: migration(DROPPING),
    [BROKEN_FILE]: migration(BROKEN),
  });
  const found = discover(root, [], null);
  return lint({ cwd: root, environments: found.environments, config: defaultConfig(root) });
}

const findings = (r: LintResult, file: string) => r.diagnostics.filter((d) => d.file === `${VERSIONS}/${file}`).map(({ rule, line, column, message }) => ({ rule, line, column, message }));
const others = (r: LintResult) => [HERO_FILE, POWER_FILE, DROP_FILE].map((f) => findings(r, f));

const restore: (() => void)[] = [];
function breakRule(id: string, part: 'checkFile' | 'checkEnvironment', when: (arg: { file?: { path: string } }) => boolean) {
  const rule = ruleById.get(id)! as Rule;
  const original = rule[part]!;
  rule[part] = ((ctx: { file?: { path: string } }) => {
    if (when(ctx)) throw new TypeError("Cannot read properties of undefined (reading 'name')");
    return (original as (c: unknown) => void)(ctx);
  }) as never;
  restore.push(() => {
    rule[part] = original as never;
  });
}

afterEach(() => {
  inject.facts = false;
  for (const r of restore.splice(0)) r();
});

describe('internal-error', () => {
  const baseline = run();

  it('has nothing to say when nothing fails', () => {
    expect(baseline.diagnostics.filter((d) => d.rule === 'internal-error')).toEqual([]);
    // The files the failures are injected into have findings of their own to lose.
    expect(findings(baseline, BROKEN_FILE).map((f) => f.rule)).toContain('destructive-operation');
    expect(findings(baseline, DROP_FILE).map((f) => f.rule)).toContain('destructive-operation');
  });

  it('a failure reading one file\'s facts is that file\'s internal-error; the others keep every finding', () => {
    inject.facts = true;
    const r = run();
    expect(r.fileCount).toBe(4);
    expect(others(r)).toEqual(others(baseline));
    expect(findings(r, BROKEN_FILE)).toEqual([
      { rule: 'internal-error', line: 1, column: 1, message: 'migration-lint could not judge this file: reading its facts failed: RangeError: Maximum call stack size exceeded' },
    ]);
    expect(r.diagnostics.find((d) => d.rule === 'internal-error')).toMatchObject({ severity: 'error', help: ruleById.get('internal-error')!.meta.help });
  });

  it('a rule that throws on one file: internal-error there naming the rule, its other findings and every other file unchanged', () => {
    breakRule('raw-sql', 'checkFile', (ctx) => ctx.file!.path.endsWith(BROKEN_FILE));
    const r = run();
    expect(others(r)).toEqual(others(baseline));
    const mine = findings(r, BROKEN_FILE);
    expect(mine.filter((f) => f.rule === 'internal-error')).toEqual([
      {
        rule: 'internal-error',
        line: 1,
        column: 1,
        message: "migration-lint could not judge this file: rule raw-sql failed on it: TypeError: Cannot read properties of undefined (reading 'name')",
      },
    ]);
    expect(mine.filter((f) => f.rule !== 'internal-error')).toEqual(findings(baseline, BROKEN_FILE).filter((f) => f.rule !== 'raw-sql'));
  });

  it('a rule that throws on the environment: one internal-error on its first file, every other finding kept', () => {
    breakRule('multiple-heads', 'checkEnvironment', () => true);
    const r = run();
    const internal = r.diagnostics.filter((d) => d.rule === 'internal-error');
    expect(internal.map((d) => [d.file, d.messageId, d.message])).toEqual([
      [`${VERSIONS}/${HERO_FILE}`, 'ruleFailed', expect.stringContaining('rule multiple-heads failed on its environment: TypeError')],
    ]);
    expect(r.diagnostics.filter((d) => d.rule !== 'internal-error')).toEqual(baseline.diagnostics.filter((d) => d.rule !== 'multiple-heads'));
  });
});
