/**
 * Hostile files in a versions folder, each with its defined outcome. The rule that decides: Alembic imports
 * every `*.py` entry of the folder, so each is either linted or reported as that file's parse-error (with why
 * it cannot be read); nothing is skipped silently, nothing hangs, and no file outside the repository is read.
 *
 * Processes (`cli`) where a hang is possible, so that a timeout kills it instead of the test worker.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, type Config } from '../../src/config/load.js';
import { discover } from '../../src/discover/environments.js';
import { workTree } from '../../src/io/source.js';
import type { SourceProvider } from '../../src/model/source.js';
import { lint, type LintResult } from '../../src/index.js';
import { readBytes, UnreadableFileError } from '../../src/io/files.js';
import { cli, expectOneLine, git, HERO, HERO_FILE, IS_ROOT, migration, POWER, POWER_FILE, project, tmpDir, VERSIONS, write } from './helpers.js';

const UNREADABLE_HELP =
  'Alembic imports every *.py in the versions folder: make it a regular, readable Python file inside the repository, or move it out of the folder.';

function lintRoot(root: string, opts: { source?: SourceProvider; config?: Partial<Config> } = {}): LintResult {
  const found = discover(root, [], null);
  return lint({ cwd: root, environments: found.environments, config: { ...defaultConfig(root), ...opts.config }, source: opts.source });
}

const brief = (r: LintResult, rule?: string) =>
  r.diagnostics.filter((d) => !rule || d.rule === rule).map((d) => ({ rule: d.rule, file: d.file, line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn, message: d.message }));

const files = (r: LintResult) => r.environments.flatMap((e) => e.files.map((f) => f.path)).sort();

/** A parse-error at 1:1 saying why the entry could not be read, and nothing else about it. */
const unreadable = (name: string, why: string) => ({ rule: 'parse-error', file: `${VERSIONS}/${name}`, line: 1, column: 1, endLine: 1, endColumn: 1, message: `File is ${why}` });

const DROP = "op.drop_column('hero', 'power')";
const DROPPING = { ...POWER, rev: 'c3d4e5f6a7b8', down: POWER.rev, message: 'drop hero power', upgrade: [DROP] };
const DROP_FILE = 'c3d4e5f6a7b8_drop_hero_power.py';
const DROP_AT = { rule: 'destructive-operation', line: 22, column: 5, endLine: 22, endColumn: 5 + DROP.length };

function heroProject(label: string, extra: Record<string, string | Uint8Array> = {}): string {
  return project(tmpDir(label), { [HERO_FILE]: migration(HERO), [POWER_FILE]: migration(POWER), ...extra });
}

