/**
 * Reporters, each against the contract its consumer holds it to: stylish's exact text, the JSON report's documented shape,
 * the official SARIF 2.1.0 schema, @actions/core's own escaping, and an XML parser for JUnit.
 *
 * sarif-schema-2.1.0-rtm.5.json is the SARIF 2.1.0 JSON schema (OASIS SARIF TC, final release candidate
 * 5 = the 2.1.0 standard's schema as SchemaStore publishes it), copied byte for byte from the npm package
 * @microsoft/jest-sarif@1.0.0-beta.0 (lib/schemas/sarif-2.1.0-rtm.5.json; sha256 2d99159a…4de4f8).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as core from '@actions/core';
import AjvDraft04 from 'ajv-draft-04';
import addFormatsPlugin from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import type { LintResult } from '../../src/model/result.js';
import { reporters } from '../../src/reporters/index.js';
import type { ReportContext } from '../../src/reporters/types.js';
import { rules } from '../../src/rules/index.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function diag(over: Partial<Diagnostic>): Diagnostic {
  return {
    rule: 'raw-sql',
    severity: 'error',
    file: 'backend/app/alembic/versions/79069a325e14_add_item_status.py',
    line: 22,
    column: 5,
    endLine: 22,
    endColumn: 52,
    message: 'upgrade() runs custom SQL through `op.execute(…)`',
    help: 'Approve it: `# migration-lint: ignore raw-sql -- <why>`.',
    fixable: false,
    ...over,
  };
}

const SAMPLE: Diagnostic[] = [
  diag({ rule: 'missing-sqlmodel-import', file: 'backend/app/alembic/versions/16db34190a95_add_user_bio.py', line: 21, column: 44, endLine: 21, endColumn: 52, message: '`sqlmodel` is used here but never imported', help: 'Add `import sqlmodel`.', fixable: true }),
  diag({ rule: 'vague-message', severity: 'warning', file: 'backend/app/alembic/versions/16db34190a95_add_user_bio.py', line: 1, column: 4, endLine: 1, endColumn: 10, message: 'Revision message "update" says nothing', help: 'Say what changes.' }),
  diag({}),
  diag({ rule: 'not-null-without-default', line: 23, column: 5, endLine: 25, endColumn: 6, message: "Adds NOT NULL column 'status'", help: 'Give it a server default.' }),
];

function result(diagnostics: Diagnostic[], over: Partial<LintResult> = {}): LintResult {
  return { diagnostics, suppressed: [], fileCount: 3, environments: [], fixed: [], ...over };
}

function render(format: string, r: LintResult, over: Partial<ReportContext> = {}): string {
  return reporters[format]!({ result: r, rules, color: false, quiet: false, reportSuppressed: false, version: '9.9.9', docsBase: 'https://example.test/docs/rules', ...over });
}

describe('stylish', () => {
  it('groups by file, one clickable path:line:col per finding, help under it, a summary line', () => {
    expect(render('stylish', result(SAMPLE))).toBe(
      [
        'backend/app/alembic/versions/16db34190a95_add_user_bio.py',
        '  backend/app/alembic/versions/16db34190a95_add_user_bio.py:21:44  error    `sqlmodel` is used here but never imported  missing-sqlmodel-import',
        '    help: Add `import sqlmodel`.',
        '  backend/app/alembic/versions/16db34190a95_add_user_bio.py:1:4  warning  Revision message "update" says nothing  vague-message',
        '    help: Say what changes.',
        '',
        'backend/app/alembic/versions/79069a325e14_add_item_status.py',
        '  backend/app/alembic/versions/79069a325e14_add_item_status.py:22:5  error    upgrade() runs custom SQL through `op.execute(…)`  raw-sql',
        '    help: Approve it: `# migration-lint: ignore raw-sql -- <why>`.',
        "  backend/app/alembic/versions/79069a325e14_add_item_status.py:23:5  error    Adds NOT NULL column 'status'  not-null-without-default",
        '    help: Give it a server default.',
        '',
        '✖ 4 problems (3 errors, 1 warning) in 3 migrations',
        '  1 fixable with `npx migration-lint --fix`',
        '',
      ].join('\n'),
    );
  });

  it('a clean run says so, with the suppressed count', () => {
    expect(render('stylish', result([], { suppressed: [diag({})], fileCount: 1 }))).toBe('✔ 1 migration checked, no problems, 1 suppressed\n');
  });

  it('warnings only: the summary counts them', () => {
    expect(render('stylish', result([SAMPLE[1]!], { fileCount: 1 })).split('\n').slice(-2)).toEqual(['✖ 1 problem (0 errors, 1 warning) in 1 migration', '']);
  });

  it('--report-suppressed lists the approvals; --fix lists what it changed; several environments are named', () => {
    const out = render(
      'stylish',
      result([], {
        suppressed: [diag({})],
        fixed: [{ file: 'a.py', description: 'insert `import sqlmodel`' }],
        environments: [
          { name: '[main] alembic.ini', versions: ['main/versions'], files: [], template: null },
          { name: '[tenant] alembic.ini', versions: ['tenant/versions'], files: [], template: null },
        ],
      }),
      { reportSuppressed: true },
    );
    expect(out).toBe(
      [
        'Approved (suppressed with a reason):',
        '  backend/app/alembic/versions/79069a325e14_add_item_status.py:22:5  raw-sql  upgrade() runs custom SQL through `op.execute(…)`',
        '',
        'fixed a.py: insert `import sqlmodel`',
        '',
        'Linted 2 Alembic environments: [main] alembic.ini, [tenant] alembic.ini',
        '✔ 3 migrations checked, no problems, 1 suppressed',
        '',
      ].join('\n'),
    );
  });

  it('colours only when asked', () => {
    const plain = render('stylish', result(SAMPLE));
    const coloured = render('stylish', result(SAMPLE), { color: true });
    expect(plain).not.toMatch(/\x1b\[/);
    expect(coloured).toMatch(/\x1b\[31merror {2}\x1b\[39m/);
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain);
  });
});

describe('json', () => {
  it("is the documented shape exactly", () => {
    const doc = JSON.parse(render('json', result(SAMPLE.slice(0, 2), { suppressed: [diag({})] })));
    expect(doc).toStrictEqual({
      version: 1,
      diagnostics: [
        {
          rule: 'missing-sqlmodel-import',
          severity: 'error',
          file: 'backend/app/alembic/versions/16db34190a95_add_user_bio.py',
          line: 21,
          column: 44,
          endLine: 21,
          endColumn: 52,
          message: '`sqlmodel` is used here but never imported',
          fixable: true,
          help: 'Add `import sqlmodel`.',
        },
        {
          rule: 'vague-message',
          severity: 'warning',
          file: 'backend/app/alembic/versions/16db34190a95_add_user_bio.py',
          line: 1,
          column: 4,
          endLine: 1,
          endColumn: 10,
          message: 'Revision message "update" says nothing',
          fixable: false,
          help: 'Say what changes.',
        },
      ],
      summary: { files: 3, errors: 1, warnings: 1, suppressed: 1 },
    });
  });

  it('no internal field leaks into a diagnostic', () => {
    const leaky = { ...diag({}), internal: 'x' } as Diagnostic;
    const doc = JSON.parse(render('json', result([leaky])));
    expect(Object.keys(doc.diagnostics[0])).toEqual(['rule', 'severity', 'file', 'line', 'column', 'endLine', 'endColumn', 'message', 'fixable', 'help']);
  });

  it('suppressed findings are listed only with --report-suppressed', () => {
    const doc = JSON.parse(render('json', result([], { suppressed: [diag({})] }), { reportSuppressed: true }));
    expect(doc.suppressed.map((d: Diagnostic) => `${d.rule}@${d.line}:${d.column}`)).toEqual(['raw-sql@22:5']);
  });
});

describe('sarif', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(HERE, 'sarif-schema-2.1.0-rtm.5.json'), 'utf8'));
  // Both packages are CommonJS with a `default` property: take it when the import gives the namespace.
  type AjvClass = typeof AjvDraft04.default;
  type FormatsFn = typeof addFormatsPlugin.default;
  const Ajv: AjvClass = (AjvDraft04 as unknown as { default?: AjvClass }).default ?? (AjvDraft04 as unknown as AjvClass);
  const addFormats: FormatsFn = (addFormatsPlugin as unknown as { default?: FormatsFn }).default ?? (addFormatsPlugin as unknown as FormatsFn);
  // The schema's `language` pattern (`…{2}]?$`) is valid only without the u flag, as JSON Schema's ECMA 262 regexes were.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);

  const hostile = [
    ...SAMPLE,
    diag({ file: 'backend/versions/a b#c?d%e:f é.py', message: 'line one\nline two "quoted" <tag>' }),
    diag({ rule: 'missing-sqlmodel-import', line: 1, column: 1, endLine: 1, endColumn: 1, message: 'zero-width at the file start' }),
  ];

  it('validates against the official SARIF 2.1.0 schema', () => {
    const doc = JSON.parse(render('sarif', result(hostile)));
    const ok = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('an empty run validates too', () => {
    expect(validate(JSON.parse(render('sarif', result([]))))).toBe(true);
  });

  it('the validator is not vacuous: a wrong level is refused', () => {
    const doc = JSON.parse(render('sarif', result(SAMPLE)));
    doc.runs[0].results[0].level = 'fatal';
    expect(validate(doc)).toBe(false);
  });

  it('what GitHub code scanning reads: rules with helpUri, results with ruleId/ruleIndex, level, relative uri, region', () => {
    const doc = JSON.parse(render('sarif', result(hostile)));
    const run = doc.runs[0];
    expect(doc.runs).toHaveLength(1);
    const driverRules = run.tool.driver.rules as { id: string; helpUri: string }[];
    expect(driverRules.map((r) => r.id)).toEqual(rules.map((r) => r.meta.id));
    expect(driverRules.find((r) => r.id === 'raw-sql')!.helpUri).toBe('https://example.test/docs/rules/raw-sql.md');
    for (const res of run.results) expect(driverRules[res.ruleIndex]!.id).toBe(res.ruleId);
    expect(run.results.map((r: { level: string }) => r.level)).toEqual(['error', 'warning', 'error', 'error', 'error', 'error']);
    const locs = run.results.map((r: { locations: { physicalLocation: unknown }[] }) => r.locations[0]!.physicalLocation);
    expect(locs[3]).toEqual({ artifactLocation: { uri: 'backend/app/alembic/versions/79069a325e14_add_item_status.py', uriBaseId: '%SRCROOT%' }, region: { startLine: 23, startColumn: 5, endLine: 25, endColumn: 6 } });
    expect(locs[4].artifactLocation.uri).toBe('backend/versions/a%20b%23c%3Fd%25e%3Af%20%C3%A9.py');
    expect(decodeURIComponent(locs[4].artifactLocation.uri)).toBe('backend/versions/a b#c?d%e:f é.py');
    // SARIF regions are half-open: a zero-width finding still needs endColumn past startColumn.
    expect(locs[5].region).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 });
    expect(run.columnKind).toBe('unicodeCodePoints');
  });
});

describe('github', () => {
  /** What @actions/core itself prints for the same annotation. */
  function coreSays(d: Diagnostic): string {
    const chunks: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((c: string | Uint8Array) => (chunks.push(String(c)), true)) as typeof process.stdout.write;
    try {
      const props: core.AnnotationProperties = { title: d.rule, file: d.file, startLine: d.line, endLine: d.endLine };
      if (d.line === d.endLine) Object.assign(props, { startColumn: d.column, endColumn: d.endColumn });
      (d.severity === 'error' ? core.error : core.warning)(`${d.message}\nhelp: ${d.help}`, props);
    } finally {
      process.stdout.write = write;
    }
    return chunks.join('');
  }

  const evil = [
    ...SAMPLE,
    diag({ file: 'backend/versions/a,b:c%d.py', message: 'UPDATE x SET y = 1%0A::error::pwned\r\n::set-output name=x::y\n::add-mask::secret', help: '100% sure, really:\n::stop-commands::tok' }),
    diag({ rule: 'vague-message', severity: 'warning', message: 'multi\rline' }),
  ];

  it('is byte for byte what @actions/core prints, hostile text included', () => {
    expect(render('github', result(evil))).toBe(evil.map(coreSays).join(''));
  });

  it('no message can start a workflow command of its own', () => {
    const lines = render('github', result(evil)).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(evil.length);
    for (const line of lines) expect(line).toMatch(/^::(error|warning) title=[^:,]+,file=[^:,]+,line=\d+,endLine=\d+(,col=\d+,endColumn=\d+)?::[^\r\n]*$/);
    expect(lines[4]).toBe(
      '::error title=raw-sql,file=backend/versions/a%2Cb%3Ac%25d.py,line=22,endLine=22,col=5,endColumn=52::UPDATE x SET y = 1%250A::error::pwned%0D%0A::set-output name=x::y%0A::add-mask::secret%0Ahelp: 100%25 sure, really:%0A::stop-commands::tok',
    );
  });

  it('a finding that spans lines carries no columns (GitHub would drop the annotation)', () => {
    expect(render('github', result([SAMPLE[3]!]))).toBe(
      "::error title=not-null-without-default,file=backend/app/alembic/versions/79069a325e14_add_item_status.py,line=23,endLine=25::Adds NOT NULL column 'status'%0Ahelp: Give it a server default.\n",
    );
  });

  it('nothing to say prints nothing', () => {
    expect(render('github', result([]))).toBe('');
  });
});

