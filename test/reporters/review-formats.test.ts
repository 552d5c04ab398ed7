/**
 * --format gitlab and --format rdjson, end to end through the CLI, each held to its consumer's contract:
 *
 * - gitlab-codequality.schema.json was written for this project from GitLab's documentation of the Code
 *   Quality report format (its $comment says what it encodes); fingerprint uniqueness is checked here.
 * - reviewdog-rdf-DiagnosticResult.json is reviewdog's published JSON schema of rdjson, copied byte for byte
 *   from the reviewdog/reviewdog repository, proto/rdf/jsonschema/DiagnosticResult.json (last changed in
 *   commit 34a54e5b, 2024-06-14; read at 6c307503; sha256 89b09042…68569970). It is permissive (no required
 *   keys), so the tests also check what it only describes: columns in UTF-8 bytes, exclusive ends, and
 *   suggestions that, applied as reviewdog applies them, really fix the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import AjvDraft04Module from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { SourceLines } from '../../src/reporters/positions.js';
import { run } from '../cli/run.js';
import { mini, SQLMODEL_TEMPLATE, writeProject } from '../rules/helpers.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
// Both are CommonJS with a default export: the class is `.default` under Node's ESM interop.
type AjvClass = typeof AjvModule.default;
type Ajv04Class = typeof AjvDraft04Module.default;
const Ajv: AjvClass = (AjvModule as unknown as { default?: AjvClass }).default ?? (AjvModule as unknown as AjvClass);
const AjvDraft04: Ajv04Class = (AjvDraft04Module as unknown as { default?: Ajv04Class }).default ?? (AjvDraft04Module as unknown as Ajv04Class);
const EXAMPLE = path.resolve(HERE, '../../examples/fastapi-sqlmodel');
const validateGitlab = new Ajv({ allErrors: true }).compile(JSON.parse(fs.readFileSync(path.join(HERE, 'gitlab-codequality.schema.json'), 'utf8')));
const validateRdjson = new AjvDraft04({ allErrors: true }).compile(JSON.parse(fs.readFileSync(path.join(HERE, 'reviewdog-rdf-DiagnosticResult.json'), 'utf8')));

interface GitlabIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: string;
  location: { path: string; lines: { begin: number } };
}
interface RdPos {
  line: number;
  column?: number;
}
interface RdRange {
  start: RdPos;
  end?: RdPos;
}
interface RdDiagnostic {
  message: string;
  severity: string;
  location: { path: string; range: RdRange };
  code: { value: string; url: string };
  suggestions?: { range: RdRange; text: string }[];
}

async function report<T>(cwd: string, format: string, extra: string[] = []): Promise<{ code: number; doc: T }> {
  const r = await run(['--no-cache', '--format', format, ...extra], cwd);
  expect(r.stderr).toBe('');
  return { code: r.code, doc: JSON.parse(r.stdout) as T };
}

async function jsonDiagnostics(cwd: string) {
  const r = await run(['--no-cache', '--format', 'json'], cwd);
  return (JSON.parse(r.stdout) as { diagnostics: { rule: string; file: string; line: number; column: number; endLine: number; endColumn: number; severity: string }[] }).diagnostics;
}

describe('--format gitlab', () => {
  it("the bundled example's report validates against the schema from GitLab's docs, one issue per finding, unique fingerprints", async () => {
    const { code, doc } = await report<GitlabIssue[]>(EXAMPLE, 'gitlab');
    expect(code).toBe(1);
    expect(validateGitlab(doc), JSON.stringify(validateGitlab.errors)).toBe(true);
    const diagnostics = await jsonDiagnostics(EXAMPLE);
    expect(doc.map((i) => [i.check_name, i.location.path, i.location.lines.begin, i.severity])).toEqual(
      diagnostics.map((d) => [d.rule, d.file, d.line, d.severity === 'error' ? 'major' : 'minor']),
    );
    expect(new Set(doc.map((i) => i.fingerprint)).size).toBe(doc.length);
  });

  it('the schema rejects what GitLab would not read (a test of the test)', () => {
    const good = { description: 'x', check_name: 'raw-sql', fingerprint: 'f', severity: 'major', location: { path: 'a.py', lines: { begin: 1 } } };
    expect(validateGitlab([good])).toBe(true);
    expect(validateGitlab([{ ...good, severity: 'error' }])).toBe(false);
    expect(validateGitlab([{ ...good, location: { path: './a.py', lines: { begin: 1 } } }])).toBe(false);
    expect(validateGitlab([{ ...good, location: { path: 'a.py' } }])).toBe(false);
    expect(validateGitlab(good)).toBe(false);
  });

  it('fingerprints survive lines added above, tell identical findings apart, and change with the flagged code', async () => {
    const upgrade = ['    op.drop_table("hero")', '    op.execute("DELETE FROM team")', '    op.drop_table("hero")'];
    const before = writeProject({ versions: { 'a1b2c3d4e5f6_drop.py': mini({ upgrade, message: 'drop hero table' }) } });
    const shifted = writeProject({
      versions: { 'a1b2c3d4e5f6_drop.py': mini({ upgrade: ['    # why: the hero table', '    # moved to another service', ...upgrade.map((l) => l.replace('op.', 'op .'))], message: 'drop hero table' }) },
    });
    const edited = writeProject({ versions: { 'a1b2c3d4e5f6_drop.py': mini({ upgrade: [...upgrade.slice(0, 2), '    op.drop_table("villain")'], message: 'drop hero table' }) } });
    const a = (await report<GitlabIssue[]>(before, 'gitlab')).doc;
    const b = (await report<GitlabIssue[]>(shifted, 'gitlab')).doc;
    const c = (await report<GitlabIssue[]>(edited, 'gitlab')).doc;
    for (const doc of [a, b, c]) expect(validateGitlab(doc), JSON.stringify(validateGitlab.errors)).toBe(true);
    const drops = (doc: GitlabIssue[]) => doc.filter((i) => i.check_name === 'destructive-operation');
    // Two identical `op.drop_table("hero")` on lines 10 and 12: two findings, two fingerprints.
    expect(drops(a).map((i) => i.location.lines.begin)).toEqual([10, 11, 12]);
    expect(new Set(a.map((i) => i.fingerprint)).size).toBe(a.length);
    // Two comment lines above (and whitespace inside the call) move every line by 2 and no fingerprint.
    expect(drops(b).map((i) => i.location.lines.begin)).toEqual([12, 13, 14]);
    expect(b.map((i) => i.fingerprint)).toEqual(a.map((i) => i.fingerprint));
    // Editing the second drop changes its fingerprint only.
    expect(drops(c).map((i) => i.fingerprint)).toEqual([drops(a)[0]!.fingerprint, drops(a)[1]!.fingerprint, expect.not.stringMatching(drops(a)[2]!.fingerprint)]);
    expect(c.filter((i) => i.check_name !== 'destructive-operation').map((i) => i.fingerprint)).toEqual(a.filter((i) => i.check_name !== 'destructive-operation').map((i) => i.fingerprint));
  });
});

/** Applies reviewdog suggestions to a file's bytes as reviewdog does: byte columns, exclusive ends. */
function applySuggestions(bytes: Buffer, suggestions: { range: RdRange; text: string }[]): Buffer {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const starts = [bom];
  for (let i = bom; i < bytes.length; i++) {
    if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) starts.push(i + 1);
  }
  const at = (p: RdPos) => starts[p.line - 1]! + (p.column ?? 1) - 1;
  const edits = suggestions.map((s) => ({ start: at(s.range.start), end: at(s.range.end ?? s.range.start), text: s.text })).sort((x, y) => y.start - x.start);
  let out = bytes;
  for (const e of edits) out = Buffer.concat([out.subarray(0, e.start), Buffer.from(e.text, 'utf8'), out.subarray(e.end)]);
  return out;
}