describe('encodings and line breaks', () => {
  it('binary content (a PNG, a UTF-16 file) is parse-error naming the first byte that is not UTF-8', () => {
    const text = migration(DROPPING);
    const root = heroProject('binary', {
      'png.py': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(4096, 0)]),
      'utf16.py': Buffer.from(`\uFEFF${text}`, 'utf16le'),
    });
    const r = lintRoot(root);
    expect(r.fileCount).toBe(4);
    expect(brief(r, 'parse-error')).toEqual([
      { rule: 'parse-error', file: `${VERSIONS}/png.py`, line: 1, column: 1, endLine: 1, endColumn: 2, message: 'File is not valid UTF-8: invalid byte 0x89 at byte offset 0' },
      { rule: 'parse-error', file: `${VERSIONS}/utf16.py`, line: 1, column: 1, endLine: 1, endColumn: 2, message: 'File is not valid UTF-8: invalid byte 0xff at byte offset 0' },
    ]);
    // Nothing else is said about a binary file: its "text" is noise.
    expect(r.diagnostics.filter((d) => d.file.endsWith('png.py')).map((d) => d.rule)).toEqual(['parse-error']);
  });

  it('Latin-1 bytes are parse-error at the byte offset, in code points; with a coding cookie they decode as CPython does', () => {
    const latin = migration({ ...DROPPING, message: 'drop café power' });
    const cookie = `# -*- coding: latin-1 -*-\n${latin}`;
    const root = heroProject('latin1', { [DROP_FILE]: Buffer.from(latin, 'latin1'), 'd4e5f6a7b8c9_cookie.py': Buffer.from(cookie.replace(DROPPING.rev, 'd4e5f6a7b8c9').replace(`down_revision = '${POWER.rev}'`, `down_revision = '${DROPPING.rev}'`), 'latin1') });
    const r = lintRoot(root);
    // `"""drop caf` is 11 bytes: the é is byte offset 11, column 12.
    expect(brief(r, 'parse-error')).toEqual([
      { rule: 'parse-error', file: `${VERSIONS}/${DROP_FILE}`, line: 1, column: 12, endLine: 1, endColumn: 13, message: 'File is not valid UTF-8: invalid byte 0xe9 at byte offset 11' },
    ]);
    // The rules still read the rest of a mis-encoded file: its drop is found, at its line.
    expect(brief(r, 'destructive-operation').map((d) => [d.file, d.line, d.column])).toEqual([
      [`${VERSIONS}/${DROP_FILE}`, 22, 5],
      [`${VERSIONS}/d4e5f6a7b8c9_cookie.py`, 23, 5],
    ]);
  });

  it('a UTF-8 BOM, CRLF and lone CR line breaks give the positions of the plain LF file', () => {
    const text = migration(DROPPING);
    const variants: Record<string, Uint8Array> = {
      lf: Buffer.from(text),
      bom: Buffer.from(`\uFEFF${text}`),
      crlf: Buffer.from(text.replace(/\n/g, '\r\n')),
      cr: Buffer.from(text.replace(/\n/g, '\r')),
      bomCrlf: Buffer.from(`\uFEFF${text.replace(/\n/g, '\r\n')}`),
    };
    const seen = Object.entries(variants).map(([name, bytes]) => {
      const r = lintRoot(heroProject(`eol-${name}`, { [DROP_FILE]: bytes }));
      return [name, brief(r).filter((d) => d.file.endsWith(DROP_FILE))];
    });
    const lf = seen[0]![1];
    expect(lf).toContainEqual({ ...DROP_AT, file: `${VERSIONS}/${DROP_FILE}`, message: "Drops column 'power' of table 'hero' and all its values" });
    expect(seen).toEqual(Object.keys(variants).map((name) => [name, lf]));
  });

  it('an empty file is linted like any other: an empty message, and no sqlmodel import in a SQLModel project', () => {
    const r = lintRoot(heroProject('empty', { 'empty.py': '' }));
    expect(r.fileCount).toBe(3);
    expect(brief(r).filter((d) => d.file.endsWith('empty.py'))).toEqual([
      expect.objectContaining({ rule: 'missing-sqlmodel-import', line: 1, column: 1 }),
      { rule: 'vague-message', file: `${VERSIONS}/empty.py`, line: 1, column: 1, endLine: 1, endColumn: 1, message: 'Revision message "" is empty' },
    ]);
  });
});

describe('size', () => {
  it('a 5 MB migration is linted in bounded time, and its findings are where they are', { timeout: 120_000 }, () => {
    const rows: string[] = [];
    for (let i = 0, size = 0; size < 5_050_000; i++) {
      const row = `{'id': ${i}, 'name': 'hero ${i}', 'secret_name': 'secret ${i}'},`;
      rows.push(row);
      size += row.length + 5;
    }
    const big = migration({ ...DROPPING, upgrade: ['op.bulk_insert(hero_table, [', ...rows, '])', DROP] });
    expect(big.length).toBeGreaterThan(5_000_000);
    const root = heroProject('big', { [DROP_FILE]: big });
    const r = cli(root, ['--format', 'json', '--no-cache'], { timeout: 90_000 });
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe('');
    expect(r.json!.summary.files).toBe(3);
    const dropLine = 22 + rows.length + 2;
    expect(r.json!.diagnostics.filter((d) => d.rule === 'destructive-operation').map((d) => [d.file, d.line, d.column])).toEqual([[`${VERSIONS}/${DROP_FILE}`, dropLine, 5]]);
    // Linear work: a few seconds here; the bound leaves room for a busy machine, not for a blow-up.
    expect(r.ms).toBeLessThan(60_000);
  });

  it('5 MB of random bytes is parse-error, quickly', { timeout: 60_000 }, () => {
    let x = 0x2545f491;
    const noise = Buffer.alloc(5 * 1024 * 1024);
    for (let i = 0; i < noise.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      noise[i] = x & 0xff;
    }
    const root = heroProject('noise', { 'noise.py': noise });
    const r = cli(root, ['--format', 'json', '--no-cache'], { timeout: 45_000 });
    expect(r.signal).toBeNull();
    expect(r.json!.diagnostics.filter((d) => d.file.endsWith('noise.py')).map((d) => d.rule)).toEqual(['parse-error']);
    expect(r.json!.diagnostics.find((d) => d.file.endsWith('noise.py'))!.message).toMatch(/^File is not valid UTF-8: invalid byte 0x[0-9a-f]{2} at byte offset \d+$/);
  });
});

