/**
 * Applying fixes, as ESLint's source-code fixer does: whole fixes only, never two that overlap in one pass (the
 * rest wait for the next), and only to the bytes the fixes were computed on.
 */
import type { Fix } from '../model/diagnostic.js';
import { decodeUtf8 } from '../parse/source.js';

/**
 * The fixes that can be applied together: whole fixes (all their edits or none), in source order, skipping
 * any that overlaps one already taken or repeats it (two findings asking for the same insertion).
 */
function selectFixes(fixes: Fix[]): Fix[] {
  const ranged = fixes
    .filter((f) => f.edits.length)
    .map((f) => ({ f, start: Math.min(...f.edits.map((e) => e.start)), end: Math.max(...f.edits.map((e) => e.end)) }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const taken: Fix[] = [];
  let lastEnd = -1;
  const seen = new Set<string>();
  for (const { f, start, end } of ranged) {
    const key = JSON.stringify(f.edits);
    if (seen.has(key) || start <= lastEnd) continue;
    seen.add(key);
    taken.push(f);
    lastEnd = end;
  }
  return taken;
}

/** Applies the fixes that do not overlap (see selectFixes); the rest wait for the next pass. */
export function applyFixes(text: string, fixes: Fix[]): string {
  const edits = selectFixes(fixes)
    .flatMap((f) => f.edits)
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/**
 * Applies fixes to a file's bytes, splicing only the edited ranges so that every other byte (BOM, line
 * endings, trailing whitespace, a missing final newline) stays as it was. Null when nothing applies, or when
 * the bytes are not the UTF-8 text the fixes were computed on (another codec, undecodable bytes, or a file
 * changed since it was read): such a file is left alone rather than re-encoded.
 */
export function applyFixesToBytes(bytes: Uint8Array, text: string, fixes: Fix[]): { bytes: Uint8Array; applied: Fix[] } | null {
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok || decoded.text !== text) return null;
  const applied = selectFixes(fixes);
  const edits = applied.flatMap((f) => f.edits).sort((a, b) => a.start - b.start || a.end - b.end);
  if (!edits.some((e) => e.text !== text.slice(e.start, e.end))) return null;
  const base = decoded.bom ? 3 : 0;
  const byteAt = (offset: number) => base + Buffer.byteLength(text.slice(0, offset), 'utf8');
  const parts: Uint8Array[] = [];
  let pos = 0;
  for (const e of edits) {
    const start = byteAt(e.start);
    parts.push(bytes.subarray(pos, start), Buffer.from(e.text, 'utf8'));
    pos = byteAt(e.end);
  }
  parts.push(bytes.subarray(pos));
  return { bytes: Buffer.concat(parts), applied };
}
