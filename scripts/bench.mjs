#!/usr/bin/env node
/**
 * `npm run bench`: times the built CLI (lib/cli.js, so `npm run build` first) on a repository generated in the
 * shape of a large real one (~450 revisions, scripts/bench-real.mjs) and on one of 10,000 real migrations
 * (scripts/bench-gen.mjs), next to two references measured in the same run on the same machine: CPython merely
 * parsing the same files (ast.parse), and bare `node -e 0`. Every figure is the median of several runs, and the
 * runs of all scenarios are interleaved, so that a change in the machine's load moves every figure alike and
 * the ratios stay meaningful on a shared machine. It ends with the targets of issue 15, each with the measured
 * ratio and PASS or MISS.
 *
 *   node scripts/bench.mjs [--repos real,10000] [--models DIR,…] [--runs 5] [--cold-runs 3] [--json FILE] [--lib DIR]
 *   (--lib times another build, e.g. a copy of main's lib/, for a before/after comparison)
 *   (--repos takes `real` and sizes of the corpus chain, e.g. `real,1000,10000`)
 *
 * Scenarios (each lint is also run once with --no-cache, and its JSON output must equal the cached runs'):
 *   cold    full lint, no cache at all (the cache folder removed before each run); `cold --no-cache` the
 *           same without writing one (what the cache costs a first run)
 *   warm    full lint again, nothing changed (cache from the run before)
 *   staged  `--staged` with one new migration staged, its content new to the cache on every run
 *   base    `--base main` with one new migration committed on a branch, new to the cache on every run
 *   staged-cold / base-cold  the same without any cache (a first run after a clone)
 *
 * Models (issue 18: reading the models adds at most 20% to a lint): each project of --models (default: the
 * bundled FastAPI-template-shaped example; `--models DIR,…` takes any project, e.g. a checkout of the
 * template itself) is copied into a git repository and linted with the model rules on and off (off: the
 * models are never read), interleaved:
 *   full    `--all --no-cache`: every migration judged, nothing cached
 *   warm    `--all` again with the cache (on: the models' files are read for the cache key)
 *   staged  `--staged` with a model file changed and staged, cache warm: the hook after a model edit
 *           (off: nothing is judged at all, so this ratio is the whole model check against a no-op run)
 *   staged-migration  `--staged` with a migration changed (a comment appended), cache warm
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCH_DIR, corpus, ensureRealRepo, ensureRepo, VERSIONS } from './bench-gen.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const PYTHON = '/usr/bin/python3';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}
const REPOS = arg('repos', arg('sizes', 'real,10000')).split(',').filter(Boolean);
const RUNS = Number(arg('runs', '5'));
const COLD_RUNS = Number(arg('cold-runs', '3'));
const JSON_OUT = arg('json', path.join(BENCH_DIR, 'results.json'));
const LIB = path.resolve(arg('lib', path.join(ROOT, 'lib')));
const MODELS = arg('models', 'examples/fastapi-sqlmodel').split(',').filter(Boolean);

if (!fs.existsSync(path.join(LIB, 'cli.js'))) {
  console.error(`bench: ${path.join(LIB, 'cli.js')} is missing: run \`npm run build\` first`);
  process.exit(2);
}
/**
 * The build is copied aside first: the cache is keyed by the build (engine/cache.ts), so a rebuild of lib/
 * during the run (by a watcher, or a colleague on a shared machine) would otherwise turn warm runs cold.
 * Bare imports still resolve to the repository's node_modules from there.
 */
const SNAPSHOT = path.join(BENCH_DIR, `build-${process.pid}`);
fs.rmSync(SNAPSHOT, { recursive: true, force: true });
fs.mkdirSync(SNAPSHOT, { recursive: true });
fs.cpSync(LIB, path.join(SNAPSHOT, 'lib'), { recursive: true, filter: (p) => !p.endsWith('.map') });
fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(SNAPSHOT, 'package.json'));
const CLI = path.join(SNAPSHOT, 'lib', 'cli.js');

