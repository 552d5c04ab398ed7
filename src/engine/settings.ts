/** What the rules run with: each rule's level and options, and the project settings resolved per environment. */
import path from 'node:path';
import type { Config } from '../config/load.js';
import type { DiscoveredEnvironment, Environment } from '../model/environment.js';
import type { Level } from '../model/diagnostic.js';
import type { MigrationFile } from '../model/migration.js';
import type { Settings } from '../model/settings.js';
import type { SourceProvider } from '../model/source.js';
import { rules as allRules } from '../rules/index.js';

export type Levels = Map<string, { level: Level; options: Record<string, unknown> }>;

/** Each rule's level (`--rule id=level` over config over the rule's default) and its validated options. */
export function resolveLevels(config: Config, overrides: Record<string, Level>): Levels {
  const out: Levels = new Map();
  for (const rule of allRules) {
    const fromConfig = config.rules[rule.meta.id];
    let level: Level = fromConfig?.level ?? rule.meta.defaultSeverity;
    const override = overrides[rule.meta.id];
    if (override) level = override;
    let options: Record<string, unknown> = fromConfig?.options ?? {};
    if (rule.options) options = rule.options(options) as Record<string, unknown>;
    out.set(rule.meta.id, { level, options });
  }
  return out;
}

/** Whether a rule that reads the project's models (`meta.project`: orm/) is on. */
export function modelRulesOn(levels: Levels): boolean {
  return allRules.some((r) => r.meta.project && levels.get(r.meta.id)!.level !== 'off');
}

const SQLMODEL_WORD = /(^|[^\w-])sqlmodel([^\w-]|$)/im;

/**
 * `sqlmodelImport: "auto"` means "always" in a SQLModel project (the template imports sqlmodel, a migration
 * binds it, or the project's dependency files name it) and "when-used" elsewhere.
 */
export function resolveSettings(config: Config, denv: DiscoveredEnvironment, files: MigrationFile[], template: Environment['template'], source: SourceProvider): Settings {
  let mode = config.sqlmodelImport;
  if (mode === 'auto') {
    const sqlmodelProject =
      (template !== null && /^\s*(import sqlmodel|from sqlmodel\b)/m.test(template.text)) ||
      files.some((f) => f.facts.sqlmodelBound) ||
      projectNamesSqlmodel(denv.root, source);
    mode = sqlmodelProject ? 'always' : 'when-used';
  }
  return { sqlmodelImport: mode, checkDowngrade: config.checkDowngrade, vagueMessages: config.vagueMessages, dialect: config.dialect };
}

/** The dependency files projectNamesSqlmodel reads: in the environment's folder and up to three above. */
function dependencyFiles(root: string): string[] {
  const out: string[] = [];
  let dir = root;
  for (let i = 0; i < 4; i++) {
    for (const name of ['pyproject.toml', 'requirements.txt', 'requirements-dev.txt', 'setup.cfg', 'setup.py', 'Pipfile']) out.push(path.join(dir, name));
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return out;
}

/** Whether a dependency file in the environment's folder or up to three above names sqlmodel. */
export function projectNamesSqlmodel(root: string, source: SourceProvider): boolean {
  return dependencyFiles(root).some((f) => {
    const text = source.readText(f);
    return text !== null && SQLMODEL_WORD.test(text);
  });
}

/**
 * What projectNamesSqlmodel follows from, for a result key: each dependency file's content key where the
 * source knows it without reading (the git index's blob id, null when not staged), else whether the file
 * names sqlmodel. Under --staged a run whose findings are cached then reads none of the repository's files.
 */
export function dependencyFilesKey(root: string, source: SourceProvider): unknown {
  return dependencyFiles(root).map((f) => {
    const key = source.key?.(f);
    return key !== undefined ? key : SQLMODEL_WORD.test(source.readText(f) ?? '');
  });
}
