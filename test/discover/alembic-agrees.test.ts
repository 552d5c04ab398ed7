/**
 * Discovery against the reference: for each layout, real Alembic (Debian's python3-alembic, run as
 * `ScriptDirectory.from_config`) lists the revision files it loads, and discovery must find exactly those.
 * Alembic 1.8 predates `recursive_version_locations` and `path_separator`; those are covered by
 * discover.test.ts against Alembic's documented behaviour.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { discover } from '../../src/discover/environments.js';
import { envFiles, mig, rel, tree } from './tree.js';

const PYTHON = '/usr/bin/python3';
const hasAlembic = spawnSync(PYTHON, ['-c', 'import alembic, sqlmodel'], { encoding: 'utf8' }).status === 0;
// CI installs python3-alembic, so there a missing Alembic is a failure, not a reason to skip.
const suite = hasAlembic || process.env.CI ? describe : describe.skip;

// One Python process for every layout: importing Alembic and SQLModel costs seconds each time.
const LIST = `
import json, os, sys
from alembic.config import Config
from alembic.script import ScriptDirectory
out = []
for cwd, ini, section in json.load(sys.stdin):
    os.chdir(cwd)
    sys.path.insert(0, cwd)
    sd = ScriptDirectory.from_config(Config(ini, ini_section=section))
    out.append(sorted(os.path.abspath(s.path) for s in sd.walk_revisions("base", "heads")))
    sys.path.remove(cwd)
print(json.dumps(out))
`;

const queries: { root: string; ini: string; section: string }[] = [];
let answers: string[][] | null = null;

/**
 * The files real Alembic loads for `section` of `root/ini`, relative to root, run where the ini is, as users
 * do. Registered while the suite is collected, answered in one batch before the tests run.
 */
function alembicFiles(root: string, ini: string, section = 'alembic'): () => string[] {
  const i = queries.push({ root, ini, section }) - 1;
  return () => rel(root, answers![i]!).sort();
}

function askAlembic(): void {
  const input = JSON.stringify(queries.map((q) => [path.join(q.root, path.dirname(q.ini)), path.basename(q.ini), q.section]));
  const r = spawnSync(PYTHON, ['-c', LIST], { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`alembic failed: ${r.stderr}`);
  answers = JSON.parse(r.stdout) as string[][];
}

function ours(root: string, cwd = root): string[][] {
  return discover(cwd, [], null).environments.map((e) => rel(root, e.files).sort());
}

const INI = (body: string) => `${body}\n\n[loggers]\nkeys = root\n\n[handlers]\nkeys = console\n\n[formatters]\nkeys = generic\n\n[logger_root]\nlevel = WARN\nhandlers = console\n`;
const chain = { 'a1_first.py': mig('a1'), 'b2_second.py': mig('b2', 'a1') };

interface Case {
  name: string;
  files: Record<string, string>;
  /** The ini and the sections Alembic is asked about, one environment each, in discovery's order. */
  ini: string;
  sections?: string[];
  /** What Alembic must load (checked too, so that a layout Alembic reads differently is noticed). */
  expected?: string[][];
}

const CASES: Case[] = [
  {
    name: 'script_location relative to the ini, with files Alembic skips beside the revisions',
    files: {
      'alembic.ini': INI('[alembic]\nscript_location = alembic\n'),
      ...envFiles('alembic', { ...chain, '__init__.py': '', '.#b2_second.py': 'lock' }),
      'alembic/versions/README.md': 'notes',
      'alembic/versions/CONTRACT_HEAD': 'b2',
    },
    ini: 'alembic.ini',
    expected: [['alembic/versions/a1_first.py', 'alembic/versions/b2_second.py']],
  },
  {
    name: 'FastAPI template: backend/alembic.ini, script_location = app/alembic, found from the repo root',
    files: { 'backend/alembic.ini': INI('[alembic]\nscript_location = app/alembic\nprepend_sys_path = .\n'), ...envFiles('backend/app/alembic', chain) },
    ini: 'backend/alembic.ini',
    expected: [['backend/app/alembic/versions/a1_first.py', 'backend/app/alembic/versions/b2_second.py']],
  },
  ...(
    [
      ['os', ':'],
      [':', ':'],
      [';', ';'],
      ['space', ' '],
      [null, ', '],
    ] as const
  ).map(([sep, joiner]) => ({
    name: `version_locations with version_path_separator = ${sep}`,
    files: {
      'alembic.ini': INI(`[alembic]\nscript_location = %(here)s/alembic\nversion_locations = %(here)s/alembic/versions${joiner}%(here)s/more\n${sep ? `version_path_separator = ${sep}\n` : ''}`),
      ...envFiles('alembic', { 'a1_first.py': mig('a1') }),
      'more/b2_second.py': mig('b2', 'a1'),
      'more/c3_third.py': mig('c3', 'b2'),
    },
    ini: 'alembic.ini',
    expected: [['alembic/versions/a1_first.py', 'more/b2_second.py', 'more/c3_third.py']],
  })),
  {
    name: 'package-form script_location (myapp:db/migrations)',
    files: { 'alembic.ini': INI('[alembic]\nscript_location = myapp:db/migrations\nprepend_sys_path = .\n'), 'myapp/__init__.py': '', ...envFiles('myapp/db/migrations', chain) },
    ini: 'alembic.ini',
    expected: [['myapp/db/migrations/versions/a1_first.py', 'myapp/db/migrations/versions/b2_second.py']],
  },
  {
    name: 'several [sections], each read with `-n`',
    files: {
      'alembic.ini': INI('[DEFAULT]\nbase = %(here)s/envs\n\n[main]\nscript_location = %(base)s/main\n\n[tenant]\nscript_location = %(base)s/tenant\n'),
      ...envFiles('envs/main', chain),
      ...envFiles('envs/tenant', { 't1_x.py': mig('t1') }),
    },
    ini: 'alembic.ini',
    sections: ['main', 'tenant'],
    expected: [['envs/main/versions/a1_first.py', 'envs/main/versions/b2_second.py'], ['envs/tenant/versions/t1_x.py']],
  },
  {
    name: 'file names that are not module names, and revision ids that are not hex',
    files: {
      'alembic.ini': INI('[alembic]\nscript_location = alembic\nfile_template = %%(year)d-%%(month).2d-%%(day).2d_%%(rev)s_%%(slug)s\n'),
      ...envFiles('alembic', { '2022-02-21-19.56.24_6b0f5f32d602_initial.py': mig('6b0f5f32d602'), '0042_kilo.py': mig('0042', '6b0f5f32d602'), 'zed_expand01.py': mig('zed_expand01', '0042') }),
    },
    ini: 'alembic.ini',
    expected: [['alembic/versions/0042_kilo.py', 'alembic/versions/2022-02-21-19.56.24_6b0f5f32d602_initial.py', 'alembic/versions/zed_expand01.py']],
  },
];

suite('discovery finds what Alembic loads', () => {
  const prepared = CASES.map((c) => {
    const root = tree(c.files);
    return { c, root, answers: (c.sections ?? ['alembic']).map((section) => alembicFiles(root, c.ini, section)) };
  });
  beforeAll(askAlembic);

  it.each(prepared.map((p) => [p.c.name, p] as const))('%s', (_name, { c, root, answers: got }) => {
    const alembic = got.map((f) => f());
    if (c.expected) expect(alembic).toEqual(c.expected);
    expect(ours(root)).toEqual(alembic);
  });
});
