// undefined-name against two oracles. pyflakes (Debian's python3-pyflakes, run by /usr/bin/python3)
// must report the same undefined names, at the same places, on every .py file of fixtures/ and
// examples/. CPython must agree at runtime: each migration is imported and its upgrade() and
// downgrade() called with a stand-in `op`; a NameError is raised exactly where the linter reports
// an undefined name. For each undefined-name bad case, the file raises NameError and the file
// `migration-lint --fix` writes does not.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFacts } from '../../src/facts/extract.js';
import { decodePython, LineIndex } from '../../src/parse/source.js';
import { SQLMODEL_CASES } from '../facts/sqlmodel-cases.js';
import { lint, PYTHON, REPO } from './helpers.js';

const RULE = 'undefined-name';

function pythonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== '__pycache__') out.push(...pythonFiles(full));
    } else if (e.name.endsWith('.py')) out.push(full);
  }
  return out.sort();
}

const FILES = [...pythonFiles(path.join(REPO, 'fixtures')), ...pythonFiles(path.join(REPO, 'examples'))];
const rel = (f: string) => path.relative(REPO, f).split(path.sep).join('/');
const isMigration = (f: string) => /\/versions\/[^/]+\.py$/.test(rel(f));

function exec(cmd: string, args: string[], cwd = REPO): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, maxBuffer: 64 << 20, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') reject(err);
      else resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
    });
  });
}

/** What the linter's facts say about a file: `line:col name`, with pyflakes' columns (UTF-8 bytes, 1-based). */
function ours(file: string): { names: string[]; facts: ReturnType<typeof extractFacts>; lines: LineIndex } {
  const { text } = decodePython(readFileSync(file));
  const lines = new LineIndex(text);
  const facts = extractFacts(text, lines);
  const names = facts.undefinedNames.map((u) => {
    const p = lines.position(u.span.start);
    const before = lines.lineText(p.line).slice(0, u.span.start - lines.lineStart(p.line));
    return `${p.line}:${Buffer.byteLength(before, 'utf8') + 1} ${u.name}`;
  });
  return { names, facts, lines };
}

// Imports each file as a module, then calls upgrade() and downgrade() (parameters get stand-ins too):
// one JSON line per file with null (ran), {"kind": "NameError", "name": …} or another exception.
const HARNESS = String.raw`
import inspect, json, sys, types

class Stub:
    """Stands in for alembic.op (and whatever it returns): every attribute is a callable accepting anything."""
    def __getattr__(self, name):
        return Stub()
    def __call__(self, *args, **kwargs):
        return Stub()
    def __enter__(self):
        return Stub()
    def __exit__(self, *exc):
        return False
    def __iter__(self):
        return iter(())

def attempt(fn, *args):
    try:
        fn(*args)
        return None
    except NameError as e:  # UnboundLocalError too
        return {"kind": "NameError", "name": e.name, "message": str(e)}
    except Exception as e:
        return {"kind": type(e).__name__, "message": str(e)}

for path in sys.argv[1:]:
    module = types.ModuleType("migration")
    module.__file__ = path
    ns = module.__dict__
    with open(path, "rb") as fh:
        code = compile(fh.read(), path, "exec")
    out = {"file": path, "import": attempt(exec, code, ns)}
    if out["import"] is None:
        if "op" in ns:
            ns["op"] = Stub()
        for name in ("upgrade", "downgrade"):
            fn = ns.get(name)
            if not callable(fn):
                out[name] = "absent"
                continue
            required = [p for p in inspect.signature(fn).parameters.values()
                        if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
            out[name] = attempt(fn, *[Stub() for _ in required])
    print(json.dumps(out))
`;

interface Outcome {
  kind: string;
  name?: string;
  message: string;
}
interface RunRecord {
  file: string;
  import: Outcome | null;
  upgrade?: Outcome | null | 'absent';
  downgrade?: Outcome | null | 'absent';
}

async function runMigrations(files: string[]): Promise<Map<string, RunRecord>> {
  const r = await exec(PYTHON, ['-c', HARNESS, ...files]);
  expect(r.code, r.stderr).toBe(0);
  const out = new Map<string, RunRecord>();
  for (const line of r.stdout.trim().split('\n')) {
    const rec = JSON.parse(line) as RunRecord;
    out.set(rec.file, rec);
  }
  return out;
}

describe(`${RULE}: pyflakes agrees on every .py of fixtures/ and examples/`, () => {
  let pyflakes = new Map<string, string[]>();

  beforeAll(async () => {
    const r = await exec(PYTHON, ['-m', 'pyflakes', ...FILES]);
    expect(r.stderr.includes('No module named pyflakes'), 'install python3-pyflakes (Debian)').toBe(false);
    pyflakes = new Map(FILES.map((f) => [f, []]));
    for (const line of r.stdout.split('\n')) {
      // Only its "undefined name" messages; `… in __all__` is about export lists, not about running code.
      const m = /^(.*):(\d+):(\d+):? undefined name '([^']+)'$/.exec(line);
      if (m) pyflakes.get(m[1]!)?.push(`${m[2]}:${m[3]} ${m[4]}`);
    }
  });

  it('finds the files, and pyflakes finds undefined names in them (the comparison is not vacuous)', () => {
    expect(FILES.length).toBeGreaterThan(100);
    const all = [...pyflakes.values()].flat();
    expect(all.some((n) => n.endsWith(' sa'))).toBe(true);
    expect(all.some((n) => n.endsWith(' postgresql'))).toBe(true);
    expect(all.some((n) => n.endsWith(' sqlmodel'))).toBe(true);
  });

  it('reports the same names at the same places, file by file', () => {
    const mine = Object.fromEntries(FILES.map((f) => [rel(f), ours(f).names.sort()]));
    const theirs = Object.fromEntries(FILES.map((f) => [rel(f), [...(pyflakes.get(f) ?? [])].sort()]));
    expect(mine).toEqual(theirs);
  });
});

