/**
 * The derived values the cache keeps beside each file's facts (facts/derived.ts): a file's change events and
 * its use of the autogenerate markers. Taken from the cache they must be exactly what computing them gives, on
 * every migration of the fixtures and examples; a damaged value is computed again, never handed to the rules.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { blobId, FactsCache } from '../../src/engine/cache.js';
import { markerUse } from '../../src/engine/scope.js';
import { changesOf, isChangeList } from '../../src/facts/changes/index.js';
import { extractFacts } from '../../src/facts/extract.js';
import { decodeMigration } from '../../src/facts/migration.js';
import { loadSqlParser } from '../../src/facts/sql-loader.js';
import type { MigrationFacts } from '../../src/model/facts.js';
import { LineIndex } from '../../src/parse/source.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function pythonFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) pythonFiles(abs, out);
    else if (e.isFile() && e.name.endsWith('.py')) out.push(abs);
  }
  return out;
}

interface Sample {
  file: string;
  key: string;
  text: string;
}

/** Every Python file of the fixtures and examples, once per content. */
function samples(): Sample[] {
  const byKey = new Map<string, Sample>();
  for (const file of [...pythonFiles(path.join(ROOT, 'fixtures')), ...pythonFiles(path.join(ROOT, 'examples'))].sort()) {
    const bytes = fs.readFileSync(file);
    const key = blobId(bytes);
    if (!byKey.has(key)) byKey.set(key, { file: path.relative(ROOT, file), key, text: decodeMigration(bytes, null).text });
  }
  return [...byKey.values()];
}

const facts = (text: string) => extractFacts(text, new LineIndex(text));
/** A file whose text must not be read: cached change events need none. */
const textless = (f: MigrationFacts) => ({
  facts: f,
  get text(): string {
    throw new Error('the text was read');
  },
});

describe('derived values in the cache', () => {
  beforeAll(async () => {
    await loadSqlParser();
  });

  it('cached change events and marker uses are exactly the computed ones, on every fixture and example file', () => {
    const all = samples();
    expect(all.length).toBeGreaterThan(200);
    const location = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-derived-'));
    const writer = FactsCache.open(location);
    const fresh = new Map<string, { changes: unknown; marker: string }>();
    let withChanges = 0;
    for (const s of all) {
      // Computed without any store, as a run without the cache does.
      const changes = changesOf({ facts: facts(s.text), text: s.text });
      expect(isChangeList(changes), s.file).toBe(true);
      if (changes.length) withChanges++;
      fresh.set(s.key, { changes, marker: markerUse(facts(s.text)) });
      const kept = facts(s.text);
      writer.remember(s.key, kept);
      changesOf({ facts: kept, text: s.text });
      markerUse(kept);
    }
    expect(withChanges).toBeGreaterThan(100);
    writer.save();

    const reader = FactsCache.open(location);
    for (const s of all) {
      const cached = reader.facts(s.key, () => {
        throw new Error(`${s.file}: facts computed again`);
      });
      expect(cached, s.file).not.toBeNull();
      const want = fresh.get(s.key)!;
      expect(changesOf(textless(cached!)), s.file).toStrictEqual(want.changes);
      expect(markerUse(cached!), s.file).toBe(want.marker);
    }
    // Nothing of the facts beyond the head was read: the values came from the index.
    expect(reader.stats).toMatchObject({ hits: all.length, misses: 0, bodyReads: 0 });
    fs.rmSync(location, { recursive: true, force: true });
  });

  it('a damaged derived value is computed again, not a crash', () => {
    const s = samples().find((x) => x.file.includes('79069a325e14'))!;
    const want = changesOf({ facts: facts(s.text), text: s.text });
    expect(want.length).toBeGreaterThan(0);
    const location = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-derived-'));
    const writer = FactsCache.open(location);
    const kept = facts(s.text);
    writer.remember(s.key, kept);
    changesOf({ facts: kept, text: s.text });
    markerUse(kept);
    writer.save();
    const entriesFile = path.join(writer.dir, 'entries.json');
    const entries = JSON.parse(fs.readFileSync(entriesFile, 'utf8')) as Record<string, { derived: Record<string, unknown> }>;
    const damage: unknown[] = [5, 'x', [null], [{ ...want[0], kind: 'nonsense' }], [{ ...want[0], span: { start: 'a' } }], want.map(({ table: _t, ...rest }) => rest)];
    for (const bad of damage) {
      entries[s.key]!.derived['changes.v2'] = bad;
      entries[s.key]!.derived['conventions.markers.v1'] = bad;
      fs.writeFileSync(entriesFile, JSON.stringify(entries));
      const reader = FactsCache.open(location);
      const cached = reader.facts(s.key, () => facts(s.text)) as MigrationFacts;
      expect(changesOf({ facts: cached, text: s.text }), JSON.stringify(bad)).toStrictEqual(want);
      expect(markerUse(cached)).toBe(markerUse(facts(s.text)));
    }
    fs.rmSync(location, { recursive: true, force: true });
  });
});
