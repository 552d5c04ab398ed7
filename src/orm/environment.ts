/**
 * The thin loader between an Alembic environment as discovery found it and the pure model reader: where
 * env.py and alembic.ini are, what `prepend_sys_path` says, which files config `models` names, with every
 * file read through the run's SourceProvider.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import picomatch from 'picomatch';
import { iniGet, parseIni } from '../discover/ini.js';
import type { DiscoveredEnvironment } from '../model/environment.js';
import type { SourceProvider } from '../model/source.js';
import type { MigrationFile } from '../model/migration.js';
import { computeDrift, type DriftResult } from './drift.js';
import type { ModuleStore } from './module-cache.js';
import { VERSION_FILES } from './versions.js';
import { projectFiles } from '../io/project-files.js';
import type { ProjectFiles } from './find.js';

export interface ModelsConfig {
  /** Config `models`: files, folders or globs, relative to `dir`. */
  models: string[] | null;
  dir: string;
}

/** env.py sits in the script location: beside script.py.mako, or above the first versions folder. */
export function envPyOf(denv: DiscoveredEnvironment): string | null {
  const scriptDir = denv.templatePath ? path.dirname(denv.templatePath) : denv.versionDirs[0] ? path.dirname(denv.versionDirs[0]) : null;
  return scriptDir ? path.join(scriptDir, 'env.py') : null;
}

// Discovery's root is the ini's folder when there is one; a bare versions folder has it a level or two up.
const iniCandidates = (denv: DiscoveredEnvironment) => [denv.root, path.dirname(denv.root), path.dirname(path.dirname(denv.root))].map((d) => path.join(d, 'alembic.ini'));

/** The alembic.ini of the environment (its section when one ini holds several) and its prepend_sys_path. */
function iniOf(denv: DiscoveredEnvironment, files: ProjectFiles): { dir: string | null; prepend: string[] | null } {
  const section = /^\[([^\]]+)\]\s+(.+)$/.exec(denv.name);
  const ini = iniCandidates(denv).find((c) => files.isFile(c));
  const text = ini ? files.readText(ini) : null;
  if (!ini || text === null) return { dir: null, prepend: null };
  const dir = path.dirname(ini);
  const value = iniGet(parseIni(text), section?.[1]!.split(', ')[0] ?? 'alembic', 'prepend_sys_path', { here: dir });
  if (value === null) return { dir, prepend: null };
  // Alembic splits it on the version path separator or, by default, on spaces/commas (os.pathsep too).
  return { dir, prepend: value.split(/[\s,:;]+/).filter(Boolean) };
}

function configFiles(cfg: ModelsConfig, files: ProjectFiles): string[] | null {
  if (!cfg.models || !cfg.models.length) return null;
  const out = new Set<string>();
  for (const entry of cfg.models) {
    const abs = path.resolve(cfg.dir, entry);
    if (files.isFile(abs)) out.add(abs);
    else if (files.isDir(abs)) for (const f of files.pyFiles(abs)) out.add(f);
    else {
      const match = picomatch(entry, { dot: false });
      for (const f of files.pyFiles(cfg.dir)) if (match(path.relative(cfg.dir, f).split(path.sep).join('/'))) out.add(f);
    }
  }
  return [...out].sort();
}

export interface LoadedModels {
  drift: DriftResult | null;
  /** Why nothing could be read (no env.py), for `drift` to say. */
  missing: string | null;
  envPy: string | null;
}

/**
 * Every file loadModels may read: env.py, the alembic.ini candidates, the Python files below the environment's
 * root and the files the project's versions are read from. A source that reads in batches (the git index under
 * --staged) is told them first and loads them in one go, not one process per module as the reader reaches them;
 * the engine tells it with the migrations it reads (engine/load.ts), so that the hook runs no git process more.
 */
export function modelInputs(denv: DiscoveredEnvironment, files: ProjectFiles = projectFiles(() => null)): string[] {
  const envPy = envPyOf(denv);
  const dirs = new Set<string>();
  // readGeneration looks in the project's root (the ini's folder, else two above env.py) and two folders up.
  for (const start of [...iniCandidates(denv).map((c) => path.dirname(c)), ...(envPy ? [path.dirname(path.dirname(envPy))] : [])]) {
    for (let d = start, i = 0; i < 3; i++, d = path.dirname(d)) dirs.add(d);
  }
  const versionFiles = [...dirs].flatMap((d) => VERSION_FILES.map((n) => path.join(d, n)));
  // The migrations are no models (the reader skips the versions folders): announcing them would have git read
  // every revision's blob under --staged, 10,000 of them in a long history, though the cache keys them unread.
  const versions = denv.versionDirs.map((d) => d + path.sep);
  const modules = files.pyFiles(denv.root).filter((f) => !versions.some((v) => f.startsWith(v)));
  return [...(envPy ? [envPy] : []), ...iniCandidates(denv), ...modules, ...versionFiles];
}

export interface LoadOptions {
  /** Modules read in runs before (the engine's cache): a module whose bytes did not change is not parsed again. */
  store?: ModuleStore | null;
  /** Folder listings shared by the run's readers of the project (io/project-files.ts). */
  listings?: Map<string, string[]>;
}

export function loadModels(denv: DiscoveredEnvironment, source: SourceProvider, migrations: MigrationFile[], cfg: ModelsConfig, opts: LoadOptions = {}): LoadedModels {
  const files = projectFiles((abs) => source.readText(abs), opts.listings);
  const envPy = envPyOf(denv);
  const text = envPy ? files.readText(envPy) : null;
  if (!envPy || text === null) return { drift: null, missing: `no env.py beside ${denv.versionDirs[0] ?? denv.name}`, envPy };
  source.willRead?.(modelInputs(denv, files));
  const ini = iniOf(denv, files);
  const drift = computeDrift({
    envPy: { file: envPy, text },
    // Alembic run from a folder above the ini resolves prepend_sys_path (and so the imports) from there.
    iniDir: denv.runDir ?? ini.dir,
    prependSysPath: ini.prepend,
    configModels: configFiles(cfg, files),
    files,
    migrations,
    versionDirs: denv.versionDirs,
    store: opts.store ?? null,
  });
  return { drift, missing: null, envPy };
}

/**
 * What the model rules' findings depend on besides the migrations: every Python file below the environment's
 * root (and env.py), by its content key when the source knows one (a git blob id), else by its content. Stamps
 * would spare the reads but differ between a run within two seconds of a write and the next one.
 */
export function modelsStamp(denv: DiscoveredEnvironment, source: SourceProvider, listings?: Map<string, string[]>): unknown {
  const files = projectFiles((abs) => source.readText(abs), listings);
  const envPy = envPyOf(denv);
  const all = [...new Set([...(envPy ? [envPy] : []), ...files.pyFiles(denv.root)])];
  return all.map((abs) => [abs, source.key?.(abs) ?? createHash('sha1').update(source.readText(abs) ?? '').digest('hex')]);
}
