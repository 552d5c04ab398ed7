/**
 * docs/peers.md maps each peer's checks to our rules. A rule renamed or removed would leave the page naming
 * a rule that no longer exists, and a peer check we stop covering would vanish from its honest list of gaps:
 * both fail here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TEXT = fs.readFileSync(path.join(ROOT, 'docs/peers.md'), 'utf8');
const IDS = new Set(rules.map((r) => r.meta.id));
const HEADER = /^\|\s*their check\s*\|\s*our rule\s*\|\s*note\s*\|$/;
/** The "our rule" cell: one or more of our rule ids (or only part of the check), or an honest no. */
const OURS = /^(?:(partly: )?`[^`]+`(?:, `[^`]+`)*|not covered|not applicable)$/;

interface Row {
  line: number;
  theirs: string;
  ours: string;
}

/** The rows of every table headed `| their check | our rule | note |`. */
function mappingRows(text: string): { tables: number; rows: Row[] } {
  const lines = text.split('\n');
  const rows: Row[] = [];
  let tables = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!HEADER.test(lines[i]!.trim())) continue;
    tables++;
    // Skip the header and its |---| line; the table ends at the first line that is not a row.
    for (let j = i + 2; j < lines.length && lines[j]!.startsWith('|'); j++) {
      // A cell holds no `|` of its own: the page never escapes one.
      const cells = lines[j]!.split('|').slice(1, -1).map((c) => c.trim());
      rows.push({ line: j + 1, theirs: cells[0] ?? '', ours: cells[1] ?? '' });
    }
  }
  return { tables, rows };
}

const ticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

describe('docs/peers.md', () => {
  const { tables, rows } = mappingRows(TEXT);

  it('has a mapping table for each of the six peers', () => {
    expect(tables).toBe(6);
    expect(rows.length).toBeGreaterThan(60);
  });

  it('says of every peer check which of our rules covers it, or that none does', () => {
    const malformed = rows.filter((r) => !OURS.test(r.ours)).map((r) => `line ${r.line}: ${r.ours}`);
    expect(malformed).toEqual([]);
  });

  it('names only rules that exist in the registry as covering something', () => {
    const unknown = rows.flatMap((r) => ticked(r.ours).filter((id) => !IDS.has(id)).map((id) => `line ${r.line}: ${id}`));
    expect(unknown).toEqual([]);
  });

  it('links only to rule pages of rules that exist', () => {
    const linked = [...TEXT.matchAll(/\]\(rules\/([^)#]+)\.md[^)]*\)/g)].map((m) => m[1]!);
    expect(linked.length).toBeGreaterThan(0);
    expect(linked.filter((id) => !IDS.has(id))).toEqual([]);
  });

  it('lists under Gaps every peer check that is not covered or only partly', () => {
    const gaps = TEXT.slice(TEXT.indexOf('\n## Gaps\n'));
    expect(gaps.length).toBeLessThan(TEXT.length);
    const missing = rows
      .filter((r) => r.ours === 'not covered' || r.ours.startsWith('partly: '))
      .map((r) => ticked(r.theirs)[0])
      // A check is known by the first name its cell sets in code font: a code, a rule name, a message key.
      .filter((code): code is string => code !== undefined && !gaps.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });
});
