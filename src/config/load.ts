/**
 * Configuration: found by walking up from the working directory (stopping at the repository root), in
 * migration-lint.config.*, .migrationlintrc.json, package.json or pyproject.toml (README.md "Configuration"),
 * then validated so that a typo is a clear error naming the key, never silently ignored.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseToml } from 'smol-toml';
import { configError, didYouMean } from '../errors.js';
import { readText, statKind } from '../io/files.js';
import { ruleById } from '../rules/index.js';
import type { Level } from '../model/diagnostic.js';

export interface RuleSetting {
  level: Level;
  options: Record<string, unknown>;
}

export interface Config {
  /** The file it came from, or null for defaults. */
  file: string | null;
  /** Folder the config's relative paths are relative to. */
  dir: string;
  versions: string[] | null;
  rules: Record<string, RuleSetting>;
  baseline: string | null;
  sqlmodelImport: 'auto' | 'always' | 'when-used';
  checkDowngrade: boolean;
  vagueMessages: string[];
  ignore: string[];
  dialect: string;
  /** "changed": content rules judge only revisions that are not applied (what already ran cannot be changed); "all": every revision. */
  scope: 'changed' | 'all';
  /** The name of the environment variable that holds the database URL (`"$DATABASE_URL"` in the file). */
  databaseUrl: string | null;
  /** Files, folders or globs that hold the models, over what env.py's imports reach (SPEC "Models are the truth"). */
  models: string[] | null;
}

const KEYS = ['versions', 'rules', 'baseline', 'sqlmodelImport', 'checkDowngrade', 'vagueMessages', 'ignore', 'dialect', 'scope', 'databaseUrl', 'models'];
const JS_FILES = ['migration-lint.config.js', 'migration-lint.config.mjs', 'migration-lint.config.ts'];
const SEARCH = ['migration-lint.config.json', ...JS_FILES, '.migrationlintrc.json', 'package.json', 'pyproject.toml'];

export function defaultConfig(dir: string): Config {
  return {
    file: null,
    dir,
    versions: null,
    rules: {},
    baseline: null,
    sqlmodelImport: 'auto',
    checkDowngrade: false,
    vagueMessages: [],
    ignore: [],
    dialect: 'postgresql',
    scope: 'changed',
    databaseUrl: null,
    models: null,
  };
}

/**
 * Finds and loads the configuration; `explicit` is `--config FILE`. `allowCode: false` (the GitHub Action,
 * which never runs repository code) refuses JavaScript/TypeScript configs instead of importing them.
 */
export async function loadConfig(cwd: string, explicit: string | null, ruleIds: Set<string>, opts: { allowCode?: boolean } = {}): Promise<Config> {
  const allowCode = opts.allowCode ?? true;
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    if (statKind(file) !== 'file') throw configError(`config file not found: ${explicit}`);
    const raw = await readConfigFile(file, true, allowCode, cwd);
    return validate(raw ?? {}, file, ruleIds, cwd);
  }
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    for (const name of SEARCH) {
      const file = path.join(dir, name);
      if (statKind(file) !== 'file') continue;
      const raw = await readConfigFile(file, false, allowCode, cwd);
      if (raw !== undefined) return validate(raw, file, ruleIds, cwd);
    }
    // The repository root bounds the search, so a config in a parent project never leaks in.
    if (statKind(path.join(dir, '.git')) !== null || dir === path.dirname(dir)) break;
  }
  return defaultConfig(cwd);
}

/**
 * A JavaScript config through Node's own import; a TypeScript one through jiti, loaded only then, since
 * Node 20 cannot import .ts itself. No cache on disk: a config edited between runs is read afresh.
 */
async function importConfig(file: string): Promise<unknown> {
  if (/\.(c|m)?ts$/.test(file)) {
    const { createJiti } = await import('jiti');
    const jiti = createJiti(import.meta.url, { fsCache: false, moduleCache: false, interopDefault: true });
    return await jiti.import(file, { default: true });
  }
  const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  return mod.default ?? mod;
}

