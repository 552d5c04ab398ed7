/** The library entry: what the CLI, the hook and the Action build on, for tools that embed the linter. */
export { lint, type LintRequest } from './engine/lint.js';
export type { Diagnostic } from './model/diagnostic.js';
export type { LintResult } from './model/result.js';
export { discover, type Discovery } from './discover/environments.js';
export type { DiscoveredEnvironment } from './model/environment.js';
export { loadConfig, type Config } from './config/load.js';
export { extractFacts } from './facts/extract.js';
export type { MigrationFacts, Operation } from './model/facts.js';
export { rules, ruleById } from './rules/index.js';
export type { Rule, RuleMeta } from './rules/types.js';
export type { Severity } from './model/diagnostic.js';
export { reporters } from './reporters/index.js';
export { MigrationLintError } from './errors.js';
export { VERSION } from './version.js';