/** Wall time (ms), CPU time (user + system, ms) and peak resident memory (MiB) of one process, through GNU time. */
function measure(cmd, args, cwd, { input, expectCodes = [0] } = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', cmd, ...args], { cwd, input, maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const stderr = r.stderr.toString();
  const lines = stderr.trimEnd().split('\n');
  const [user, sys, kb] = lines[lines.length - 1].split(' ').map(Number);
  if (!expectCodes.includes(r.status)) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${stderr}`);
  return { ms, cpu: (user + sys) * 1000, mib: kb / 1024, stdout: r.stdout.toString() };
}

function git(cwd, ...args) {
  const r = spawnSync('git', ['-c', 'gc.auto=0', '-c', 'user.name=bench', '-c', 'user.email=bench@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.toString();
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const PY_PARSE = 'import ast, os, sys\nd = sys.argv[1]\nfor f in sorted(os.listdir(d)):\n    if f.endswith(".py"):\n        ast.parse(open(os.path.join(d, f), "rb").read(), f)\n';

function machine() {
  const sh = (c) => spawnSync('sh', ['-c', c]).stdout.toString().trim();
  return {
    nproc: sh('nproc'),
    cpu: sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").trim(),
    memory: sh("free -h | awk '/^Mem:/ {print $2 \" total, \" $7 \" available\"}'"),
    node: process.version,
    python: sh(`${PYTHON} --version`),
    git: sh('git --version'),
    load: os.loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}

/** Runs every scenario of one repository, interleaved, and checks that the cache changed no output. */
function benchRepo(repo) {
  const n = repo.label;
  const dir = repo.dir;
  const versions = path.join(dir, VERSIONS);
  const cache = path.join(BENCH_DIR, `cache-${path.basename(dir)}`);
  const lint = (extra, cacheArgs = ['--cache-location', cache]) => measure('node', [CLI, '--format', 'json', ...cacheArgs, ...extra], dir, { expectCodes: [0, 1] });
  const next = repo.next();
  const nextPath = path.join(versions, next.name);
  // Every run's new migration is new to the cache (a trailing comment changes its blob id).
  const variant = (i) => `${next.text}\n# bench run ${i}\n`;
  const samples = {};
  const add = (name, r) => (samples[name] ??= []).push(r);
  const outputs = {};

  // The same outputs with and without the cache, first (this also leaves the cache warm for main).
  fs.rmSync(cache, { recursive: true, force: true });
  const uncached = lint(['--no-cache'], []);
  outputs.full = uncached.stdout;
  add('cold --no-cache', uncached);
  add('cold', lint([]));
  if (lint([]).stdout !== outputs.full) throw new Error(`${n}: warm output differs from --no-cache`);

  const stage = (i) => {
    fs.writeFileSync(nextPath, variant(i));
    git(dir, 'add', '--', nextPath);
  };
  const unstage = () => {
    git(dir, 'reset', '-q');
    fs.rmSync(nextPath, { force: true });
  };
  const branch = (i) => {
    git(dir, 'checkout', '-q', '-B', 'feature', 'main');
    fs.writeFileSync(nextPath, variant(i));
    git(dir, 'add', '--', nextPath);
    git(dir, 'commit', '-q', '-m', `new migration ${i}`);
  };
  const backToMain = () => git(dir, 'checkout', '-q', '-f', 'main');

  stage(-1);
  const stagedRef = lint(['--staged', '--no-cache'], []).stdout;
  if (lint(['--staged']).stdout !== stagedRef) throw new Error(`${n}: --staged output differs from --no-cache`);
  unstage();
  branch(-1);
  const baseRef = lint(['--base', 'main', '--no-cache'], []).stdout;
  if (lint(['--base', 'main']).stdout !== baseRef) throw new Error(`${n}: --base output differs from --no-cache`);
  backToMain();

  for (let i = 0; i < RUNS; i++) {
    add('node -e 0', measure('node', ['-e', '0'], dir));
    add('CPython ast.parse', measure(PYTHON, ['-c', PY_PARSE, versions], dir));
    add('warm', lint([]));
    stage(i);
    add('staged', lint(['--staged']));
    if (i < COLD_RUNS) add('staged-cold', lint(['--staged', '--no-cache'], []));
    unstage();
    branch(i);
    add('base', lint(['--base', 'main']));
    if (i < COLD_RUNS) add('base-cold', lint(['--base', 'main', '--no-cache'], []));
    backToMain();
    if (i + 1 < COLD_RUNS) {
      fs.rmSync(cache, { recursive: true, force: true });
      add('cold', lint([]));
      add('cold --no-cache', lint(['--no-cache'], []));
    }
  }
  git(dir, 'branch', '-q', '-D', 'feature');
  const out = {};
  for (const [name, rs] of Object.entries(samples)) {
    out[name] = { ms: median(rs.map((r) => r.ms)), mib: Math.max(...rs.map((r) => r.mib)), runs: rs.length };
  }
  const diagnostics = JSON.parse(outputs.full).summary;
  const bytes = fs.readdirSync(versions).reduce((sum, f) => sum + fs.statSync(path.join(versions, f)).size, 0);
  return { n: repo.count, label: repo.label, real: path.basename(dir) === 'repo-real', files: fs.readdirSync(versions).length, bytes, diagnostics, scenarios: out };
}

