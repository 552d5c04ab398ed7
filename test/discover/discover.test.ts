/**
 * Finding the migrations: every layout is written to a temp dir and
 * discovered as `npx migration-lint` run at its root would find it.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover } from '../../src/discover/environments.js';
import type { DiscoveredEnvironment } from '../../src/model/environment.js';
import { MigrationLintError } from '../../src/errors.js';
import { run } from '../cli/run.js';
import { envFiles, mig, rel, tree } from './tree.js';

/** An environment reduced to what the tests compare, paths relative to the tree's root. */
function shape(root: string, env: DiscoveredEnvironment) {
  return {
    versionDirs: rel(root, env.versionDirs),
    files: rel(root, env.files),
    template: env.templatePath === null ? null : rel(root, env.templatePath)[0],
    recursive: env.recursive,
  };
}

function found(root: string, paths: string[] = [], versions: string[] | null = null) {
  const d = discover(root, paths, versions);
  return d.environments.map((e) => shape(root, e));
}

const INI = (body: string) => `# A generic, single database configuration.\n\n${body}\n\n[loggers]\nkeys = root,sqlalchemy,alembic\n\n[handlers]\nkeys = console\n\n[formatters]\nkeys = generic\n\n[logger_root]\nlevel = WARN\nhandlers = console\nqualname =\n`;

describe('explicit paths', () => {
  const layout = () =>
    tree({
      'alembic.ini': INI('[alembic]\nscript_location = alembic\n'),
      ...envFiles('alembic', { 'a1_first.py': mig('a1'), 'b2_second.py': mig('b2', 'a1') }),
    });

  it('a file: only that file is a target, its whole environment is read for graph rules', () => {
    const root = layout();
    const d = discover(root, ['alembic/versions/b2_second.py'], null);
    expect(rel(root, d.explicitFiles!)).toEqual(['alembic/versions/b2_second.py']);
    expect(d.environments.map((e) => shape(root, e))).toEqual([
      { versionDirs: ['alembic/versions'], files: ['alembic/versions/a1_first.py', 'alembic/versions/b2_second.py'], template: 'alembic/script.py.mako', recursive: false },
    ]);
  });

  it('two files of one environment give one environment', () => {
    const root = layout();
    const d = discover(root, ['alembic/versions/a1_first.py', path.join(root, 'alembic/versions/b2_second.py')], null);
    expect(d.environments).toHaveLength(1);
    expect(rel(root, d.explicitFiles!)).toEqual(['alembic/versions/a1_first.py', 'alembic/versions/b2_second.py']);
  });

  it('a versions folder, an environment folder and a project folder all find the same environment', () => {
    const root = layout();
    const expected = [{ versionDirs: ['alembic/versions'], files: ['alembic/versions/a1_first.py', 'alembic/versions/b2_second.py'], template: 'alembic/script.py.mako', recursive: false }];
    expect(found(root, ['alembic/versions'])).toEqual(expected);
    expect(found(root, ['alembic'])).toEqual(expected);
    expect(found(root, ['.'])).toEqual(expected);
    expect(discover(root, ['alembic/versions'], null).explicitFiles).toBeNull();
  });

  it('a plain folder of migrations with no Alembic around it', () => {
    const root = tree({ 'migs/x1_a.py': mig('x1'), 'migs/notes.txt': 'hi' });
    expect(found(root, ['migs'])).toEqual([{ versionDirs: ['migs'], files: ['migs/x1_a.py'], template: null, recursive: false }]);
  });

  it('a file in a nested versions folder of a recursive environment keeps the ini settings', () => {
    const root = tree({
      'alembic.ini': INI('[alembic]\nscript_location = alembic\nrecursive_version_locations = true\n'),
      ...envFiles('alembic', { 'a1_first.py': mig('a1'), 'kilo/b2_second.py': mig('b2', 'a1') }),
    });
    const d = discover(root, ['alembic/versions/kilo/b2_second.py'], null);
    expect(d.environments.map((e) => shape(root, e))).toEqual([
      { versionDirs: ['alembic/versions'], files: ['alembic/versions/a1_first.py', 'alembic/versions/kilo/b2_second.py'], template: 'alembic/script.py.mako', recursive: true },
    ]);
  });

  it('files that are not revisions are left out (a hook may pass every staged file)', () => {
    const more = tree({
      ...envFiles('alembic', { 'a1_first.py': mig('a1') }),
      'alembic/versions/__init__.py': '',
      'alembic/README': 'x',
      'app/models.py': 'from sqlmodel import SQLModel\n\nclass Hero(SQLModel, table=True):\n    id: int\n',
      'loose/0001_initial.py': `revision: str = '0001'\ndown_revision = None\n`,
    });
    const d = discover(more, ['alembic/env.py', 'alembic/README', 'alembic/versions/__init__.py', 'app/models.py', 'loose/0001_initial.py', 'alembic/versions/a1_first.py'], null);
    expect(rel(more, d.explicitFiles!)).toEqual(['loose/0001_initial.py', 'alembic/versions/a1_first.py']);
    expect(d.environments.map((e) => rel(more, e.versionDirs))).toEqual([['loose'], ['alembic/versions']]);
  });

  it('a folder and a file together: every migration of the folder is a target, as is the file', () => {
    const root = tree({ ...envFiles('alembic', { 'a1_first.py': mig('a1'), 'b2_second.py': mig('b2', 'a1') }), 'loose/c3_x.py': mig('c3') });
    const d = discover(root, ['loose/c3_x.py', 'alembic/versions'], null);
    expect(rel(root, d.explicitFiles!)).toEqual(['loose/c3_x.py', 'alembic/versions/a1_first.py', 'alembic/versions/b2_second.py']);
  });

  it('only script.py.mako: its environment, no migration targeted', () => {
    const root = layout();
    const d = discover(root, ['alembic/script.py.mako'], null);
    expect(d.explicitFiles).toEqual([]);
    expect(d.environments.map((e) => rel(root, e.templatePath!))).toEqual([['alembic/script.py.mako']]);
  });

  it('a path that does not exist is a usage error naming it', () => {
    const root = layout();
    expect(() => discover(root, ['alembic/versions/nope.py'], null)).toThrowError(MigrationLintError);
    expect(() => discover(root, ['alembic/versions/nope.py'], null)).toThrowError(/alembic\/versions\/nope\.py/);
  });
});

