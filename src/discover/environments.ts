/**
 * Where the migrations are, looked for in this order: explicit paths, config `versions`, alembic.ini at the root or
 * in backend/, backend/alembic/versions, then a search of the repo for Alembic environments. Alembic's own
 * settings are honoured as Alembic reads them, so that what is linted is what `alembic upgrade` loads.
 */
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { usageError } from '../errors.js';
import { listPythonFiles, readText, statKind, walkDirs } from '../io/files.js';
import type { DiscoveredEnvironment } from '../model/environment.js';
import { iniGet, IniInterpolationError, parseIni, type IniFile } from './ini.js';

export interface Discovery {
  environments: DiscoveredEnvironment[];
  /** Files named on the command line: only these are linted, though graph rules see their environments whole. */
  explicitFiles: string[] | null;
  /** Where we looked, for the "nothing found" message. */
  searched: string[];
}

/** Per-run state: the working directory for names in messages, and what was looked at. */
interface Ctx {
  cwd: string;
  searched: string[];
}

export function discover(cwd: string, paths: string[], configVersions: string[] | null): Discovery {
  const ctx: Ctx = { cwd, searched: [] };
  if (paths.length) return fromPaths(ctx, paths);
  if (configVersions && configVersions.length) {
    const envs = configVersions.map((v) => {
      const dir = path.resolve(cwd, v);
      if (statKind(dir) !== 'dir') throw usageError(`config 'versions' names '${display(ctx, dir)}', which is not a folder`);
      ctx.searched.push(display(ctx, dir));
      return folderEnv(ctx, dir);
    });
    return { environments: dedupe(envs), explicitFiles: null, searched: ctx.searched };
  }
  for (const dir of [cwd, path.join(cwd, 'backend')]) {
    const envs = fromAlembicConfig(ctx, dir, true);
    if (envs.length) return { environments: envs, explicitFiles: null, searched: ctx.searched };
  }
  const fastapi = path.join(cwd, 'backend', 'alembic', 'versions');
  ctx.searched.push('backend/alembic/versions');
  if (statKind(fastapi) === 'dir') return { environments: [folderEnv(ctx, fastapi)], explicitFiles: null, searched: ctx.searched };
  ctx.searched.push('the repository (alembic.ini, or env.py + script.py.mako + versions/)');
  const below = searchTree(ctx, cwd);
  if (below.length) return { environments: below, explicitFiles: null, searched: ctx.searched };
  // Run from inside an environment (its versions folder, say): the environment around it.
  const around = isEnvFolder(cwd) ? folderEnv(ctx, cwd) : enclosingEnv(ctx, cwd);
  return { environments: around && around.files.length ? [around] : [], explicitFiles: null, searched: ctx.searched };
}

function display(ctx: Ctx, abs: string): string {
  return (path.relative(ctx.cwd, abs) || '.').split(path.sep).join('/');
}

function fromPaths(ctx: Ctx, paths: string[]): Discovery {
  const envs: DiscoveredEnvironment[] = [];
  const files: string[] = [];
  let anyFile = false;
  for (const p of paths) {
    const abs = path.resolve(ctx.cwd, p);
    const kind = statKind(abs);
    ctx.searched.push(p);
    if (kind === null) throw usageError(`no such file or folder: ${p}`);
    if (kind === 'file') {
      anyFile = true;
      const base = path.basename(abs);
      const dir = path.dirname(abs);
      if (base === 'script.py.mako') {
        // The template alone: its environment is checked (template rules), no migration is a target.
        const env = enclosingEnv(ctx, path.join(dir, 'versions'));
        if (env) envs.push(env);
        continue;
      }
      // env.py and other modules of an environment folder are not revisions; nor is a .py file that no
      // environment declares and that defines no revision (a hook may pass every staged .py file).
      if (!isRevisionFileName(base) || isEnvFolder(dir)) continue;
      const declared = envs.find((e) => e.files.includes(abs)) ?? enclosingEnv(ctx, dir);
      if (!declared && !looksLikeRevision(abs)) continue;
      files.push(abs);
      const env = declared ?? plainEnv(dir, false);
      if (!env.files.includes(abs)) env.files = [...env.files, abs].sort();
      envs.push(env);
      continue;
    }
    if (kind !== 'dir') throw usageError(`not a file or folder: ${p}`);
    const inDir = envsInDir(ctx, abs);
    envs.push(...inDir);
    // A folder named beside files: all its migrations are targets too.
    files.push(...inDir.flatMap((e) => e.files));
  }
  return { environments: dedupe(envs), explicitFiles: anyFile ? [...new Set(files)] : null, searched: ctx.searched };
}

