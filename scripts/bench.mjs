#!/usr/bin/env node
/**
 * `npm run bench`: times the built CLI (lib/cli.js, so `npm run build` first) on repositories of 1,000 and
 * 10,000 real migrations (scripts/bench-gen.mjs), next to two references measured in the same run on the
 * same machine: CPython merely parsing the same files (ast.parse), and bare `node -e 0`. Every figure is the
 * median of several runs, and the runs of all scenarios are interleaved, so that a change in the machine's
 * load moves every figure alike and the ratios stay meaningful on a shared machine.
 *
 *   node scripts/bench.mjs [--sizes 1000,10000] [--runs 5] [--cold-runs 3] [--json FILE]
 *
 * Scenarios (each lint is also run once with --no-cache, and its JSON output must equal the cached runs'):
 *   cold    full lint, no cache at all (the cache folder removed before each run); `cold --no-cache` the
 *           same without writing one (what the cache costs a first run)
 *   warm    full lint again, nothing changed (cache from the run before)
 *   staged  `--staged` with one new migration staged, its content new to the cache on every run
 *   base    `--base main` with one new migration committed on a branch, new to the cache on every run
 *   staged-cold / base-cold  the same without any cache (a first run after a clone)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCH_DIR, corpus, ensureRepo, nextMigration, VERSIONS } from './bench-gen.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const PYTHON = '/usr/bin/python3';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}
const SIZES = arg('sizes', '1000,10000').split(',').map(Number);
const RUNS = Number(arg('runs', '5'));
const COLD_RUNS = Number(arg('cold-runs', '3'));
const JSON_OUT = arg('json', path.join(BENCH_DIR, 'results.json'));

if (!fs.existsSync(path.join(ROOT, 'lib', 'cli.js'))) {
  console.error('bench: lib/cli.js is missing: run `npm run build` first');
  process.exit(2);
}
/**
 * The build is copied aside first: the cache is keyed by the build (engine/cache.ts), so a rebuild of lib/
 * during the run (by a watcher, or a colleague on a shared machine) would otherwise turn warm runs cold.
 * Bare imports still resolve to the repository's node_modules from there.
 */
const SNAPSHOT = path.join(BENCH_DIR, 'build');
fs.rmSync(SNAPSHOT, { recursive: true, force: true });
fs.mkdirSync(SNAPSHOT, { recursive: true });
fs.cpSync(path.join(ROOT, 'lib'), path.join(SNAPSHOT, 'lib'), { recursive: true, filter: (p) => !p.endsWith('.map') });
fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(SNAPSHOT, 'package.json'));
const CLI = path.join(SNAPSHOT, 'lib', 'cli.js');

/** Wall time (ms) and peak resident memory (MiB) of one process, through GNU time. */
function measure(cmd, args, cwd, { input, expectCodes = [0] } = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { cwd, input, maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const stderr = r.stderr.toString();
  const lines = stderr.trimEnd().split('\n');
  const kb = Number(lines[lines.length - 1]);
  if (!expectCodes.includes(r.status)) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${stderr}`);
  return { ms, mib: kb / 1024, stdout: r.stdout.toString() };
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

/** Runs every scenario of one repository size, interleaved, and checks that the cache changed no output. */
function benchSize(n, items) {
  const repo = ensureRepo(n, items);
  const dir = repo.dir;
  const versions = path.join(dir, VERSIONS);
  const cache = path.join(BENCH_DIR, `cache-${n}`);
  const lint = (extra, cacheArgs = ['--cache-location', cache]) => measure('node', [CLI, '--format', 'json', ...cacheArgs, ...extra], dir, { expectCodes: [0, 1] });
  const next = nextMigration(repo, n);
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
  return { n, files: fs.readdirSync(versions).length, diagnostics, scenarios: out };
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

const fmt = (x, d = 0) => x.toFixed(d);

function report(results) {
  const lines = [];
  const m = results.machine;
  lines.push(`Machine: ${m.nproc} CPUs (${m.cpu}), memory ${m.memory}; node ${m.node}, ${m.python}, ${m.git}; load average at start ${m.load}, at end ${results.loadEnd}.`);
  lines.push('');
  lines.push(`Medians of ${RUNS} runs (cold: ${COLD_RUNS}), wall time in ms; peak RSS is the largest of the runs.`);
  for (const r of results.sizes) {
    const s = r.scenarios;
    const py = s['CPython ast.parse'].ms;
    const node = s['node -e 0'].ms;
    lines.push('');
    lines.push(`### ${r.n.toLocaleString('en')} migrations (${r.diagnostics.errors} errors, ${r.diagnostics.warnings} warnings, ${r.diagnostics.suppressed} suppressed)`);
    lines.push('');
    lines.push('| scenario | ms | × CPython parse | × node -e 0 | peak RSS MiB | target |');
    lines.push('|---|---:|---:|---:|---:|---|');
    const target = { cold: `≤ 0.5× CPython`, warm: '≤ 0.15× CPython', staged: '≤ 3× node', base: '≤ 3× node' };
    const verdict = (name, v) => {
      if (name === 'cold') return v.ms <= 0.5 * py ? 'met' : `missed (${fmt(v.ms / py, 2)}×)`;
      if (name === 'warm') return v.ms <= 0.15 * py ? 'met' : `missed (${fmt(v.ms / py, 2)}×)`;
      if (name === 'staged' || name === 'base') return v.ms <= 3 * node ? 'met' : `missed (${fmt(v.ms / node, 2)}×)`;
      return '';
    };
    for (const name of ['cold', 'cold --no-cache', 'warm', 'staged', 'base', 'staged-cold', 'base-cold', 'CPython ast.parse', 'node -e 0']) {
      const v = s[name];
      if (!v) continue;
      const t = target[name] ? `${target[name]}: ${verdict(name, v)}` : '';
      lines.push(`| ${name} | ${fmt(v.ms)} | ${fmt(v.ms / py, 3)} | ${fmt(v.ms / node, 2)} | ${fmt(v.mib, 1)} | ${t} |`);
    }
    const mem = Math.max(...['cold', 'warm', 'staged', 'base'].map((k) => s[k].mib));
    lines.push('');
    lines.push(`Peak memory of the lint runs: ${fmt(mem, 1)} MiB (target ≤ 200 MiB: ${mem <= 200 ? 'met' : 'missed'}).`);
  }
  if (results.sizes.length === 2) {
    const [a, b] = results.sizes;
    const k = b.n / a.n;
    lines.push('');
    lines.push(`### Growth ${a.n.toLocaleString('en')} → ${b.n.toLocaleString('en')} (${k}× the files; linear or better means ≤ ${k}×)`);
    lines.push('');
    lines.push('| scenario | ms at 1k | ms at 10k | growth | ms per extra file |');
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
  return lines.join('\n');
}

const items = corpus();
console.error(`bench: corpus of ${items.length} migrations from fixtures/ and examples/; sizes ${SIZES.join(', ')}; ${RUNS} runs`);
const results = { machine: machine(), corpus: items.length, sizes: [], startup: null, loadEnd: '' };
results.startup = benchStartup(items);
for (const n of SIZES) {
  console.error(`bench: ${n} migrations…`);
  results.sizes.push(benchSize(n, items));
}
results.loadEnd = os.loadavg().map((l) => l.toFixed(2)).join(' ');
fs.mkdirSync(path.dirname(JSON_OUT), { recursive: true });
fs.writeFileSync(JSON_OUT, JSON.stringify(results, null, 2));
console.log(report(results));