describe('config `versions`', () => {
  it('each folder is an environment, with the template beside a versions folder', () => {
    const root = tree({ ...envFiles('db/one', { 'a1_x.py': mig('a1') }), 'db/two/b1_y.py': mig('b1') });
    expect(found(root, [], [path.join(root, 'db/one/versions'), path.join(root, 'db/two')])).toEqual([
      { versionDirs: ['db/one/versions'], files: ['db/one/versions/a1_x.py'], template: 'db/one/script.py.mako', recursive: false },
      { versionDirs: ['db/two'], files: ['db/two/b1_y.py'], template: null, recursive: false },
    ]);
  });

  it('wins over an alembic.ini', () => {
    const root = tree({
      'alembic.ini': INI('[alembic]\nscript_location = alembic\n'),
      ...envFiles('alembic', { 'a1_x.py': mig('a1') }),
      'other/b1_y.py': mig('b1'),
    });
    expect(found(root, [], [path.join(root, 'other')]).map((e) => e.files)).toEqual([['other/b1_y.py']]);
  });

  it('takes the ini settings (recursive) of the environment whose versions folder it names', () => {
    const root = tree({
      'alembic.ini': INI('[alembic]\nscript_location = alembic\nrecursive_version_locations = true\n'),
      ...envFiles('alembic', { 'a1_x.py': mig('a1'), 'sub/b1_y.py': mig('b1', 'a1') }),
    });
    expect(found(root, [], [path.join(root, 'alembic/versions')])).toEqual([
      { versionDirs: ['alembic/versions'], files: ['alembic/versions/a1_x.py', 'alembic/versions/sub/b1_y.py'], template: 'alembic/script.py.mako', recursive: true },
    ]);
  });

  it('a folder that does not exist is an error naming it', () => {
    const root = tree({ 'x/': '' });
    expect(() => discover(root, [], [path.join(root, 'db/missing')])).toThrowError(/db\/missing/);
  });
});