/** Start-up: --version and a one-file lint against bare node, on a repository of one migration. */
function benchStartup(items) {
  const repo = ensureRepo(1, items);
  const samples = {};
  const add = (name, r) => (samples[name] ??= []).push(r);
  for (let i = 0; i < RUNS * 2; i++) {
    add('node -e 0', measure('node', ['-e', '0'], repo.dir));
    add('--version', measure('node', [CLI, '--version'], repo.dir));
    add('one-file lint', measure('node', [CLI, '--no-cache'], repo.dir, { expectCodes: [0, 1] }));
    add('one-file --staged', measure('node', [CLI, '--staged', '--no-cache'], repo.dir, { expectCodes: [0, 1] }));
  }
  const out = {};
  for (const [name, rs] of Object.entries(samples)) out[name] = { ms: median(rs.map((r) => r.ms)), mib: Math.max(...rs.map((r) => r.mib)) };
  return out;
}

/** The model rules off: the models are never read (orm/ runs only when a model rule asks). */
const MODELS_OFF = ['--rule', 'model-drift=off', '--rule', 'model-not-imported=off', '--rule', 'target-metadata-missing=off'];

function walkPy(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === '.git') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walkPy(p, out);
    else if (e.name.endsWith('.py')) out.push(p);
  }
  return out.sort();
}

/** A project linted with the model rules on and off, interleaved: what reading the models adds (issue 18). */
function benchModels(src) {
  const from = path.resolve(ROOT, src);
  const label = path.basename(from);
  const dir = path.join(BENCH_DIR, `models-${label}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(from, dir, { recursive: true, filter: (p) => path.basename(p) !== '.git' });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'project');
  const model = walkPy(dir).find((f) => !f.includes(`${path.sep}versions${path.sep}`) && /table\s*=\s*True/.test(fs.readFileSync(f, 'utf8')));
  if (!model) throw new Error(`${src}: no SQLModel table model found`);
  const original = fs.readFileSync(model, 'utf8');
  const migration = walkPy(dir).filter((f) => f.includes(`${path.sep}versions${path.sep}`)).at(-1);
  if (!migration) throw new Error(`${src}: no migration found`);
  const migrationText = fs.readFileSync(migration, 'utf8');
  const cacheOf = (v) => path.join(BENCH_DIR, `cache-models-${label}-${v}`);
  const lint = (v, extra, cached) =>
    measure('node', [CLI, '--format', 'json', ...(cached ? ['--cache-location', cacheOf(v)] : ['--no-cache']), ...extra, ...(v === 'off' ? MODELS_OFF : [])], dir, { expectCodes: [0, 1] });
  const samples = {};
  const add = (name, r) => (samples[name] ??= []).push(r);
  for (const v of ['on', 'off']) {
    fs.rmSync(cacheOf(v), { recursive: true, force: true });
    lint(v, ['--all'], true);
  }
  for (let i = 0; i < RUNS; i++) {
    for (const v of ['on', 'off']) {
      add(`full ${v}`, lint(v, ['--all'], false));
      add(`warm ${v}`, lint(v, ['--all'], true));
    }
    // A model edit staged: the hook's case. Its content is new on every run, so no cached result fits it.
    fs.writeFileSync(model, `${original}\n# bench run ${i}\n`);
    git(dir, 'add', '--', model);
    for (const v of ['on', 'off']) add(`staged ${v}`, lint(v, ['--staged'], true));
    git(dir, 'reset', '-q');
    fs.writeFileSync(model, original);
    // A migration edit staged: every hook run that touches a migration also reads the models.
    fs.writeFileSync(migration, `${migrationText}\n# bench run ${i}\n`);
    git(dir, 'add', '--', migration);
    for (const v of ['on', 'off']) add(`staged-migration ${v}`, lint(v, ['--staged'], true));
    git(dir, 'reset', '-q');
    fs.writeFileSync(migration, migrationText);
  }
  const out = {};
  for (const [name, rs] of Object.entries(samples)) out[name] = { ms: median(rs.map((r) => r.ms)), cpu: median(rs.map((r) => r.cpu)), mib: Math.max(...rs.map((r) => r.mib)), runs: rs.length };
  const migrations = walkPy(dir).filter((f) => f.includes(`${path.sep}versions${path.sep}`)).length;
  return { label, src, migrations, python: walkPy(dir).length, model: path.relative(dir, model), migration: path.relative(dir, migration), scenarios: out };
}