/** What Alembic loads from a versions folder: `*.py` files, not `__init__*` or an editor's `.#` lock file. */
function isRevisionFileName(base: string): boolean {
  return base.endsWith('.py') && !base.startsWith('__init__') && !base.startsWith('.#');
}

/** A module-level `revision = …` (or annotated `revision: str = …`), as every Alembic revision has. */
function looksLikeRevision(file: string): boolean {
  return /^revision\s*(?::[^=\n]*)?=/m.test(readText(file) ?? '');
}

/** A folder given on the command line: an Alembic project, an environment, a versions folder, or a tree to search. */
function envsInDir(ctx: Ctx, dir: string): DiscoveredEnvironment[] {
  const own = fromAlembicConfig(ctx, dir, false);
  if (own.length) return own;
  if (isEnvFolder(dir) || path.basename(dir) === 'versions') return [folderEnv(ctx, dir)];
  const found = searchTree(ctx, dir);
  if (found.length) return found;
  // A plain folder of revisions, or a release folder inside a recursive versions/.
  return listPythonFiles(dir, false).length ? [folderEnv(ctx, dir)] : [];
}

/**
 * A folder named by the user or the config: an environment folder (its versions/) or a versions folder,
 * with the settings of the alembic.ini that declares it (recursive, file_template) when there is one.
 */
function folderEnv(ctx: Ctx, dir: string): DiscoveredEnvironment {
  const versions = isEnvFolder(dir) ? path.join(dir, 'versions') : dir;
  return enclosingEnv(ctx, versions) ?? plainEnv(versions, false);
}

/**
 * The environment a versions folder (or a folder inside a recursive one) belongs to, from the Alembic config
 * of the folders above it; null when none declares it.
 */
function enclosingEnv(ctx: Ctx, dir: string): DiscoveredEnvironment | null {
  for (let d = dir, i = 0; i < 8; i++) {
    const envs = fromAlembicConfig({ ...ctx, searched: [] }, d, false);
    const env = envs.find((e) => e.versionDirs.some((v) => dir === v || (e.recursive && dir.startsWith(v + path.sep))));
    if (env) return env;
    const parent = path.dirname(d);
    if (parent === d) break;
    d = parent;
  }
  // No config declares it: an environment folder's layout still tells where the template is.
  for (let d = dir, i = 0; i < 8; i++) {
    if (path.basename(d) === 'versions' && statKind(path.join(path.dirname(d), 'env.py')) === 'file') {
      return plainEnv(d, d !== dir);
    }
    const parent = path.dirname(d);
    if (parent === d) break;
    d = parent;
  }
  return null;
}

function isEnvFolder(dir: string): boolean {
  return statKind(path.join(dir, 'env.py')) === 'file' && statKind(path.join(dir, 'versions')) === 'dir';
}

/** A versions folder with no config: the template is the one beside it, when it is called versions/. */
function plainEnv(dir: string, recursive: boolean): DiscoveredEnvironment {
  const template = path.join(path.dirname(dir), 'script.py.mako');
  return {
    name: dir,
    versionDirs: [dir],
    recursive,
    templatePath: path.basename(dir) === 'versions' && statKind(template) === 'file' ? template : null,
    fileTemplate: null,
    root: path.dirname(dir),
    files: listPythonFiles(dir, recursive),
  };
}

/** configparser sections that configure logging or hooks, never an Alembic environment. */
const NOT_ENVIRONMENTS = /^(loggers|handlers|formatters|post_write_hooks|logger_.*|handler_.*|formatter_.*)$/;

/** Alembic's separators for `version_locations` (`path_separator` since 1.16, `version_path_separator` before). */
const SEPARATORS: Record<string, string> = { os: path.delimiter, ':': ':', ';': ';', space: ' ', newline: '\n' };

/** One source of Alembic settings: a section of alembic.ini over pyproject.toml's [tool.alembic], as Alembic reads them. */
interface Settings {
  str(key: string): string | null;
  list(key: string): string[] | null;
}

/**
 * The environments an Alembic config in `dir` declares: each section of alembic.ini with a script location
 * (`alembic -n NAME`), with pyproject.toml's [tool.alembic] (Alembic 1.16) filling what the ini leaves out.
 * `record`: note in the "looked in" list what was read and why it gave nothing.
 */
