/** A drift result as the `drift` command and the Action show it: relative paths and 1-based lines. */
import path from 'node:path';
import type { DriftEnvironmentJson, DriftPlace } from '../model/drift.js';
import type { MigrationFile } from '../model/migration.js';
import type { DriftResult } from './drift.js';
import type { Origin } from './schema.js';

export function driftEnvironmentView(cwd: string, versions: string[], drift: DriftResult, migrations: MigrationFile[]): DriftEnvironmentJson {
  const rel = (f: string) => (path.isAbsolute(f) ? path.relative(cwd, f).split(path.sep).join('/') : f);
  const byPath = new Map(migrations.map((m) => [m.path, m.text]));
  const textOf = (f: string): string => (path.isAbsolute(f) ? (drift.project.load(f)?.text ?? (f === drift.project.env.file ? drift.project.env.text : '')) : (byPath.get(f) ?? ''));
  const place = (o: Origin | null): DriftPlace | null => {
    if (!o) return null;
    const text = textOf(o.file);
    let line = 1;
    for (let i = 0; i < o.start && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
    return { file: rel(o.file), line };
  };
  return {
    versions,
    models: drift.modelFiles.map(rel).sort(),
    differences: drift.diffs.map((d) => ({
      kind: d.kind,
      table: d.table,
      column: d.column,
      name: d.name,
      model: place(d.model),
      migration: place(d.migration),
      detail: d.detail,
      operation: d.operation,
    })),
    unknown: drift.unknown.map((u) => ({ table: u.table, column: u.column, reason: u.reason })),
  };
}
