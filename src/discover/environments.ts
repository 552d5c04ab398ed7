/**
 * Where the migrations are, in SPEC's order: explicit paths, config `versions`, alembic.ini at the root or
 * in backend/, backend/alembic/versions, then a search of the repo for Alembic environments.
 */
import path from 'node:path';
import { usageError } from '../errors.js';
import { listPythonFiles, readText, statKind, walkDirs } from '../io/files.js';
import { iniGet, parseIni } from './ini.js';

export interface DiscoveredEnvironment {
  /** alembic.ini section, or the versions folder when there is no ini. */
  name: string;
  /** Absolute version folders. */
  versionDirs: string[];
  recursive: boolean;
  /** Absolute path of script.py.mako, when the environment has one. */
  templatePath: string | null;
  fileTemplate: string | null;
  /** Where the environment lives (the ini's folder, else the script location), for project-kind hints. */
  root: string;
  /** Absolute paths of the migrations, as Alembic would load them. */
  files: string[];
}

export interface Discovery {
  environments: DiscoveredEnvironment[];
  /** Files named on the command line: only these are linted, though graph rules see their environments whole. */
  explicitFiles: string[] | null;
  /** Where we looked, for the "nothing found" message. */
  searched: string[];
}

export function discover(cwd: string, paths: string[], configVersions: string[] | null): Discovery {
  const searched: string[] = [];
  if (paths.length) return fromPaths(cwd, paths, searched);
  if (configVersions && configVersions.length) {
    const envs = configVersions.map((v) => {
      const dir = path.resolve(cwd, v);
      if (statKind(dir) !== 'dir') throw usageError(`config 'versions' names '${v}', which is not a folder`);
      return versionsEnv(dir, false);
    });
    return { environments: envs, explicitFiles: null, searched: configVersions };
  }
  for (const dir of [cwd, path.join(cwd, 'backend')]) {
    const ini = path.join(dir, 'alembic.ini');
    searched.push(path.relative(cwd, ini) || 'alembic.ini');
    if (statKind(ini) === 'file') {
      const envs = fromIni(ini);
      if (envs.length) return { environments: envs, explicitFiles: null, searched };
    }
  }
  const fastapi = path.join(cwd, 'backend', 'alembic', 'versions');
  searched.push('backend/alembic/versions');
  if (statKind(fastapi) === 'dir') return { environments: [versionsEnv(fastapi, false)], explicitFiles: null, searched };
  searched.push('the repository (alembic.ini, or env.py + script.py.mako + versions/)');
  return { environments: searchTree(cwd), explicitFiles: null, searched };
}

function fromPaths(cwd: string, paths: string[], searched: string[]): Discovery {
  const envs = new Map<string, DiscoveredEnvironment>();
  const files: string[] = [];
  let anyFile = false;
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    const kind = statKind(abs);
    searched.push(p);
    if (kind === null) throw usageError(`no such file or folder: ${p}`);
    if (kind === 'file') {
      anyFile = true;
      files.push(abs);
      const dir = path.dirname(abs);
      const env = [...envs.values()].find((e) => e.versionDirs.some((v) => abs.startsWith(v + path.sep))) ?? enclosingEnv(dir);
      envs.set(env.versionDirs.join('|'), env);
      continue;
    }
    if (kind !== 'dir') throw usageError(`not a file or folder: ${p}`);
    for (const env of envsInDir(abs)) envs.set(env.versionDirs.join('|'), env);
  }
  return { environments: [...envs.values()], explicitFiles: anyFile ? files : null, searched };
}

/** A folder given on the command line: an Alembic project, an environment, a versions folder, or a tree to search. */
function envsInDir(dir: string): DiscoveredEnvironment[] {
  const ini = path.join(dir, 'alembic.ini');
  if (statKind(ini) === 'file') {
    const envs = fromIni(ini);
    if (envs.length) return envs;
  }
  if (isEnvFolder(dir)) return [envFolder(dir)];
  if (listPythonFiles(dir, false).length && !isEnvFolder(path.dirname(dir)) && statKind(path.join(dir, 'env.py')) !== 'file') {
    return [versionsEnv(dir, false)];
  }
  if (path.basename(dir) === 'versions') return [versionsEnv(dir, false)];
  const found = searchTree(dir);
  return found.length ? found : listPythonFiles(dir, false).length ? [versionsEnv(dir, false)] : [];
}

/** The environment a single file belongs to: its versions folder, with the template beside it. */
function enclosingEnv(dir: string): DiscoveredEnvironment {
  // Nested version folders (recursive_version_locations) keep files below versions/.
  for (let d = dir, i = 0; i < 6; i++, d = path.dirname(d)) {
    if (path.basename(d) === 'versions' && isEnvFolder(path.dirname(d))) {
      const ini = findIniFor(path.dirname(d));
      if (ini) {
        const env = fromIni(ini).find((e) => e.versionDirs.some((v) => dir === v || dir.startsWith(v + path.sep)));
        if (env) return env;
      }
      return { ...envFolder(path.dirname(d)), recursive: d !== dir };
    }
    if (d === path.dirname(d)) break;
  }
  return versionsEnv(dir, false);
}

