/**
 * The drift check's replay (orm/replay.ts) and the lock rules' change-event replay (facts/changes/replay.ts)
 * are still two readings of the migrations (orm/replay.ts says what the events lack). Until they are one, they
 * must build the same tables: on every migration folder of the repository's fixtures and examples, each table
 * the drift replay knows has the same columns, nullability, index names, and foreign keys and unique
 * constraints (by columns and referred table) in both.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayEnvironment } from '../../src/facts/changes/replay.js';
import { loadMigration } from '../../src/facts/migration.js';
import { replayMigrations } from '../../src/orm/replay.js';
import { DEFAULT_CONVENTION } from '../../src/orm/schema.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

function versionFolders(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    if (e.name === 'versions') out.push(p);
    else versionFolders(p, out);
  }
  return out;
}

/** What both replays say of each table, in one comparable shape. */
function differences(folder: string): string[] {
  const files = fs
    .readdirSync(folder)
    .filter((n) => n.endsWith('.py') && n !== '__init__.py')
    .map((n) => loadMigration(path.relative(ROOT, path.join(folder, n)), fs.readFileSync(path.join(folder, n))).file);
  // A file that does not parse stops the drift replay's knowledge (it reports it unknown); the events read on.
  if (files.some((f) => f.facts.parseError)) return [];
  const orm = replayMigrations(files, DEFAULT_CONVENTION);
  const events = replayEnvironment(files, null).final();
  const out: string[] = [];
  const sorted = (xs: Iterable<string>) => [...xs].sort().join(' ');
  for (const [key, t] of orm.tables) {
    if (t.unknown) continue;
    const e = events.table(key);
    if (!e) {
      out.push(`${key}: no such table in the events`);
      continue;
    }
    const cols = sorted([...t.columns.keys(), ...t.unknownColumns.keys()]);
    if (cols !== sorted(e.columns.keys())) out.push(`${key}: columns ${cols} / ${sorted(e.columns.keys())}`);
    for (const [name, c] of t.columns) {
      const ec = e.columns.get(name);
      if (ec && c.nullable !== null && c.nullable !== ec.nullable) out.push(`${key}.${name}: nullable ${c.nullable} / ${ec.nullable}`);
    }
    const indexes = sorted(t.indexes.map((i) => i.name));
    if (indexes !== sorted(e.indexes.keys())) out.push(`${key}: indexes ${indexes} / ${sorted(e.indexes.keys())}`);
    const constraints = [...e.constraints.values()].map((k) => k.spec);
    const fks = sorted(t.foreignKeys.map((f) => `${f.columns.join(',')}->${f.refTable}`));
    const efks = sorted(constraints.filter((k) => k.kind === 'foreign').map((k) => `${k.columns.join(',')}->${k.references?.table ?? '?'}`));
    if (fks !== efks) out.push(`${key}: foreign keys ${fks} / ${efks}`);
    const uqs = sorted(t.uniques.map((u) => u.columns.join(',')));
    const euqs = sorted(constraints.filter((k) => k.kind === 'unique').map((k) => k.columns.join(',')));
    if (uqs !== euqs) out.push(`${key}: unique constraints ${uqs} / ${euqs}`);
  }
  for (const [key, t] of events.allTables()) if (t.created && !orm.tables.has(key)) out.push(`${key}: no such table in the drift replay`);
  return out;
}

describe('the drift replay and the change-event replay', () => {
  const folders = [...versionFolders(path.join(ROOT, 'fixtures')), ...versionFolders(path.join(ROOT, 'examples'))];

  it('read the same repository folders (fixtures and examples)', () => {
    expect(folders.length).toBeGreaterThan(50);
  });

  it('build the same tables, columns, indexes and constraints on every folder', () => {
    const found = folders.flatMap((f) => differences(f).map((d) => `${path.relative(ROOT, f)}: ${d}`));
    expect(found).toEqual([]);
  });
});