describe('junit', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) });

  it('is well-formed XML that keeps every finding, hostile text included', () => {
    const nasty = diag({ file: 'a&b<c>.py', message: `<tag> & "quotes" 'apos' ]]> \u0001bell`, help: 'x < y' });
    const xml = render('junit', result([...SAMPLE, nasty]));
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml);
    expect(doc.testsuites).toMatchObject({ name: 'migration-lint', tests: '5', failures: '5', errors: '0' });
    const suites = doc.testsuites.testsuite as { name: string; tests: string; testcase: { name: string; failure: { type: string; message: string; '#text': string } }[] }[];
    expect(suites.map((s) => [s.name, s.tests])).toEqual([
      ['backend/app/alembic/versions/16db34190a95_add_user_bio.py', '2'],
      ['backend/app/alembic/versions/79069a325e14_add_item_status.py', '2'],
      ['a&b<c>.py', '1'],
    ]);
    const last = suites[2]!.testcase[0]!;
    expect(last.name).toBe('raw-sql a&b<c>.py:22:5');
    expect(last.failure.type).toBe('raw-sql');
    // XML 1.0 cannot carry U+0001 at all, so it is dropped; everything else survives the round trip.
    expect(last.failure.message).toBe(`<tag> & "quotes" 'apos' ]]> bell`);
    expect(last.failure['#text']).toBe(`error: a&b<c>.py:22:5 <tag> & "quotes" 'apos' ]]> bell\nhelp: x < y`);
  });

  it('a clean run is one passing test case', () => {
    const xml = render('junit', result([], { fileCount: 7 }));
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml);
    expect(doc.testsuites.failures).toBe('0');
    expect(doc.testsuites.testsuite[0].testcase[0].name).toBe('7 migrations checked');
  });
});
