/**
 * The committed bundle and the Action's metadata: dist/ must be what the build makes from src/ now (the
 * check-dist convention), action.yml must declare the inputs and outputs README.md documents and run the bundle, and only
 * src/action may import @actions/*.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, tempDir } from './harness.js';

const run = promisify(execFile);

describe('dist/', () => {
  it('is not stale: a fresh build of src/ gives the committed files byte for byte', { timeout: 120_000 }, async () => {
    const out = tempDir('dist');
    await run(process.execPath, [path.join(ROOT, 'scripts', 'build-action.mjs'), '--out', out], { cwd: ROOT });
    const fresh = fs.readdirSync(out).sort();
    expect(fs.readdirSync(path.join(ROOT, 'dist')).sort()).toEqual(fresh);
    for (const name of fresh) {
      const same = fs.readFileSync(path.join(out, name)).equals(fs.readFileSync(path.join(ROOT, 'dist', name)));
      expect(same, `dist/${name} is stale: run \`npm run build:action\` and commit dist/`).toBe(true);
    }
  });

  it('is not ignored by git, and the npm build stays in lib/', () => {
    const ignore = fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8').split('\n').map((l) => l.trim());
    expect(ignore.filter((l) => /^\/?dist\/?$/.test(l))).toEqual([]);
    const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8'));
    expect(tsconfig.compilerOptions.outDir).toBe('lib');
  });

  it('keeps @actions/* inside src/action', () => {
    const offenders: string[] = [];
    const visit = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (p !== path.join(ROOT, 'src', 'action')) visit(p);
        } else if (/\.ts$/.test(e.name) && /from '@actions\//.test(fs.readFileSync(p, 'utf8'))) offenders.push(path.relative(ROOT, p));
      }
    };
    visit(path.join(ROOT, 'src'));
    expect(offenders).toEqual([]);
    // The entry only starts the run, after the V8 flag that must precede the parser's load (quick-start.ts).
    const entry = fs.readFileSync(path.join(ROOT, 'src', 'action', 'index.ts'), 'utf8');
    expect(entry.replace(/\/\*[\s\S]*?\*\//g, '').trim()).toBe("import './quick-start.js';\nimport { run } from './run.js';\n\nawait run();");
  });
});

describe('action.yml', () => {
  const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));

  it("runs the bundle on node24 with the documented inputs, outputs and branding", () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(Object.keys(action.inputs)).toEqual(['path', 'base', 'config', 'fail-on', 'github-token', 'annotations', 'comment']);
    expect(Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, (v as { default: string }).default]))).toEqual({
      path: '',
      base: '',
      config: '',
      'fail-on': 'error',
      'github-token': '${{ github.token }}',
      annotations: 'auto',
      comment: 'true',
    });
    expect(Object.keys(action.outputs)).toEqual(['errors', 'warnings', 'sarif-file']);
    expect(action.branding).toEqual({ icon: 'database', color: 'orange' });
  });

  it('declares every input the code reads, and nothing else', () => {
    const code = fs.readFileSync(path.join(ROOT, 'src', 'action', 'run.ts'), 'utf8');
    const read = [...code.matchAll(/core\.get(?:Multiline|Boolean)?Input\('([\w-]+)'/g)].map((m) => m[1]).sort();
    expect(read).toEqual(Object.keys(action.inputs).sort());
  });
});

describe('workflows', () => {
  const wf = (name: string) => parse(fs.readFileSync(path.join(ROOT, '.github', 'workflows', name), 'utf8'));

  it('self-test runs the Action from this checkout on fixtures', () => {
    const steps = Object.values(wf('self-test.yml').jobs as Record<string, { steps: { uses?: string; with?: Record<string, string> }[] }>).flatMap((j) => j.steps);
    const self = steps.filter((s) => s.uses === './');
    expect(self.length).toBeGreaterThan(0);
    for (const s of self) expect(fs.existsSync(path.join(ROOT, s.with!.path!))).toBe(true);
  });

  it('check-dist rebuilds dist/ and fails on a difference', () => {
    const text = JSON.stringify(wf('check-dist.yml'));
    expect(text).toContain('npm run build:action');
    expect(text).toContain('git diff --exit-code');
  });
});