describe('--format rdjson', () => {
  it("the bundled example's report validates against reviewdog's schema: every finding, its rule's docs URL, suggestions for fixable ones", async () => {
    const { code, doc } = await report<{ source: { name: string }; diagnostics: RdDiagnostic[] }>(EXAMPLE, 'rdjson');
    expect(code).toBe(1);
    expect(validateRdjson(doc), JSON.stringify(validateRdjson.errors)).toBe(true);
    expect(doc.source.name).toBe('migration-lint');
    const diagnostics = await jsonDiagnostics(EXAMPLE);
    expect(doc.diagnostics.map((d) => [d.code.value, d.location.path, d.location.range.start.line, d.location.range.end?.line, d.severity])).toEqual(
      diagnostics.map((d) => [d.rule, d.file, d.line, d.endLine, d.severity.toUpperCase()]),
    );
    for (const d of doc.diagnostics) expect(d.code.url).toMatch(new RegExp(`/docs/rules/${d.code.value}\\.md$`));
    const fixable = (await run(['--no-cache', '--format', 'json'], EXAMPLE)).stdout;
    const fixableCount = (JSON.parse(fixable) as { diagnostics: { fixable: boolean }[] }).diagnostics.filter((d) => d.fixable).length;
    expect(fixableCount).toBeGreaterThan(0);
    expect(doc.diagnostics.filter((d) => d.suggestions?.length).length).toBe(fixableCount);
  });

  it('columns count UTF-8 bytes on the line (non-BMP characters, CRLF, a BOM), ends exclusive', async () => {
    const line = `    op.execute("DELETE FROM hero WHERE name = '𝒳é'"); op.drop_table("hero")`;
    const text = `\uFEFF${mini({ upgrade: [line], message: 'drop 𝒳 hero' })}`.replace(/\n/g, '\r\n');
    const dir = writeProject({ versions: { 'a1b2c3d4e5f6_drop.py': text } });
    const { doc } = await report<{ diagnostics: RdDiagnostic[] }>(dir, 'rdjson');
    expect(validateRdjson(doc), JSON.stringify(validateRdjson.errors)).toBe(true);
    const drop = doc.diagnostics.find((d) => d.code.value === 'destructive-operation' && d.message.startsWith('Drops table'))!;
    const bytes = Buffer.from(line, 'utf8');
    const { start, end } = drop.location.range;
    expect(start.line).toBe(10);
    expect(bytes.subarray(0, start.column! - 1).toString('utf8')).toBe(line.slice(0, line.indexOf('op.drop_table')));
    expect(bytes.subarray(start.column! - 1, end!.column! - 1).toString('utf8')).toBe('op.drop_table("hero")');
    // The code-point column the other formats give is smaller by the extra bytes of 𝒳 (3) and é (1).
    const json = (await jsonDiagnostics(dir)).find((d) => d.rule === 'destructive-operation' && d.line === 10 && d.column > 10)!;
    expect(start.column! - json.column).toBe(4);
  });

  it('suggestions applied as reviewdog applies them fix the finding (CRLF, BOM and non-BMP text before the edit)', async () => {
    const body = mini({ upgrade: ['    op.add_column("hero", sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=True))  # 𝒳'], message: 'add 𝒳 hero name' });
    const file = 'a1b2c3d4e5f6_add.py';
    const dir = writeProject({ versions: { [file]: `\uFEFF${body.replace(/\n/g, '\r\n')}` }, template: SQLMODEL_TEMPLATE });
    const { doc } = await report<{ diagnostics: RdDiagnostic[] }>(dir, 'rdjson');
    const missing = doc.diagnostics.filter((d) => d.code.value === 'missing-sqlmodel-import');
    expect(missing).toHaveLength(1);
    // After `import sqlalchemy as sa` (23 bytes) on line 3, in the file's own line ending.
    expect(missing[0]!.suggestions).toEqual([{ range: { start: { line: 3, column: 24 }, end: { line: 3, column: 24 } }, text: '\r\nimport sqlmodel' }]);
    const abs = path.join(dir, 'alembic', 'versions', file);
    fs.writeFileSync(abs, applySuggestions(fs.readFileSync(abs), missing[0]!.suggestions!));
    const after = (await report<{ diagnostics: RdDiagnostic[] }>(dir, 'rdjson')).doc;
    expect(after.diagnostics.filter((d) => d.code.value === 'missing-sqlmodel-import')).toEqual([]);
    const fixed = fs.readFileSync(abs);
    expect(fixed.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(fixed.toString('utf8')).toContain('import sqlalchemy as sa\r\nimport sqlmodel');
  });
});

describe('SourceLines: our columns in other units', () => {
  const lines = new SourceLines('a𐐀b\r\nx\ré\n');
  it("reviewdog's own example: in 'a𐐀b' the column of b is 6 in UTF-8 bytes", () => {
    expect([1, 2, 3, 4].map((c) => lines.utf8Column(1, c))).toEqual([1, 2, 6, 7]);
  });
  it('UTF-16 characters for the LSP, and back; CRLF and lone CR end lines', () => {
    expect([1, 2, 3, 4].map((c) => lines.utf16Character(1, c))).toEqual([0, 1, 3, 4]);
    expect([0, 1, 2, 3, 4].map((ch) => lines.codePointColumn(1, ch))).toEqual([1, 2, 2, 3, 4]);
    expect([lines.text(1), lines.text(2), lines.text(3), lines.count]).toEqual(['a𐐀b', 'x', 'é', 4]);
    expect(lines.slice(1, 2, 3, 2)).toBe('𐐀b\nx\né');
  });
});
