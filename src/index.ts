/** The library entry: what the CLI, the hook and the Action build on, for tools that embed the linter. */
export { lint, type Diagnostic, type LintResult, type LintRequest } from './engine/lint.js';
export { discover, type DiscoveredEnvironment, type Discovery } from './discover/environments.js';
export { loadConfig, type Config } from './config/load.js';
export { extractFacts } from './facts/extract.js';
export type { MigrationFacts, Operation } from './facts/types.js';
export { rules, ruleById } from './rules/index.js';
export type { Rule, RuleMeta, Severity } from './rules/types.js';
export { reporters } from './reporters/index.js';
export { MigrationLintError } from './errors.js';
export { VERSION } from './version.js';