function fromAlembicConfig(ctx: Ctx, dir: string, record: boolean): DiscoveredEnvironment[] {
  const iniPath = path.join(dir, 'alembic.ini');
  const iniText = statKind(iniPath) === 'file' ? readText(iniPath) : null;
  const ini = iniText === null ? null : parseIni(iniText);
  const toml = readToolAlembic(path.join(dir, 'pyproject.toml'));
  const label = display(ctx, iniPath);
  if (!ini && !toml) {
    if (record) ctx.searched.push(label);
    return [];
  }
  const vars = { here: dir };
  let sections = ini ? [...ini.keys()].filter((s) => s !== 'DEFAULT' && !NOT_ENVIRONMENTS.test(s)) : [];
  // Alembic's main section is [alembic]; with none, [DEFAULT] and [tool.alembic] still configure it.
  if (!sections.length) sections = ['alembic'];
  const notes: string[] = [];
  const envs: DiscoveredEnvironment[] = [];
  const names: string[][] = [];
  for (const section of sections) {
    const settings = sectionSettings(ini, section, toml, vars, label);
    let scriptLocation = settings.str('script_location');
    if (scriptLocation === null) {
      // Flask-Migrate keeps alembic.ini inside the environment and passes the directory itself.
      if (section === 'alembic' && isEnvFolder(dir)) scriptLocation = dir;
      else continue;
    }
    const scriptDir = resolveScriptLocation(dir, scriptLocation, ctx.cwd);
    const runDir = runDirs(dir, ctx.cwd).find((d) => path.resolve(d, scriptLocation) === scriptDir);
    // Alembic stops with "Path doesn't exist" on it: never fall back to another folder in silence.
    if (statKind(scriptDir) !== 'dir') {
      throw usageError(`${label}: [${section}] script_location = ${scriptLocation}: no such folder ${display({ ...ctx, cwd: dir }, scriptDir)} (Alembic refuses this file)`);
    }
    const locations = settings.list('version_locations');
    const versionDirs = locations?.length ? locations.map((loc) => resolveScriptLocation(dir, loc, ctx.cwd)) : [path.join(scriptDir, 'versions')];
    const existing = versionDirs.filter((d) => statKind(d) === 'dir');
    if (!existing.length) {
      notes.push(`[${section}] script_location ${scriptLocation}: no folder ${versionDirs.map((d) => display({ ...ctx, cwd: dir }, d)).join(', ')}`);
      continue;
    }
    const recursive = settings.str('recursive_version_locations') === 'true';
    const template = path.join(scriptDir, 'script.py.mako');
    const env: DiscoveredEnvironment = {
      name: existing[0]!,
      versionDirs: existing,
      recursive,
      templatePath: statKind(template) === 'file' ? template : null,
      fileTemplate: settings.str('file_template'),
      root: dir,
      ...(runDir && runDir !== dir ? { runDir } : {}),
      files: existing.flatMap((d) => listPythonFiles(d, recursive)),
    };
    // Sections that differ only in their database URL (dev/prod) are one set of files: lint it once.
    const same = envs.findIndex((e) => e.versionDirs.join('\0') === env.versionDirs.join('\0'));
    if (same !== -1) {
      names[same]!.push(section);
      continue;
    }
    envs.push(env);
    names.push([section]);
  }
  if (envs.length > 1) envs.forEach((e, i) => (e.name = `[${names[i]!.join(', ')}] ${label}`));
  if (record) ctx.searched.push(notes.length && !envs.length ? `${label} (${notes.join('; ')})` : label);
  return envs;
}

function sectionSettings(ini: IniFile | null, section: string, toml: Record<string, unknown> | null, vars: Record<string, string>, label: string): Settings {
  // A value configparser cannot interpolate stops Alembic; reading on with a guess would lint the wrong folder.
  const get = (key: string): string | null => {
    try {
      return ini ? iniGet(ini, section, key, vars) : null;
    } catch (err) {
      if (!(err instanceof IniInterpolationError)) throw err;
      throw usageError(`${label}: [${section}] ${key}: ${err.message} in [${section}] or [DEFAULT] (Alembic refuses this file)`);
    }
  };
  const fromToml = (key: string): unknown => {
    const v = toml?.[key];
    if (typeof v === 'string') return pyFormat(v, vars);
    if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string').map((x) => pyFormat(x, vars));
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    return null;
  };
  return {
    str(key) {
      const v = get(key);
      if (v !== null) return v.trim();
      const t = fromToml(key);
      return typeof t === 'string' ? t : null;
    },
    list(key) {
      const v = get(key);
      if (v !== null && v.trim()) return splitLocations(v, separatorOf(ini!, section, vars));
      const t = fromToml(key);
      return Array.isArray(t) ? t.map((s: string) => s.trim()).filter(Boolean) : typeof t === 'string' ? [t] : null;
    },
  };
}