function findIniFor(scriptDir: string): string | null {
  for (const cand of [path.join(scriptDir, 'alembic.ini'), path.join(path.dirname(scriptDir), 'alembic.ini')]) {
    if (statKind(cand) === 'file') return cand;
  }
  return null;
}

function isEnvFolder(dir: string): boolean {
  return statKind(path.join(dir, 'env.py')) === 'file' && statKind(path.join(dir, 'versions')) === 'dir';
}

function envFolder(scriptDir: string): DiscoveredEnvironment {
  const versions = path.join(scriptDir, 'versions');
  const template = path.join(scriptDir, 'script.py.mako');
  return {
    name: versions,
    versionDirs: [versions],
    recursive: false,
    templatePath: statKind(template) === 'file' ? template : null,
    fileTemplate: null,
    root: scriptDir,
    files: listPythonFiles(versions, false),
  };
}

function versionsEnv(dir: string, recursive: boolean): DiscoveredEnvironment {
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

const SEPARATORS: Record<string, RegExp> = {
  os: new RegExp(path.delimiter === ';' ? ';' : ':'),
  ':': /:/,
  ';': /;/,
  space: / +/,
  newline: /\r?\n/,
  ',': /,/,
};

/** Each section of alembic.ini that names a script location is an environment (`alembic -n NAME`). */
export function fromIni(iniPath: string): DiscoveredEnvironment[] {
  const text = readText(iniPath);
  if (text === null) return [];
  const ini = parseIni(text);
  const here = path.dirname(iniPath);
  const vars = { here };
  const envs: DiscoveredEnvironment[] = [];
  const sections = [...ini.keys()].filter((s) => s !== 'DEFAULT');
  for (const section of sections) {
    let scriptLocation = iniGet(ini, section, 'script_location', vars);
    if (scriptLocation === null) {
      // Flask-Migrate keeps alembic.ini inside the environment and names no script_location.
      if (section === 'alembic' && isEnvFolder(here)) scriptLocation = here;
      else continue;
    }
    const scriptDir = resolveScriptLocation(here, scriptLocation.trim());
    const sep = iniGet(ini, section, 'path_separator', vars) ?? iniGet(ini, section, 'version_path_separator', vars);
    const locations = iniGet(ini, section, 'version_locations', vars);
    let versionDirs: string[];
    if (locations && locations.trim()) {
      const splitter = sep ? (SEPARATORS[sep.trim()] ?? / +|,/) : /[\s,]+/;
      versionDirs = locations
        .split(splitter)
        .map((s) => s.trim())
        .filter(Boolean)
        .map((loc) => resolveScriptLocation(here, loc));
    } else versionDirs = [path.join(scriptDir, 'versions')];
    const recursive = /^(true|1|yes|on)$/i.test((iniGet(ini, section, 'recursive_version_locations', vars) ?? '').trim());
    const template = path.join(scriptDir, 'script.py.mako');
    versionDirs = versionDirs.filter((d) => statKind(d) === 'dir');
    if (!versionDirs.length) continue;
    envs.push({
      name: sections.length > 1 ? `[${section}] ${path.basename(iniPath)}` : versionDirs[0]!,
      versionDirs,
      recursive,
      templatePath: statKind(template) === 'file' ? template : null,
      fileTemplate: iniGet(ini, section, 'file_template', vars),
      root: here,
      files: versionDirs.flatMap((d) => listPythonFiles(d, recursive)),
    });
  }
  return envs;
}

/** `migrations`, `%(here)s/alembic`, or package form `myapp:db/migrations` resolved to the package's folder. */
function resolveScriptLocation(base: string, loc: string): string {
  const pkg = /^([A-Za-z_][\w.]*):(.*)$/.exec(loc);
  if (pkg && !/^[A-Za-z]:[\\/]/.test(loc)) {
    const pkgPath = pkg[1]!.split('.').join(path.sep);
    for (const root of [base, path.join(base, 'src'), path.dirname(base)]) {
      const candidate = path.join(root, pkgPath);
      if (statKind(candidate) === 'dir') return path.join(candidate, pkg[2]!);
    }
    return path.join(base, pkgPath, pkg[2]!);
  }
  return path.resolve(base, loc);
}

function searchTree(root: string): DiscoveredEnvironment[] {
  const envs: DiscoveredEnvironment[] = [];
  const covered: string[] = [];
  for (const dir of walkDirs(root)) {
    if (covered.some((c) => dir === c || dir.startsWith(c + path.sep))) continue;
    const ini = path.join(dir, 'alembic.ini');
    if (statKind(ini) === 'file') {
      const found = fromIni(ini);
      if (found.length) {
        envs.push(...found);
        covered.push(...found.flatMap((e) => e.versionDirs));
        continue;
      }
    }
    if (isEnvFolder(dir) && statKind(path.join(dir, 'script.py.mako')) === 'file') {
      const env = envFolder(dir);
      envs.push(env);
      covered.push(dir);
    }
  }
  return envs;
}
