/** SARIF 2.1.0 as GitHub code scanning accepts it: one run, the rule catalogue, relative artifact URIs. */
import type { Reporter } from './types.js';

/**
 * A relative URI reference for a `/`-separated path: each segment percent-encoded, so `#`, `?` and `%` stay
 * part of the name, and `:` too (encodeURIComponent escapes it), which in a first segment would read as a scheme.
 */
export function fileUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

export const sarif: Reporter = ({ result, rules, version, docsBase }) => {
  const ruleIndex = new Map(rules.map((r, i) => [r.meta.id, i]));
  const doc = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'migration-lint',
            version,
            informationUri: 'https://www.npmjs.com/package/migration-lint',
            rules: rules.map((r) => ({
              id: r.meta.id,
              name: r.meta.id.replace(/(^|-)(\w)/g, (_, _d: string, ch: string) => ch.toUpperCase()),
              shortDescription: { text: r.meta.description },
              fullDescription: { text: r.meta.description },
              help: { text: r.meta.help },
              helpUri: `${docsBase}/${r.meta.id}.md`,
              defaultConfiguration: { level: r.meta.defaultSeverity === 'error' ? 'error' : 'warning' },
            })),
          },
        },
        results: result.diagnostics.map((d) => ({
          ruleId: d.rule,
          ruleIndex: ruleIndex.get(d.rule) ?? -1,
          level: d.severity === 'error' ? 'error' : 'warning',
          message: { text: d.help ? `${d.message}\nhelp: ${d.help}` : d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: fileUri(d.file), uriBaseId: '%SRCROOT%' },
                region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: Math.max(d.endColumn, d.endLine === d.line ? d.column + 1 : 1) },
              },
            },
          ],
          properties: { help: d.help },
        })),
        columnKind: 'unicodeCodePoints',
      },
    ],
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
};