/** The separator char, or null for the legacy split on spaces and commas. */
function separatorOf(ini: IniFile, section: string, vars: Record<string, string>): string | null {
  const raw = iniGet(ini, section, 'path_separator', vars) ?? iniGet(ini, section, 'version_path_separator', vars);
  if (raw === null) return null;
  // Alembic's own template wrote `version_path_separator = os  # Use os.pathsep…`; configparser keeps the
  // comment (and Alembic then refuses it), but the intent is plain, so read the first word.
  const word = raw.trim().split(/\s+#|\s+;/)[0]!.trim();
  return SEPARATORS[word] ?? null;
}

function splitLocations(value: string, sep: string | null): string[] {
  const parts = sep === null ? value.split(/, *| +|\n/) : value.split(sep);
  return parts.map((s) => s.trim()).filter(Boolean);
}

/** Python's `value % {here: …}` as Alembic applies it to [tool.alembic] strings. */
function pyFormat(v: string, vars: Record<string, string>): string {
  return v.replace(/%%|%\(([^)]+)\)s/g, (m, name: string | undefined) => (m === '%%' ? '%' : (vars[name!] ?? m)));
}

function readToolAlembic(file: string): Record<string, unknown> | null {
  if (statKind(file) !== 'file') return null;
  const text = readText(file);
  if (text === null) return null;
  try {
    const doc = parseToml(text) as { tool?: { alembic?: unknown } };
    const t = doc.tool?.alembic;
    return t && typeof t === 'object' && !Array.isArray(t) ? (t as Record<string, unknown>) : null;
  } catch {
    return null; // a broken pyproject is not ours to report
  }
}

/** `migrations`, `%(here)s/alembic`, or package form `myapp:db/migrations` resolved to the package's folder. */
function resolveScriptLocation(base: string, loc: string, cwd?: string): string {
  const pkg = /^([A-Za-z_][\w.]*):(.*)$/.exec(loc);
  if (pkg && !/^[A-Za-z]:[\\/]/.test(loc)) {
    const pkgPath = pkg[1]!.split('.').join(path.sep);
    // The package is importable from the project: beside the ini, in a src/ layout, or one level up.
    for (const root of [base, path.join(base, 'src'), path.dirname(base)]) {
      const candidate = path.join(root, pkgPath);
      if (statKind(candidate) === 'dir') return path.join(candidate, pkg[2]!);
    }
    return path.join(base, pkgPath, pkg[2]!);
  }
  // Alembic resolves relative paths from the directory it runs in: the ini's in most projects, but
  // `alembic -c backend/alembic.ini` from the repository's top is common too (script_location written from
  // there). The first of those folders, the ini's up to where the linter runs, that holds it.
  for (const from of runDirs(base, cwd)) {
    const candidate = path.resolve(from, loc);
    if (statKind(candidate) === 'dir') return candidate;
  }
  return path.resolve(base, loc);
}

/** The ini's folder and its parents up to `cwd`, when the ini is below it; else the ini's folder alone. */
function runDirs(base: string, cwd: string | undefined): string[] {
  const out = [base];
  if (!cwd) return out;
  const rel = path.relative(cwd, base);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return out;
  for (let d = path.dirname(base); ; d = path.dirname(d)) {
    out.push(d);
    if (d === cwd || d === path.dirname(d)) break;
  }
  return out;
}

function searchTree(ctx: Ctx, root: string): DiscoveredEnvironment[] {
  const envs: DiscoveredEnvironment[] = [];
  const covered = new Set<string>();
  for (const dir of walkDirs(root)) {
    if (covered.has(dir)) continue;
    const found = fromAlembicConfig({ ...ctx, searched: [] }, dir, false);
    if (found.length) {
      envs.push(...found);
      for (const e of found) {
        for (const v of e.versionDirs) covered.add(v).add(path.dirname(v));
      }
      continue;
    }
    if (isEnvFolder(dir) && statKind(path.join(dir, 'script.py.mako')) === 'file') {
      envs.push(plainEnv(path.join(dir, 'versions'), false));
      covered.add(dir);
    }
  }
  return dedupe(envs);
}

/** One environment per set of version folders, in the order first found. */
function dedupe(envs: DiscoveredEnvironment[]): DiscoveredEnvironment[] {
  const seen = new Map<string, DiscoveredEnvironment>();
  for (const e of envs) {
    const key = e.versionDirs.join('\0');
    const prev = seen.get(key);
    if (!prev) seen.set(key, e);
    else if (prev !== e) prev.files = [...new Set([...prev.files, ...e.files])].sort();
  }
  return [...seen.values()];
}