describe('entries that are not regular files', () => {
  it('a folder named x.py is parse-error (Alembic fails on it: IsADirectoryError); under recursive_version_locations it is a folder to walk', () => {
    const root = heroProject('dir');
    write(root, `${VERSIONS}/x.py/${DROP_FILE}`, migration(DROPPING));
    const r = lintRoot(root);
    expect(files(r)).toEqual([`${VERSIONS}/${HERO_FILE}`, `${VERSIONS}/${POWER_FILE}`, `${VERSIONS}/x.py`]);
    expect(brief(r, 'parse-error')).toEqual([unreadable('x.py', 'a directory, not a file')]);
    expect(r.diagnostics.find((d) => d.file === `${VERSIONS}/x.py`)!.help).toBe(UNREADABLE_HELP);

    fs.appendFileSync(path.join(root, 'alembic.ini'), 'recursive_version_locations = true\n');
    const recursive = lintRoot(root);
    expect(files(recursive)).toEqual([`${VERSIONS}/${HERO_FILE}`, `${VERSIONS}/${POWER_FILE}`, `${VERSIONS}/x.py/${DROP_FILE}`]);
    expect(brief(recursive, 'parse-error')).toEqual([]);
  });

  it('__pycache__ is ignored, in a flat and in a recursive versions folder', () => {
    const root = heroProject('pycache');
    write(root, `${VERSIONS}/__pycache__/junk.py`, 'def (((\n');
    write(root, `${VERSIONS}/__pycache__/${HERO_FILE.replace('.py', '.cpython-311.pyc')}`, Buffer.from([0x6f, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0]));
    for (const recursive of [false, true]) {
      if (recursive) fs.appendFileSync(path.join(root, 'alembic.ini'), 'recursive_version_locations = true\n');
      const r = lintRoot(root);
      expect(files(r)).toEqual([`${VERSIONS}/${HERO_FILE}`, `${VERSIONS}/${POWER_FILE}`]);
      expect(r.diagnostics.filter((d) => d.file.includes('__pycache__'))).toEqual([]);
    }
  });

  it('a FIFO named *.py is parse-error and never opened: no hang, also as env.py, the template, alembic.ini or pyproject.toml', () => {
    const root = heroProject('fifo');
    git(root, 'init', '-q');
    execFileSync('mkfifo', [path.join(root, VERSIONS, 'pipe.py')]);
    const first = cli(root, ['--format', 'json', '--no-cache'], { timeout: 20_000 });
    expect(first.signal).toBeNull();
    expect(first.json!.summary.files).toBe(3);
    expect(first.json!.diagnostics.filter((d) => d.rule === 'parse-error').map(({ rule, file, line, column, message }) => ({ rule, file, line, column, message }))).toEqual([
      { rule: 'parse-error', file: `${VERSIONS}/pipe.py`, line: 1, column: 1, message: 'File is a FIFO (named pipe), not a regular file' },
    ]);
    for (const rel of ['alembic/env.py', 'alembic/script.py.mako', 'pyproject.toml']) {
      fs.rmSync(path.join(root, rel), { force: true });
      execFileSync('mkfifo', [path.join(root, rel)]);
    }
    const again = cli(root, ['--format', 'json', '--no-cache'], { timeout: 20_000 });
    expect(again.signal).toBeNull();
    expect(again.json!.summary.files).toBe(3);
    // A FIFO alembic.ini is no config, and a FIFO env.py no environment: discovery says where it looked.
    fs.rmSync(path.join(root, 'alembic.ini'));
    execFileSync('mkfifo', [path.join(root, 'alembic.ini')]);
    const noIni = cli(root, ['--format', 'json', '--no-cache'], { timeout: 20_000 });
    expect(noIni.signal).toBeNull();
    expect(noIni.status).toBe(2);
    expect(expectOneLine(noIni.stderr)).toMatch(/^migration-lint: no Alembic migrations found: looked in alembic\.ini, .+\. Pass the versions folder as an argument or set "versions" in the config\.$/);
  });

  it('an unreadable file is parse-error "not readable: permission denied" (through the SourceProvider seam)', () => {
    // Tests run as root here, where chmod 000 does not stop a read: the seam stands in for the disk, with the
    // error io/files raises for EACCES. The real chmod is exercised below when not root.
    const root = heroProject('eacces', { [DROP_FILE]: migration(DROPPING) });
    const locked = path.join(root, VERSIONS, DROP_FILE);
    const source: SourceProvider = {
      ...workTree,
      read: (abs) => {
        if (abs === locked) throw new UnreadableFileError(abs, 'not readable: permission denied');
        return workTree.read(abs);
      },
    };
    const r = lintRoot(root, { source });
    expect(r.fileCount).toBe(3);
    // Only why it could not be read: no rule guesses about content it never saw.
    expect(brief(r).filter((d) => d.file.endsWith(DROP_FILE))).toEqual([unreadable(DROP_FILE, 'not readable: permission denied')]);
  });

  it.skipIf(IS_ROOT)('chmod 000 on a migration is parse-error "not readable: permission denied"', () => {
    const root = heroProject('chmod', { [DROP_FILE]: migration(DROPPING) });
    fs.chmodSync(path.join(root, VERSIONS, DROP_FILE), 0);
    expect(() => readBytes(path.join(root, VERSIONS, DROP_FILE))).toThrow(new UnreadableFileError('', 'not readable: permission denied'));
    expect(brief(lintRoot(root), 'parse-error')).toEqual([unreadable(DROP_FILE, 'not readable: permission denied')]);
  });
});

