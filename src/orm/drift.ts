/**
 * Models vs migrations for one Alembic environment: find and read the models, replay the migrations, compare
 * as autogenerate does, and list table models that env.py never reaches. Pure apart from the ProjectFiles.
 */
import path from 'node:path';
import { kwarg, literalBool } from '../parse/python.js';
import type { MigrationFile } from '../model/migration.js';
import { compareSchemas, type Diff } from './compare.js';
import { findModels, type ModelProject, type ProjectFiles } from './find.js';
import { configureCalls, type ModuleInfo } from './module.js';
import type { ModuleStore } from './module-cache.js';
import { hookMayExclude, readIncludeHooks } from './include-hook.js';
import { readModels, type TableModel, type TargetMetadata } from './read.js';
import { replayMigrations } from './replay.js';
import type { Origin, SchemaTable, Unknown } from './schema.js';
import { generationOf, VERSION_FILES, type Generation } from './versions.js';

export interface DriftInput {
  envPy: { file: string; text: string };
  iniDir: string | null;
  prependSysPath: string[] | null;
  configModels: string[] | null;
  files: ProjectFiles;
  migrations: MigrationFile[];
  /** Folders of the versions, left out of the search for unimported models. */
  versionDirs: string[];
  /** Modules read in runs before (the engine's cache), or none. */
  store?: ModuleStore | null;
}

export interface Unimported {
  model: TableModel;
  /** The package __init__.py (or env.py) that should import it, and the statement to add. */
  fix: { file: string; module: ModuleInfo; statement: string } | null;
}

export interface DriftResult {
  target: TargetMetadata;
  generation: Generation;
  compareType: boolean;
  /** Files that define the table models on the target metadata. */
  modelFiles: string[];
  /** Every table model found on the target metadata (reached from env.py). */
  tableCount: number;
  /** The models' tables on the target metadata, by key. */
  tables: Map<string, SchemaTable>;
  diffs: Diff[];
  unknown: Unknown[];
  unimported: Unimported[];
  /** Table models found in the project, on any metadata (for target-metadata-missing). */
  projectModels: TableModel[];
  /** env.py's `context.configure(...)` call, where a missing target_metadata belongs. */
  configure: Origin | null;
  project: ModelProject;
}

