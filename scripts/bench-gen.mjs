/**
 * Builds the benchmark repositories, committed in git under .bench/ (git-ignored): the real migrations of
 * fixtures/ and examples/ rewritten into one linear revision chain with fresh ids (`repo-<n>`), and the
 * repository shaped like a large real one (`repo-real`, scripts/bench-real.mjs). A repository is rebuilt only
 * when its inputs changed, so repeated bench runs measure the linter, not the generator.
 */
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { realShapedRepo } from './bench-real.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const BENCH_DIR = path.join(ROOT, '.bench');
export const VERSIONS = 'alembic/versions';

/** `revision = '…'`, `down_revision: Union[str, None] = (…)`: only values that fit on their line can be rewritten. */
const VAR_LINE = /^(revision|down_revision|branch_labels|depends_on)([ \t]*:[^=\n]*)?[ \t]*=[ \t]*(.*?)[ \t]*$/gm;
const ONE_LINE_VALUE = /^('[^'\n]*'|"[^"\n]*"|None|\([^()\n]*\)|\[[^\]\n]*\])$/;

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Every migration of the fixtures and examples whose revision variables can be rewritten and that CPython parses. */
export function corpus() {
  const files = [
    ...walk(path.join(ROOT, 'fixtures/rules')).filter((p) => /\/alembic\/versions\/[^/]+\.py$/.test(p)),
    ...walk(path.join(ROOT, 'examples')).filter((p) => /\/versions\/[^/]+\.py$/.test(p)),
  ]
    .filter((p) => !p.endsWith('__init__.py'))
    .sort();
  const usable = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const vars = new Map();
    let ok = true;
    for (const m of text.matchAll(VAR_LINE)) {
      if (vars.has(m[1]) || !ONE_LINE_VALUE.test(m[3])) ok = false;
      vars.set(m[1], m);
    }
    if (ok && vars.has('revision') && vars.has('down_revision')) usable.push({ file, text });
  }
  // The same text for CPython and for the linter: files CPython refuses would make the reference cheaper.
  const check = spawnSync('/usr/bin/python3', ['-c', PY_CHECK], { input: usable.map((u) => u.file).join('\n'), encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`python3 check failed: ${check.stderr}`);
  const bad = new Set(check.stdout.split('\n').filter(Boolean));
  return usable.filter((u) => !bad.has(u.file));
}

const PY_CHECK = `
import ast, sys
for f in sys.stdin.read().split('\\n'):
    if not f: continue
    try:
        ast.parse(open(f, 'rb').read(), f)
    except SyntaxError:
        print(f)
`;

export const revId = (i) => createHash('sha1').update(`bench-${i}`).digest('hex').slice(0, 12);

/** One corpus text as revision `rev` on top of `down` (null: the first revision). */
export function rewrite(text, rev, down) {
  const quote = (v) => (v === null ? 'None' : `'${v}'`);
  return text
    .replace(VAR_LINE, (_all, name, ann = '') => {
      const value = name === 'revision' ? quote(rev) : name === 'down_revision' ? quote(down) : 'None';
      return `${name}${ann} = ${value}`;
    })
    .replace(/^Revision ID:.*$/m, `Revision ID: ${rev}`)
    .replace(/^Revises:.*$/m, `Revises: ${down ?? ''}`);
}

export function migrationName(corpusFile, rev) {
  const slug = path.basename(corpusFile, '.py').replace(/^[0-9a-f]{12}_/, '').replace(/[^\w]+/g, '_');
  return `${rev}_${slug}.py`;
}

function git(cwd, ...args) {
  return execFileSync('git', ['-c', 'gc.auto=0', '-c', 'user.name=bench', '-c', 'user.email=bench@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 30,
  }).toString();
}

/**
 * Writes `files` ({ name, text }) as the migrations of a fresh repository at `dir` (alembic.ini, env.py,
 * script.py.mako), committed on `main`, unless the repository there was made from the same `stamp`; then it is
 * only put back as the generator left it (clean, on main).
 */
function writeRepo(dir, stamp, files) {
  const stampFile = path.join(dir, '.git', 'bench-stamp');
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) {
    git(dir, 'checkout', '-q', '-f', 'main');
    git(dir, 'reset', '-q', '--hard', 'main');
    git(dir, 'clean', '-q', '-fdx');
    return;
  }
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  fs.mkdirSync(path.join(dir, VERSIONS), { recursive: true });
  const example = path.join(ROOT, 'examples/fastapi-sqlmodel/backend/app/alembic');
  fs.writeFileSync(path.join(dir, 'alembic.ini'), '[alembic]\nscript_location = alembic\n');
  fs.copyFileSync(path.join(example, 'env.py'), path.join(dir, 'alembic/env.py'));
  fs.copyFileSync(path.join(example, 'script.py.mako'), path.join(dir, 'alembic/script.py.mako'));
  fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n');
  for (const f of files()) fs.writeFileSync(path.join(dir, VERSIONS, f.name), f.text);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'migrations');
  fs.writeFileSync(stampFile, stamp);
  // Files changed within the last 2 s are hashed on every run (the cache's racy-stamp guard); a real project's
  // migrations are older than that, so the repository is not measured before they are.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2500);
}

/**
 * `.bench/repo-<n>`: n migrations of the corpus in one chain. Returns the repository, the file names in chain
 * order, and `next(i)`: a new head revision (the next in the chain), as a developer would add it.
 */
export function ensureRepo(n, items = corpus()) {
  const dir = path.join(BENCH_DIR, `repo-${n}`);
  const stamp = createHash('sha1')
    .update(String(n))
    .update(items.map((u) => u.file + u.text).join('\0'))
    .digest('hex');
  const names = [];
  for (let i = 0; i < n; i++) names.push(migrationName(items[i % items.length].file, revId(i)));
  writeRepo(dir, stamp, () => names.map((name, i) => ({ name, text: rewrite(items[i % items.length].text, revId(i), i ? revId(i - 1) : null) })));
  const next = (i) => {
    const item = items[i % items.length];
    return { name: migrationName(item.file, revId(i)), text: rewrite(item.text, revId(i), revId(i - 1)) };
  };
  return { dir, label: n.toLocaleString('en'), count: n, next: () => next(n) };
}

/** `.bench/repo-real`: the generated repository shaped like a large real one (scripts/bench-real.mjs). */
export function ensureRealRepo() {
  const dir = path.join(BENCH_DIR, 'repo-real');
  const repo = realShapedRepo();
  const stamp = createHash('sha1')
    .update(repo.files.map((f) => f.name + f.text).join('\0'))
    .digest('hex');
  writeRepo(dir, stamp, () => repo.files);
  return { dir, label: `real-shaped (${repo.files.length})`, count: repo.files.length, next: () => repo.next(repo.files.length) };
}