/** undefined: this file holds no migration-lint config (a package.json or pyproject.toml without our key). */
async function readConfigFile(file: string, explicit: boolean, allowCode: boolean, cwd: string): Promise<unknown> {
  const base = path.basename(file);
  const rel = shown(cwd, file);
  if (JS_FILES.includes(base) || (explicit && /\.(c|m)?(j|t)s$/.test(base))) {
    if (!allowCode) throw configError(`${rel} is code, and the GitHub Action never runs repository code: move the settings to migration-lint.config.json`);
    try {
      return await importConfig(file);
    } catch (err) {
      throw configError(`cannot load ${rel}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  const text = readText(file);
  if (text === null) throw configError(`cannot read ${rel}`);
  if (base === 'pyproject.toml' || (explicit && base.endsWith('.toml'))) {
    let doc: Record<string, unknown>;
    try {
      doc = parseToml(text) as Record<string, unknown>;
    } catch (err) {
      // Someone else's broken pyproject is not ours to fail on; one that holds our settings is.
      if (!explicit && !/tool\.["']?migration-lint/.test(text)) return undefined;
      const line = (err as { line?: number }).line;
      throw configError(`cannot parse ${rel}${line ? ` (line ${line})` : ''}: ${(err as Error).message.split('\n')[0]}`);
    }
    const tool = doc.tool as Record<string, unknown> | undefined;
    const section = tool?.['migration-lint'];
    return section === undefined && !explicit ? undefined : (section ?? {});
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    if (base === 'package.json' && !explicit && !/"migrationLint"/.test(text)) return undefined;
    throw configError(`cannot parse ${rel}: ${(err as Error).message}`);
  }
  if (base === 'package.json') return (json as Record<string, unknown>)?.migrationLint;
  return json;
}

/** A config file's name in messages: relative to the working directory when it is inside it. */
function shown(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return (rel.startsWith('..') || path.isAbsolute(rel) ? file : rel).split(path.sep).join('/');
}

function validate(raw: unknown, file: string, ruleIds: Set<string>, cwd: string): Config {
  const base = path.basename(file);
  const where = base === 'pyproject.toml' ? `${shown(cwd, file)} [tool.migration-lint]` : base === 'package.json' ? `${shown(cwd, file)} "migrationLint"` : shown(cwd, file);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw configError(`${where}: the configuration must be an object`);
  const obj = raw as Record<string, unknown>;
  const cfg = defaultConfig(path.dirname(file));
  cfg.file = file;
  for (const [key, value] of Object.entries(obj)) {
    const bad = (what: string) => configError(`${where}: '${key}' ${what}`);
    switch (key) {
      case 'versions':
        if (typeof value === 'string') cfg.versions = [value];
        else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) cfg.versions = value as string[];
        else throw bad('must be a folder or a list of folders');
        cfg.versions = cfg.versions.map((v) => path.resolve(cfg.dir, v));
        break;
      case 'rules':
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('must be an object of rule ids');
        for (const [id, setting] of Object.entries(value)) {
          if (!ruleIds.has(id)) throw configError(`${where}: unknown rule '${id}' in 'rules'${didYouMean(id, ruleIds)}`);
          cfg.rules[id] = parseRuleSetting(setting, `${where}: rules.${id}`);
          checkRuleOptions(id, cfg.rules[id]!.options, `${where}: rules.${id}`);
        }
        break;
      case 'baseline':
        if (typeof value !== 'string' || !value) throw bad('must be a git ref');
        cfg.baseline = value;
        break;
      case 'sqlmodelImport':
        if (value !== 'always' && value !== 'when-used' && value !== 'auto') throw bad('must be "always", "when-used" or "auto"');
        cfg.sqlmodelImport = value;
        break;
      case 'checkDowngrade':
        if (typeof value !== 'boolean') throw bad('must be true or false');
        cfg.checkDowngrade = value;
        break;
      case 'vagueMessages':
      case 'ignore':
        if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw bad('must be a list of strings');
        cfg[key] = value as string[];
        break;
      case 'dialect':
        if (typeof value !== 'string') throw bad('must be a string');
        cfg.dialect = value;
        break;
      case 'scope':
        if (value !== 'changed' && value !== 'all') throw bad('must be "changed" (revisions not yet applied) or "all" (every revision)');
        cfg.scope = value;
        break;
      case 'databaseUrl': {
        // A URL here would put its password in a committed file: only a reference to the environment is taken.
        const name = typeof value === 'string' ? envReference(value) : null;
        if (!name) throw bad('must name an environment variable that holds the URL, such as "$DATABASE_URL", never the URL itself (its password would be committed)');
        cfg.databaseUrl = name;
        break;
      }
      case 'models':
        if (typeof value === 'string') cfg.models = [value];
        else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) cfg.models = value as string[];
        else throw bad('must be a file, folder or glob, or a list of them');
        break;
      case '$schema':
        break;
      default:
        throw configError(`${where}: unknown key '${key}'${didYouMean(key, KEYS)}`);
    }
  }
  return cfg;
}

/** Options a rule does not take, or that its own check refuses, are a config error, never silently ignored. */
function checkRuleOptions(id: string, options: Record<string, unknown>, where: string): void {
  const rule = ruleById.get(id);
  if (!rule) return;
  if (!rule.options) {
    const keys = Object.keys(options);
    if (keys.length) throw configError(`${where}: this rule takes no options (got '${keys[0]}')`);
    return;
  }
  try {
    rule.options(options);
  } catch (err) {
    throw configError(`${where}: ${(err as Error).message}`);
  }
}

export function parseRuleSetting(setting: unknown, where: string): RuleSetting {
  const level = Array.isArray(setting) ? setting[0] : setting;
  const options = Array.isArray(setting) ? (setting[1] ?? {}) : {};
  if (level !== 'off' && level !== 'warning' && level !== 'error' && level !== 'warn') {
    throw configError(`${where} must be "off", "warning" or "error" (or ["error", {options}])`);
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw configError(`${where}: options must be an object`);
  return { level: level === 'warn' ? 'warning' : level, options: options as Record<string, unknown> };
}

/** `$NAME` or `${NAME}` → NAME; anything else is not a reference to an environment variable. */
export function envReference(value: string): string | null {
  const m = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(value.trim());
  return m ? (m[1] ?? m[2]!) : null;
}