const MODEL_HINT = /table\s*=\s*True|__tablename__|\bTable\s*\(/;

function projectRootOf(input: DriftInput): string {
  return input.iniDir ?? path.dirname(path.dirname(input.envPy.file));
}

function readGeneration(input: DriftInput): Generation {
  const found: { name: string; text: string }[] = [];
  let dir = projectRootOf(input);
  for (let i = 0; i < 3; i++) {
    for (const n of VERSION_FILES) {
      const text = input.files.readText(path.join(dir, n));
      if (text !== null) found.push({ name: n, text });
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return generationOf(found);
}

export function computeDrift(input: DriftInput): DriftResult {
  const project = findModels({ envPy: input.envPy, iniDir: input.iniDir, prependSysPath: input.prependSysPath, configModels: input.configModels, files: input.files, store: input.store ?? null });
  const generation = readGeneration(input);
  const read = readModels(project, generation);
  const configures = configureCalls(project.env);
  const configure = configures[0];
  const includeSchemas = configures.some((c) => literalBool(kwarg(c, 'include_schemas')) === true);
  const compareType = read.compareType ?? generation.compareTypeDefault;
  // Only a comparison needs the migrations' schema; without a target to compare with, only the drift report
  // lists what the replay could not read, so it is replayed when that list is first asked for (below).
  const replay = read.target.kind === 'keys' ? replayMigrations(input.migrations, read.convention) : null;
  const unknown: Unknown[] = replay ? [...read.unknown, ...replay.unknown] : [];
  let diffs: Diff[] = [];
  if (replay) {
    const cmp = compareSchemas(read.tables, replay.tables, { compareType, includeSchemas });
    unknown.push(...cmp.unknown);
    const hooks = readIncludeHooks(project.env, configures);
    for (const d of cmp.diffs) {
      if (!hookMayExclude(hooks, d)) diffs.push(d);
      else {
        const reason = hooks.kind === 'opaque' ? hooks.reason : `env.py's ${hooks.kind === 'names' ? hooks.hooks.join('/') : 'hook'} names it: autogenerate may leave it out`;
        unknown.push({ table: d.table, column: d.column, reason, origin: d.migration ?? d.model });
      }
    }
  }
  const modelFiles = [...new Set([...read.tables.values()].map((t) => t.origin?.file).filter((f): f is string => !!f))];
  const keys = read.target.kind === 'keys' ? read.target.keys : null;
  const elsewhere = findUnreached(input, project, read.reader);
  const unimported = keys ? elsewhere.filter((u) => u.model.cls && u.model.metaKey && keys.has(u.model.metaKey)) : [];
  const projectModels = [...read.models, ...elsewhere.map((u) => u.model)];
  const configureOrigin = configure ? { file: project.env.file, start: configure.span.start, end: configure.span.end } : null;
  const result: DriftResult = { target: read.target, generation, compareType, modelFiles, tableCount: read.tables.size, tables: read.tables, diffs, unknown, unimported, projectModels, configure: configureOrigin, project };
  if (!replay) {
    let lazy: Unknown[] | null = null;
    Object.defineProperty(result, 'unknown', {
      enumerable: true,
      configurable: true,
      get: () => (lazy ??= [...read.unknown, ...replayMigrations(input.migrations, read.convention).unknown]),
    });
  }
  return result;
}

/** Table models (any metadata) defined in the project's modules that no import from env.py reaches. */
function findUnreached(input: DriftInput, project: ModelProject, reader: ReturnType<typeof readModels>['reader']): Unimported[] {
  if (project.fromConfig) return [];
  const reached = new Set(project.reached.map((m) => m.file));
  reached.add(project.env.file);
  const skip = [path.dirname(input.envPy.file), ...input.versionDirs];
  const candidates = new Set<string>();
  for (const root of project.roots) for (const f of input.files.pyFiles(root)) candidates.add(f);
  const out: Unimported[] = [];
  for (const file of [...candidates].sort()) {
    if (reached.has(file) || skip.some((d) => file === d || file.startsWith(d + path.sep))) continue;
    if (/(^|[\\/])(tests?|testing|conftest\.py$)/.test(path.relative(projectRootOf(input), file))) continue;
    const text = input.files.readText(file);
    if (!text || !MODEL_HINT.test(text)) continue;
    const module = project.load(file);
    if (!module || module.parseError) continue;
    for (const tm of reader.tablesIn([module])) out.push({ model: tm, fix: tm.cls ? fixFor(project, module, tm, reader) : null });
  }
  return out;
}

/**
 * Where the import belongs: the nearest package above the module that env.py reaches and that already
 * registers models by importing its own table modules (the models package, `app/models/__init__.py`),
 * written the way that file imports them; else env.py, where Alembic's template says models go. A package
 * that registers no models (the FastAPI template's `app/`, above `app/models.py`) is not the place: an import
 * there would load the models whenever any part of the application is imported.
 */
function fixFor(project: ModelProject, module: ModuleInfo, tm: TableModel, reader: ReturnType<typeof readModels>['reader']): Unimported['fix'] {
  if (!module.name) return null;
  const reached = new Map(project.reached.map((m) => [m.name, m]));
  const parts = module.name.split('.');
  for (let i = parts.length - 1; i >= 1; i--) {
    const pkgName = parts.slice(0, i).join('.');
    const pkg = reached.get(pkgName);
    if (!pkg || !pkg.isPackage) continue;
    const definesTables = (name: string) => {
      const sub = reached.get(name);
      return sub !== undefined && reader.tablesIn([sub]).length > 0;
    };
    // `from .hero import Hero`, `import models.hero`, and `from . import hero` (the module named as a name).
    const registers = pkg.imports.filter((imp) => imp.topLevel && imp.module !== null && (
      imp.module.startsWith(pkgName + '.') ? definesTables(imp.module)
        : imp.module === pkgName && Array.isArray(imp.names) && imp.names.some((n) => definesTables(`${pkgName}.${n.name}`))));
    if (registers.length === 0) continue;
    const relative = registers.some((imp) => imp.from && pkg.text.slice(imp.span.start, imp.span.end).startsWith('from .'));
    const rel = parts.slice(i).join('.');
    const statement = relative ? `from .${rel} import ${tm.className}` : `from ${module.name} import ${tm.className}`;
    return { file: pkg.file, module: pkg, statement };
  }
  return { file: project.env.file, module: project.env, statement: `from ${module.name} import ${tm.className}  # noqa: F401` };
}