describe('symbolic links', () => {
  /** A git work tree (the boundary), a file outside it holding a secret that must never be printed. */
  function linked(label: string) {
    const outside = tmpDir(`${label}-outside`);
    const secretFile = write(outside, 'secret.py', migration({ ...DROPPING, message: 'SECRET-7f3a outside the repo' }));
    const root = heroProject(label);
    git(root, 'init', '-q');
    return { root, outside, secretFile };
  }

  it('a link to a file inside the repository is followed, and linted under the link name', () => {
    const { root } = linked('link-in');
    write(root, `shared/${DROP_FILE}`, migration(DROPPING));
    fs.symlinkSync(path.join('..', '..', 'shared', DROP_FILE), path.join(root, VERSIONS, DROP_FILE));
    const r = lintRoot(root);
    expect(brief(r, 'destructive-operation')).toEqual([{ ...DROP_AT, file: `${VERSIONS}/${DROP_FILE}`, message: "Drops column 'power' of table 'hero' and all its values" }]);
  });

  it('a link out of the repository is not followed: parse-error names the link, and nothing of the target is printed', () => {
    const { root, secretFile } = linked('link-out');
    fs.symlinkSync(secretFile, path.join(root, VERSIONS, DROP_FILE));
    const r = cli(root, ['--no-cache'], { timeout: 20_000 });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${VERSIONS}/${DROP_FILE}:1:1  error    File is a symbolic link to ${JSON.stringify(secretFile)}, outside the repository: not followed  parse-error`);
    expect(r.stdout).not.toContain('SECRET-7f3a');
    expect(r.stdout).not.toContain('drop_column');
    // Same through a linked folder: a versions/ that is itself a link out of the repository.
    const other = linked('dir-out');
    fs.rmSync(path.join(other.root, VERSIONS), { recursive: true });
    fs.symlinkSync(other.outside, path.join(other.root, VERSIONS));
    const viaDir = lintRoot(other.root);
    expect(brief(viaDir, 'parse-error')).toEqual([
      unreadable('secret.py', `reached through a symbolic link (${JSON.stringify(fs.realpathSync(other.secretFile))}), outside the repository: not followed`),
    ]);
    expect(JSON.stringify(viaDir)).not.toContain('SECRET-7f3a');
  });

  it('outside any git work tree there is no repository to leave: links are followed, as Alembic follows them', () => {
    const outside = tmpDir('nogit-outside');
    const target = write(outside, 'drop.py', migration(DROPPING));
    const root = heroProject('nogit');
    fs.symlinkSync(target, path.join(root, VERSIONS, DROP_FILE));
    expect(brief(lintRoot(root), 'destructive-operation')).toEqual([{ ...DROP_AT, file: `${VERSIONS}/${DROP_FILE}`, message: "Drops column 'power' of table 'hero' and all its values" }]);
  });

  it('a link loop and a dangling link are parse-error, at once', () => {
    const { root } = linked('loop');
    const v = path.join(root, VERSIONS);
    fs.symlinkSync('loop_b.py', path.join(v, 'loop_a.py'));
    fs.symlinkSync('loop_a.py', path.join(v, 'loop_b.py'));
    fs.symlinkSync('nowhere.py', path.join(v, 'dangling.py'));
    const r = cli(root, ['--format', 'json', '--no-cache'], { timeout: 20_000 });
    expect(r.signal).toBeNull();
    expect(r.json!.summary.files).toBe(5);
    expect(r.json!.diagnostics.filter((d) => d.rule === 'parse-error').map(({ file, line, column, message }) => ({ file, line, column, message }))).toEqual([
      { file: `${VERSIONS}/dangling.py`, line: 1, column: 1, message: 'File is a symbolic link to "nowhere.py", which does not exist' },
      { file: `${VERSIONS}/loop_a.py`, line: 1, column: 1, message: 'File is a symbolic link loop' },
      { file: `${VERSIONS}/loop_b.py`, line: 1, column: 1, message: 'File is a symbolic link loop' },
    ]);
  });
});