describe('alembic.ini', () => {
  it('at the root, script_location relative to the ini', () => {
    const root = tree({ 'alembic.ini': INI('[alembic]\nscript_location = alembic\n'), ...envFiles('alembic', { 'a1_x.py': mig('a1') }) });
    expect(found(root)).toEqual([{ versionDirs: ['alembic/versions'], files: ['alembic/versions/a1_x.py'], template: 'alembic/script.py.mako', recursive: false }]);
  });

  it("script_location written from the repository's top (`alembic -c keep/alembic.ini` run there): resolved from the folder above that holds it", () => {
    const root = tree({
      'keep/alembic.ini': INI('[alembic]\nscript_location = keep/api/migrations\nprepend_sys_path = .\n'),
      ...envFiles('keep/api/migrations', { 'a1_first.py': mig('a1') }),
    });
    expect(found(root)).toEqual([{ versionDirs: ['keep/api/migrations/versions'], files: ['keep/api/migrations/versions/a1_first.py'], template: 'keep/api/migrations/script.py.mako', recursive: false }]);
    const d = discover(root, [], null);
    expect(d.environments[0]!.runDir).toBe(root);
    // Relative to the ini when it is there: no run folder of its own.
    const plain = tree({ 'alembic.ini': INI('[alembic]\nscript_location = alembic\n'), ...envFiles('alembic', { 'a1_x.py': mig('a1') }) });
    expect(discover(plain, [], null).environments[0]!.runDir).toBeUndefined();
  });

  it('a script_location found nowhere still stops the run, naming it', () => {
    const root = tree({ 'keep/alembic.ini': INI('[alembic]\nscript_location = keep/nowhere\n') });
    expect(() => discover(root, [], null)).toThrowError(/script_location = keep\/nowhere: no such folder/);
  });

  it('FastAPI full-stack template: backend/alembic.ini with script_location = app/alembic, run from the repo root', () => {
    const root = tree({
      'backend/alembic.ini': INI('[alembic]\nscript_location = app/alembic\nprepend_sys_path = .\nversion_path_separator = os  # Use os.pathsep. Default configuration used for new projects.\n'),
      ...envFiles('backend/app/alembic', { 'e2412789c190_initialize_models.py': mig('e2412789c190') }),
      'frontend/package.json': '{}',
    });
    expect(found(root)).toEqual([
      {
        versionDirs: ['backend/app/alembic/versions'],
        files: ['backend/app/alembic/versions/e2412789c190_initialize_models.py'],
        template: 'backend/app/alembic/script.py.mako',
        recursive: false,
      },
    ]);
  });

  it('expands %(here)s, and [DEFAULT] values', () => {
    const root = tree({
      'alembic.ini': INI('[DEFAULT]\ndb_dir = %(here)s/db\n\n[alembic]\nscript_location = %(db_dir)s/migrations\n'),
      ...envFiles('db/migrations', { 'a1_x.py': mig('a1') }),
    });
    expect(found(root).map((e) => e.versionDirs)).toEqual([['db/migrations/versions']]);
  });

  it('continuation lines (across a blank line), `key: value`, comments and upper-case keys read as configparser reads them', () => {
    const root = tree({
      'alembic.ini': INI('[alembic]\n; a comment\nScript_Location: alembic\nversion_locations =\n    %(here)s/v1\n\n    # the second\n    %(here)s/v2\npath_separator = newline\n'),
      ...envFiles('alembic', {}),
      'v1/a1_x.py': mig('a1'),
      'v2/b1_y.py': mig('b1', 'a1'),
    });
    expect(found(root)).toEqual([{ versionDirs: ['v1', 'v2'], files: ['v1/a1_x.py', 'v2/b1_y.py'], template: 'alembic/script.py.mako', recursive: false }]);
  });

  const locations = (sep: string | null, value: string, key = 'version_path_separator') =>
    tree({
      'alembic.ini': INI(`[alembic]\nscript_location = alembic\nversion_locations = ${value}\n${sep === null ? '' : `${key} = ${sep}\n`}`),
      ...envFiles('alembic', { 'a1_x.py': mig('a1') }),
      'extra/b1_y.py': mig('b1', 'a1'),
      'more/c1_z.py': mig('c1', 'b1'),
    });
  const BOTH = ['alembic/versions', 'extra'];

  it.each([
    ['os', '%(here)s/alembic/versions' + path.delimiter + '%(here)s/extra'],
    [':', '%(here)s/alembic/versions:%(here)s/extra'],
    [';', '%(here)s/alembic/versions;%(here)s/extra'],
    ['space', '%(here)s/alembic/versions %(here)s/extra'],
    ['os  # Use os.pathsep. Default configuration used for new projects.', '%(here)s/alembic/versions' + path.delimiter + '%(here)s/extra'],
  ])('version_locations split on version_path_separator = %s', (sep, value) => {
    const root = locations(sep, value);
    expect(found(root).map((e) => e.versionDirs)).toEqual([BOTH]);
  });

  it.each([
    ['newline', '\n    %(here)s/alembic/versions\n    %(here)s/extra'],
    ['space', '%(here)s/alembic/versions %(here)s/extra'],
    [';', '%(here)s/alembic/versions;%(here)s/extra'],
  ])('version_locations split on the newer path_separator = %s', (sep, value) => {
    const root = locations(sep, value, 'path_separator');
    expect(found(root).map((e) => e.versionDirs)).toEqual([BOTH]);
  });

  it('path_separator wins over version_path_separator, as in Alembic 1.16', () => {
    const root = tree({
      'alembic.ini': INI('[alembic]\nscript_location = alembic\nversion_locations = %(here)s/alembic/versions;%(here)s/extra\npath_separator = ;\nversion_path_separator = space\n'),
      ...envFiles('alembic', { 'a1_x.py': mig('a1') }),
      'extra/b1_y.py': mig('b1', 'a1'),
    });
    expect(found(root).map((e) => e.versionDirs)).toEqual([BOTH]);
  });

  it('without a separator setting, splits on spaces and commas (legacy)', () => {
    const root = locations(null, '%(here)s/alembic/versions, %(here)s/extra %(here)s/more');
    expect(found(root).map((e) => e.versionDirs)).toEqual([['alembic/versions', 'extra', 'more']]);
  });

  it('version_locations replaces script_location/versions', () => {
    const root = locations('space', '%(here)s/extra');
    expect(found(root)).toEqual([{ versionDirs: ['extra'], files: ['extra/b1_y.py'], template: 'alembic/script.py.mako', recursive: false }]);
  });

  it('recursive_version_locations = true reads nested folders (OpenStack keeps one per release)', () => {
    const files = {
      ...envFiles('alembic', { 'a1_init.py': mig('a1'), 'kilo/expand/b1_x.py': mig('b1', 'a1'), 'kilo/contract/c1_y.py': mig('c1', 'a1'), 'liberty/d1_z.py': mig('d1', 'b1') }),
      'alembic/versions/kilo/CONTRACT_HEAD': 'c1\n',
      'alembic/versions/kilo/__init__.py': '',
      'alembic/versions/kilo/__pycache__/b1_x.cpython-311.py': 'stale',
    };
    const rec = tree({ 'alembic.ini': INI('[alembic]\nscript_location = alembic\nrecursive_version_locations = true\n'), ...files });
    expect(found(rec)).toEqual([
      {
        versionDirs: ['alembic/versions'],
        files: ['alembic/versions/a1_init.py', 'alembic/versions/kilo/contract/c1_y.py', 'alembic/versions/kilo/expand/b1_x.py', 'alembic/versions/liberty/d1_z.py'],
        template: 'alembic/script.py.mako',
        recursive: true,
      },
    ]);
    // Alembic compares the value with "true" exactly; anything else leaves nested folders unread.
    const flat = tree({ 'alembic.ini': INI('[alembic]\nscript_location = alembic\nrecursive_version_locations = false\n'), ...files });
    expect(found(flat)[0]!.files).toEqual(['alembic/versions/a1_init.py']);
  });

  it('file_template is passed on with %% unescaped', () => {
    const root = tree({
      'alembic.ini': INI('[alembic]\nscript_location = alembic\nfile_template = %%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s\n'),
      ...envFiles('alembic', { '2024_01_31_1200-abc123_add_user.py': mig('abc123') }),
    });
    const d = discover(root, [], null);
    expect(d.environments[0]!.fileTemplate).toBe('%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s');
    expect(rel(root, d.environments[0]!.files)).toEqual(['alembic/versions/2024_01_31_1200-abc123_add_user.py']);
  });

  it.each([
    ['myapp:db/migrations', 'myapp/db/migrations', {}],
    ['myapp.store:migrations', 'src/myapp/store/migrations', {}],
  ])('package-form script_location %s resolves to the package folder in the repo', (loc, dir) => {
    const root = tree({
      'alembic.ini': INI(`[alembic]\nscript_location = ${loc}\n`),
      [`${dir.split('/').slice(0, -1).join('/')}/__init__.py`]: '',
      ...envFiles(dir, { 'a1_x.py': mig('a1') }),
    });
    expect(found(root)).toEqual([{ versionDirs: [`${dir}/versions`], files: [`${dir}/versions/a1_x.py`], template: `${dir}/script.py.mako`, recursive: false }]);
  });

  it('several [sections], each its own environment (`alembic -n tenant`), logging sections ignored', () => {
    const root = tree({
      'alembic.ini': INI('[main]\nscript_location = %(here)s/main\nsqlalchemy.url = postgresql:///main\n\n[tenant]\nscript_location = %(here)s/tenant\nsqlalchemy.url = postgresql:///tenant\n'),
      ...envFiles('main', { 'a1_x.py': mig('a1') }),
      ...envFiles('tenant', { 't1_y.py': mig('t1') }),
    });
    const d = discover(root, [], null);
    expect(d.environments.map((e) => [e.name, rel(root, e.files)])).toEqual([
      ['[main] alembic.ini', ['main/versions/a1_x.py']],
      ['[tenant] alembic.ini', ['tenant/versions/t1_y.py']],
    ]);
  });

  it('sections that share one script location (dev/prod URLs under [DEFAULT] script_location) are one environment', () => {
    const root = tree({
      'alembic.ini': INI('[DEFAULT]\nscript_location = alembic\n\n[dev]\nsqlalchemy.url = sqlite:///dev.db\n\n[prod]\nsqlalchemy.url = postgresql:///prod\n'),
      ...envFiles('alembic', { 'a1_x.py': mig('a1') }),
    });
    expect(found(root)).toEqual([{ versionDirs: ['alembic/versions'], files: ['alembic/versions/a1_x.py'], template: 'alembic/script.py.mako', recursive: false }]);
  });

  it('script_location in pyproject.toml [tool.alembic] (Alembic 1.16 pyproject template)', () => {
    const root = tree({
      'pyproject.toml': '[project]\nname = "x"\n\n[tool.alembic]\nscript_location = "%(here)s/migrations"\nversion_locations = ["%(here)s/migrations/versions", "%(here)s/more"]\nrecursive_version_locations = true\nfile_template = "%%(rev)s_%%(slug)s"\n',
      'alembic.ini': INI('[alembic]\nsqlalchemy.url = postgresql:///x\n'),
      ...envFiles('migrations', { 'a1_x.py': mig('a1'), 'sub/a2_y.py': mig('a2', 'a1') }),
      'more/b1_y.py': mig('b1', 'a2'),
    });
    const d = discover(root, [], null);
    expect(d.environments.map((e) => shape(root, e))).toEqual([
      { versionDirs: ['migrations/versions', 'more'], files: ['migrations/versions/a1_x.py', 'migrations/versions/sub/a2_y.py', 'more/b1_y.py'], template: 'migrations/script.py.mako', recursive: true },
    ]);
    expect(d.environments[0]!.fileTemplate).toBe('%(rev)s_%(slug)s');
  });
});