describe(`${RULE}: CPython agrees when the migrations run`, () => {
  const migrations = FILES.filter(isMigration).filter((f) => ours(f).facts.parseError === null);
  let runs = new Map<string, RunRecord>();

  beforeAll(async () => {
    runs = await runMigrations(migrations);
  });

  it('runs every migration that parses', () => {
    expect(migrations.length).toBeGreaterThan(80);
    expect(runs.size).toBe(migrations.length);
  });

  it('raises NameError exactly where an undefined name is reported, and nowhere else', () => {
    const mismatches: string[] = [];
    let nameErrors = 0;
    for (const file of migrations) {
      const { facts } = ours(file);
      const rec = runs.get(file)!;
      const atImport = new Set(facts.undefinedNames.filter((u) => u.atImport).map((u) => u.name));
      const check = (what: string, outcome: Outcome | null | 'absent' | undefined, expected: Set<string>) => {
        if (outcome === 'absent' || outcome === undefined) return;
        if (outcome?.kind === 'NameError') nameErrors++;
        const ok = expected.size === 0 ? outcome === null : outcome?.kind === 'NameError' && expected.has(outcome.name!);
        if (!ok) mismatches.push(`${rel(file)} ${what}: reported ${[...expected].join(', ') || 'nothing'}, Python: ${JSON.stringify(outcome)}`);
      };
      check('import', rec.import, atImport);
      if (rec.import !== null) continue;
      for (const kind of ['upgrade', 'downgrade'] as const) {
        const fn = facts.functions.find((f) => f.name === kind);
        const inside = new Set(
          facts.undefinedNames.filter((u) => fn && !u.atImport && u.span.start >= fn.span.start && u.span.end <= fn.span.end).map((u) => u.name),
        );
        check(kind, rec[kind], inside);
      }
    }
    expect(mismatches).toEqual([]);
    expect(nameErrors, 'the fixtures hold NameErrors (missing sqlmodel, sa, postgresql)').toBeGreaterThan(5);
  });
});

describe(`${RULE}: bad fixtures raise NameError, and the autofixed files do not`, () => {
  const casesDir = path.join(REPO, 'fixtures/rules', RULE);
  const bad = readdirSync(casesDir).filter((d) => d.startsWith('bad') && statSync(path.join(casesDir, d)).isDirectory());
  const tmp = mkdtempSync(path.join(tmpdir(), 'ml-oracle-undefined-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('has bad cases', () => {
    expect(bad.length).toBeGreaterThanOrEqual(2);
  });

  it.each(bad)('%s', async (kase) => {
    const root = path.join(tmp, kase);
    cpSync(path.join(casesDir, kase), root, { recursive: true });
    const before = await lint(root);
    const flagged = before.report.diagnostics.filter((d) => d.rule === RULE);
    expect(flagged.length).toBeGreaterThan(0);
    const files = [...new Set(flagged.map((d) => path.join(root, d.file)))];
    const names = new Set(flagged.map((d) => /^`([^`]+)`/.exec(d.message)![1]));

    const broken = await runMigrations(files);
    for (const f of files) {
      const up = broken.get(f)!.upgrade as Outcome | null;
      expect(up?.kind, `${kase}: ${path.basename(f)} upgrade()`).toBe('NameError');
      expect(names.has(up!.name!), `NameError for ${up!.name}, reported: ${[...names].join(', ')}`).toBe(true);
    }

    const fixed = await lint(root, ['--fix']);
    expect([0, 1], fixed.stderr).toContain(fixed.code);
    expect(fixed.report.diagnostics.filter((d) => d.rule === RULE), 're-lint after --fix').toEqual([]);
    const healed = await runMigrations(files);
    for (const f of files) {
      expect(healed.get(f)!.import, `${kase}: import of the fixed ${path.basename(f)}`).toBeNull();
      expect(healed.get(f)!.upgrade, `${kase}: upgrade() of the fixed ${path.basename(f)}`).toBeNull();
      expect(healed.get(f)!.downgrade, `${kase}: downgrade() of the fixed ${path.basename(f)}`).toBeNull();
    }
  });
});

describe('sqlmodel: CPython decides the cases the two resolvers of issue 16 disagreed on', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'ml-oracle-sqlmodel-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('raises NameError for sqlmodel exactly in the cases where facts find a use, and nothing else goes wrong', async () => {
    const files = SQLMODEL_CASES.map((c, i) => {
      const file = path.join(tmp, `case_${i}.py`);
      writeFileSync(file, c.code);
      return file;
    });
    const runs = await runMigrations(files);
    const verdicts = SQLMODEL_CASES.map((c, i) => {
      const rec = runs.get(files[i]!)!;
      const outcomes = [rec.import, rec.upgrade, rec.downgrade].filter((o): o is Outcome => typeof o === 'object' && o !== null);
      const other = outcomes.find((o) => !(o.kind === 'NameError' && o.name === 'sqlmodel'));
      return [c.what, other ? `${other.kind}: ${other.message}` : outcomes.length > 0];
    });
    expect(verdicts).toEqual(SQLMODEL_CASES.map((c) => [c.what, c.uses.length > 0]));
    // The facts' side of the same table: test/facts/extract.test.ts.
    expect(SQLMODEL_CASES.filter((c) => extractFacts(c.code).sqlmodelUses.length !== c.uses.length).map((c) => c.what)).toEqual([]);
  });
});
