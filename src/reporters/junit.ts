/** JUnit XML for CI systems that show test reports: one testsuite per file, one failing testcase per finding. */
import type { Reporter } from './types.js';

function xml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
}

export const junit: Reporter = ({ result }) => {
  const byFile = new Map<string, typeof result.diagnostics>();
  for (const d of result.diagnostics) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
  const out = ['<?xml version="1.0" encoding="utf-8"?>'];
  const total = result.diagnostics.length;
  out.push(`<testsuites name="migration-lint" tests="${Math.max(total, 1)}" failures="${total}" errors="0">`);
  if (total === 0) {
    out.push('  <testsuite name="migration-lint" tests="1" failures="0" errors="0">');
    out.push(`    <testcase name="${result.fileCount} migrations checked" classname="migration-lint"/>`);
    out.push('  </testsuite>');
  }
  for (const [file, list] of byFile) {
    out.push(`  <testsuite name="${xml(file)}" tests="${list.length}" failures="${list.length}" errors="0">`);
    for (const d of list) {
      out.push(`    <testcase name="${xml(`${d.rule} ${d.file}:${d.line}:${d.column}`)}" classname="${xml(d.file)}">`);
      out.push(`      <failure type="${xml(d.rule)}" message="${xml(d.message)}">${xml(`${d.severity}: ${d.file}:${d.line}:${d.column} ${d.message}\nhelp: ${d.help}`)}</failure>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
};