describe('defaults and the repository search', () => {
  it('backend/alembic/versions without an ini', () => {
    const root = tree({ ...envFiles('backend/alembic', { 'a1_x.py': mig('a1') }) });
    expect(found(root)).toEqual([{ versionDirs: ['backend/alembic/versions'], files: ['backend/alembic/versions/a1_x.py'], template: 'backend/alembic/script.py.mako', recursive: false }]);
  });

  it('Flask-Migrate (CTFd): migrations/alembic.ini with no script_location', () => {
    const root = tree({
      'migrations/alembic.ini':
        '# A generic, single database configuration.\n\n[alembic]\n# template used to generate migration files\n# file_template = %%(rev)s_%%(slug)s\n\n# set to \'true\' to run the environment during\n# the \'revision\' command, regardless of autogenerate\n# revision_environment = false\n\n\n# Logging configuration\n[loggers]\nkeys = root,sqlalchemy,alembic\n',
      ...envFiles('migrations', { '2022-02-21-19.56.24_6b0f5f32d602_initial.py': mig('6b0f5f32d602'), '0042_kilo.py': mig('0042', '6b0f5f32d602') }),
      'migrations/README': 'Single-database configuration for Flask.\n',
      'CTFd/__init__.py': '',
    });
    expect(found(root)).toEqual([
      {
        versionDirs: ['migrations/versions'],
        files: ['migrations/versions/0042_kilo.py', 'migrations/versions/2022-02-21-19.56.24_6b0f5f32d602_initial.py'],
        template: 'migrations/script.py.mako',
        recursive: false,
      },
    ]);
  });

  it('an environment folder (env.py + script.py.mako + versions/) anywhere in the repo', () => {
    const root = tree({ ...envFiles('services/billing/db', { 'a1_x.py': mig('a1') }) });
    expect(found(root).map((e) => e.versionDirs)).toEqual([['services/billing/db/versions']]);
  });

  it('several environments in one repo are each found', () => {
    const root = tree({
      'svc-a/alembic.ini': INI('[alembic]\nscript_location = %(here)s/alembic\n'),
      ...envFiles('svc-a/alembic', { 'a1_x.py': mig('a1') }),
      ...envFiles('svc-b/migrations', { 'b1_x.py': mig('b1') }),
    });
    expect(found(root).map((e) => e.versionDirs)).toEqual([['svc-a/alembic/versions'], ['svc-b/migrations/versions']]);
  });

  it('skips node_modules, .venv and .git', () => {
    const root = tree({
      ...envFiles('node_modules/pkg/migrations', { 'a1_x.py': mig('a1') }),
      ...envFiles('.venv/lib/site/migrations', { 'b1_x.py': mig('b1') }),
      ...envFiles('.git/x/migrations', { 'c1_x.py': mig('c1') }),
      'node_modules/pkg/alembic.ini': INI('[alembic]\nscript_location = migrations\n'),
      ...envFiles('app/migrations', { 'd1_x.py': mig('d1') }),
    });
    expect(found(root).map((e) => e.versionDirs)).toEqual([['app/migrations/versions']]);
  });

  it('what counts is what Alembic loads: *.py but __init__.py and editor lock files', () => {
    const root = tree({
      ...envFiles('alembic', { 'a1_x.py': mig('a1'), '__init__.py': '' }),
      'alembic/versions/README.md': '# notes\n',
      'alembic/versions/CONTRACT_HEAD': 'a1\n',
      'alembic/versions/a1_x.pyc': 'binary',
      'alembic/versions/.#a1_x.py': 'emacs lock',
      'alembic/versions/__pycache__/a1_x.cpython-311.pyc': 'binary',
      'alembic.ini': INI('[alembic]\nscript_location = alembic\n'),
    });
    expect(found(root)[0]!.files).toEqual(['alembic/versions/a1_x.py']);
  });
});