const fmt = (x, d = 0) => x.toFixed(d);

/**
 * The targets of issue 15, as ratios within this run: [what, measured, reference, limit]. Null where this run
 * did not measure what a target needs (e.g. --repos without 10000).
 */
function targets(results) {
  const out = [];
  const big = results.repos.find((r) => r.n === 10000);
  const real = results.repos.find((r) => r.real);
  const ratio = (r, name, ref) => r.scenarios[name].ms / r.scenarios[ref].ms;
  for (const r of [real, big]) {
    if (!r) continue;
    out.push({ target: `cold full lint, ${r.label} ≤ 1× CPython ast.parse`, ratio: ratio(r, 'cold', 'CPython ast.parse'), limit: 1, unit: '×' });
  }
  if (big) out.push({ target: `warm full lint, ${big.label} ≤ 0.3× CPython ast.parse`, ratio: ratio(big, 'warm', 'CPython ast.parse'), limit: 0.3, unit: '×' });
  for (const r of [big, real]) {
    if (!r) continue;
    for (const mode of ['staged', 'base']) out.push({ target: `--${mode} one changed file, ${r.label} ≤ 3× node -e 0`, ratio: ratio(r, mode, 'node -e 0'), limit: 3, unit: '×' });
  }
  if (results.startup) {
    const s = results.startup;
    out.push({ target: 'one-file lint ≤ 2× node -e 0', ratio: s['one-file lint'].ms / s['node -e 0'].ms, limit: 2, unit: '×' });
  }
  for (const m of results.models ?? []) {
    for (const k of ['full', 'staged-migration']) {
      out.push({ target: `reading the models, ${m.label}: ${k} lint ≤ 1.2× with the model rules off (issue 18)`, ratio: m.scenarios[`${k} on`].ms / m.scenarios[`${k} off`].ms, limit: 1.2, unit: '×' });
    }
  }
  if (big) {
    const mem = Math.max(...['cold', 'warm', 'staged', 'base'].map((k) => big.scenarios[k].mib));
    out.push({ target: `peak memory, ${big.label} (cold included) ≤ 200 MiB`, ratio: mem, limit: 200, unit: ' MiB' });
  }
  return out.map((t) => ({ ...t, pass: t.ratio <= t.limit }));
}

