/** `--list-rules` and `--explain <id>`: the rule catalogue and a rule's docs page, without leaving the terminal. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pc from 'picocolors';
import { didYouMean, environmentError, usageError } from '../errors.js';
import { readText } from '../io/files.js';
import { loadConfig } from '../config/load.js';
import { discover } from '../discover/environments.js';
import { lintAsync } from '../engine/lint.js';
import { prepareGitMode } from '../git/mode.js';
import type { Conventions } from '../model/settings.js';
import { rules } from '../rules/index.js';
import { DOCS_BASE } from '../version.js';
import { useColor, type CliIO } from './io.js';

export interface CatalogueFlags {
  format: string;
  color?: boolean;
}

export interface RuleEntry {
  id: string;
  defaultSeverity: 'error' | 'warning';
  fixable: boolean;
  description: string;
  help: string;
  docs: string;
}

/**
 * docs/ ships in the npm package beside lib/: two folders up from lib/cli/explain.js (or src/cli/ in tests), one
 * from the bundled bin, lib/cli.js (scripts/build-cli.mjs).
 */
export function docsPagePath(id: string): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const up = [path.dirname(here), path.dirname(path.dirname(here))].find((d) => fs.existsSync(path.join(d, 'docs', 'rules'))) ?? path.dirname(path.dirname(here));
  return path.join(up, 'docs', 'rules', `${id}.md`);
}

export function catalogue(): RuleEntry[] {
  return rules.map((r) => ({
    id: r.meta.id,
    defaultSeverity: r.meta.defaultSeverity,
    fixable: r.meta.fixable,
    description: r.meta.description,
    help: r.meta.help,
    docs: `${DOCS_BASE}/${r.meta.id}.md`,
  }));
}

export function listRules(flags: CatalogueFlags, io: CliIO): number {
  const entries = catalogue();
  if (flags.format === 'json') {
    io.stdout(`${JSON.stringify(entries, null, 2)}\n`);
    return 0;
  }
  if (flags.format !== 'stylish') throw usageError(`--list-rules prints stylish (the default) or json, not ${flags.format}`);
  const c = pc.createColors(useColor(io, flags.color));
  const idWidth = Math.max(...entries.map((e) => e.id.length));
  const out = entries.map((e) => {
    const sev = e.defaultSeverity === 'error' ? c.red('error  ') : c.yellow('warning');
    const fix = e.fixable ? c.green('fixable') : '       ';
    return `${e.id.padEnd(idWidth)}  ${sev}  ${fix}  ${e.description}`;
  });
  out.push('', c.dim('`migration-lint --explain <id>` prints a rule\'s documentation.'));
  io.stdout(`${out.join('\n')}\n`);
  return 0;
}

export async function explainRule(id: string, flags: CatalogueFlags, io: CliIO): Promise<number> {
  const ids = rules.map((r) => r.meta.id);
  if (!ids.includes(id)) throw usageError(`unknown rule '${id}'${didYouMean(id, ids)}; \`migration-lint --list-rules\` lists them all`);
  const file = docsPagePath(id);
  const text = readText(file);
  if (text === null) throw environmentError(`the documentation of ${id} is missing (${file}): reinstall migration-lint`);
  const c = pc.createColors(useColor(io, flags.color));
  let inCode = false;
  const lines = text.replace(/\s+$/, '').split(/\r?\n/).map((line) => {
    if (line.startsWith('```')) {
      inCode = !inCode;
      return c.dim(line);
    }
    if (!inCode && /^#{1,6} /.test(line)) return c.bold(line);
    return line;
  });
  io.stdout(`${lines.join('\n')}\n`);
  const convention = rules.find((r) => r.meta.id === id)!.meta.convention;
  if (convention) {
    const learnt = await learntHere(io, convention);
    if (learnt.length) io.stdout(`\n${c.bold('## In this project')}\n${learnt.join('\n')}\n`);
  }
  return 0;
}

/**
 * What the engine learnt of a convention in the project around the working directory, per environment, as a
 * plain run would (git baseline, config); nothing when there is no project here, since the page stands alone.
 */
async function learntHere(io: CliIO, convention: keyof Conventions): Promise<string[]> {
  try {
    const ruleIds = new Set(rules.map((r) => r.meta.id));
    const config = await loadConfig(io.cwd, null, ruleIds);
    const git = await prepareGitMode({ cwd: io.cwd, staged: false, base: null, all: false, configBaseline: config.baseline });
    const found = git.discover((cwd) => discover(cwd, [], config.versions), io.cwd);
    if (!found.environments.length) return [];
    const result = await lintAsync({ cwd: io.cwd, environments: found.environments, config, source: git.source, history: git.history(found.environments), scope: 'changed', cache: null });
    const audit = config.scope === 'all' ? ' (the config\'s scope "all" audits every revision against the default instead)' : '';
    return result.environments.flatMap((e) => {
      const learnt = e.conventions?.[convention];
      return learnt ? [`${e.name}: ${learnt.holds ? 'expected' : 'not expected'}: ${learnt.reason}${audit}.`] : [];
    });
  } catch {
    return [];
  }
}