describe('errors at the CLI edge', () => {
  it('a path that does not exist: exit 2, the path named, no stack trace', async () => {
    const root = tree({ ...envFiles('alembic', { 'a1_x.py': mig('a1') }) });
    const r = await run(['alembic/versions/missing.py'], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('migration-lint: no such file or folder: alembic/versions/missing.py\n');
    expect(r.stdout).toBe('');
  });

  it('nothing found: exit 2 saying where it looked', async () => {
    const root = tree({ 'src/app.py': 'print(1)\n', '.git/': '' });
    const r = await run([], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^migration-lint: no Alembic migrations found: looked in alembic\.ini, backend\/alembic\.ini, backend\/alembic\/versions, /);
    expect(r.stderr).toMatch(/env\.py \+ script\.py\.mako \+ versions/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('an ini whose script_location does not exist is named in the message', async () => {
    const root = tree({ 'alembic.ini': INI('[alembic]\nscript_location = db/alembic\n'), '.git/': '' });
    const r = await run([], root);
    expect(r.code).toBe(2);
    // Alembic stops on it ("Path doesn't exist"): an error naming the file and the key, no search elsewhere.
    expect(r.stderr).toContain('alembic.ini: [alembic] script_location = db/alembic: no such folder db/alembic (Alembic refuses this file)');
  });

  it('a folder with no migrations: exit 2 naming it', async () => {
    const root = tree({ 'empty/': '', '.git/': '' });
    const r = await run(['empty'], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('looked in empty');
  });
});