function report(results) {
  const lines = [];
  const m = results.machine;
  lines.push(`Machine: ${m.nproc} CPUs (${m.cpu}), memory ${m.memory}; node ${m.node}, ${m.python}, ${m.git}; load average at start ${m.load}, at end ${results.loadEnd}.`);
  lines.push('');
  lines.push(`Medians of ${RUNS} runs (cold: ${COLD_RUNS}), wall time in ms; peak RSS is the largest of the runs.`);
  for (const r of results.repos) {
    const s = r.scenarios;
    const py = s['CPython ast.parse'].ms;
    const node = s['node -e 0'].ms;
    lines.push('');
    lines.push(`### ${r.label} migrations, ${(r.bytes / 1024).toFixed(0)} KiB (${r.diagnostics.errors} errors, ${r.diagnostics.warnings} warnings, ${r.diagnostics.suppressed} suppressed)`);
    lines.push('');
    lines.push('| scenario | ms | × CPython parse | × node -e 0 | peak RSS MiB |');
    lines.push('|---|---:|---:|---:|---:|');
    for (const name of ['cold', 'cold --no-cache', 'warm', 'staged', 'base', 'staged-cold', 'base-cold', 'CPython ast.parse', 'node -e 0']) {
      const v = s[name];
      if (!v) continue;
      lines.push(`| ${name} | ${fmt(v.ms)} | ${fmt(v.ms / py, 3)} | ${fmt(v.ms / node, 2)} | ${fmt(v.mib, 1)} |`);
    }
  }
  const sized = results.repos.filter((r) => !r.real);
  if (sized.length === 2) {
    const [a, b] = sized;
    const k = b.n / a.n;
    lines.push('');
    lines.push(`### Growth ${a.label} → ${b.label} (${k}× the files; linear or better means ≤ ${k}×)`);
    lines.push('');
    lines.push(`| scenario | ms at ${a.label} | ms at ${b.label} | growth | ms per extra file |`);
    lines.push('|---|---:|---:|---:|---:|');
    for (const name of ['cold', 'warm', 'staged', 'base', 'staged-cold', 'base-cold', 'CPython ast.parse']) {
      const x = a.scenarios[name];
      const y = b.scenarios[name];
      if (!x || !y) continue;
      lines.push(`| ${name} | ${fmt(x.ms)} | ${fmt(y.ms)} | ${fmt(y.ms / x.ms, 2)}× | ${fmt((y.ms - x.ms) / (b.n - a.n), 3)} |`);
    }
  }
  if (results.startup) {
    const s = results.startup;
    const node = s['node -e 0'].ms;
    lines.push('');
    lines.push('### Start-up (a repository of one migration)');
    lines.push('');
    lines.push('| command | ms | × node -e 0 | peak RSS MiB |');
    lines.push('|---|---:|---:|---:|');
    for (const [name, v] of Object.entries(s)) lines.push(`| ${name} | ${fmt(v.ms)} | ${fmt(v.ms / node, 2)} | ${fmt(v.mib, 1)} |`);
  }
  for (const m of results.models ?? []) {
    const sc = m.scenarios;
    lines.push('');
    lines.push(`### Models: ${m.src} (${m.migrations} migrations, ${m.python} Python files; staged: ${m.model} changed; staged-migration: ${m.migration})`);
    lines.push('');
    lines.push('| scenario | model rules on, ms | off, ms | on/off wall | on/off CPU | peak RSS on/off MiB |');
    lines.push('|---|---:|---:|---:|---:|---:|');
    for (const k of ['full', 'warm', 'staged', 'staged-migration']) {
      const on = sc[`${k} on`];
      const off = sc[`${k} off`];
      lines.push(`| ${k} | ${fmt(on.ms)} | ${fmt(off.ms)} | ${fmt(on.ms / off.ms, 3)} | ${fmt(on.cpu / off.cpu, 3)} | ${fmt(on.mib, 1)} / ${fmt(off.mib, 1)} |`);
    }
  }
  lines.push('');
  lines.push('### Targets (issues 15 and 18), ratios within this run');
  lines.push('');
  lines.push('| target | measured | verdict |');
  lines.push('|---|---:|---|');
  for (const t of results.targets) {
    const over = t.pass ? '' : ` (${fmt(t.ratio / t.limit, 1)}× over)`;
    lines.push(`| ${t.target} | ${fmt(t.ratio, t.unit === '×' ? 2 : 1)}${t.unit} | ${t.pass ? 'PASS' : 'MISS'}${over} |`);
  }
  return lines.join('\n');
}

const items = corpus();
console.error(`bench: corpus of ${items.length} migrations from fixtures/ and examples/; repositories ${REPOS.join(', ')}; ${RUNS} runs`);
const results = { machine: machine(), corpus: items.length, repos: [], models: [], startup: null, targets: [], loadEnd: '' };
results.startup = benchStartup(items);
for (const src of MODELS) {
  console.error(`bench: models, ${src}…`);
  results.models.push(benchModels(src));
}
for (const name of REPOS) {
  console.error(`bench: ${name}…`);
  results.repos.push(benchRepo(name === 'real' ? ensureRealRepo() : ensureRepo(Number(name), items)));
}
results.targets = targets(results);
results.loadEnd = os.loadavg().map((l) => l.toFixed(2)).join(' ');
fs.mkdirSync(path.dirname(JSON_OUT), { recursive: true });
fs.writeFileSync(JSON_OUT, JSON.stringify(results, null, 2));
fs.rmSync(SNAPSHOT, { recursive: true, force: true });
console.log(report(results));
