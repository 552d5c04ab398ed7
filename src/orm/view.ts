/** A drift result as the `drift` command and the Action show it: relative paths and 1-based lines. */
import path from 'node:path';
import type { DriftEnvironmentJson, DriftPlace } from '../model/drift.js';
import type { DiscoveredEnvironment } from '../model/environment.js';
import type { MigrationFile } from '../model/migration.js';
import type { SourceProvider } from '../model/source.js';
import type { DriftResult } from './drift.js';
import { loadModels, type ModelsConfig } from './environment.js';
import type { Origin } from './schema.js';

/** One environment's models vs migrations, or why there is nothing to compare (the `drift` command's exit 2). */
export type DriftOutcome = { view: DriftEnvironmentJson; problem: null } | { view: null; problem: string };

/**
 * Reads the models of one environment and compares them with its migrations, as `drift` and the Action show
 * it. The SQL parser must be loaded when a migration holds SQL (facts/sql-loader.ts).
 */
export function driftOutcome(cwd: string, denv: DiscoveredEnvironment, source: SourceProvider, migrations: MigrationFile[], versions: string[], cfg: ModelsConfig): DriftOutcome {
  const fail = (problem: string): DriftOutcome => ({ view: null, problem: `${versions.join(', ')}: ${problem}` });
  const loaded = loadModels(denv, source, migrations, cfg);
  if (!loaded.drift) return fail(`${loaded.missing}: the models are found from env.py's target_metadata`);
  const d = loaded.drift;
  if (d.target.kind === 'missing' || d.target.kind === 'none') {
    return fail(`env.py gives Alembic no target_metadata${d.target.kind === 'none' ? ' (it is None)' : ''}: there are no models to compare (see target-metadata-missing)`);
  }
  if (d.target.kind === 'unknown') return fail(`${d.target.reason}; set config "models" to the files that define them`);
  if (d.tableCount === 0) {
    const roots = d.project.roots.map((r) => path.relative(cwd, r) || '.').join(', ');
    return fail(`no table models found on ${[...d.target.keys].join(', ')} through env.py's imports (roots: ${roots}); set config "models" if they live elsewhere`);
  }
  return { view: driftEnvironmentView(cwd, versions, d, migrations), problem: null };
}

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
