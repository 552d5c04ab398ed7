/**
 * `migration-lint drift` output: the static `alembic check`, as text for people, markdown for a PR comment,
 * and JSON per SPEC ("Models are the truth") for tools.
 */
import type { DriftDiffJson, DriftJson } from '../model/drift.js';

export function renderDriftJson(view: DriftJson): string {
  return `${JSON.stringify(view, null, 2)}\n`;
}

function where(d: DriftDiffJson): string {
  const p = d.model ?? d.migration;
  return p ? `${p.file}:${p.line}` : '';
}

function target(d: DriftDiffJson): string {
  return d.column ? `${d.table}.${d.column}` : d.name ? `${d.table} ${d.name}` : d.table;
}

export function renderDriftText(view: DriftJson): string {
  const out: string[] = [];
  let total = 0;
  for (const env of view.environments) {
    total += env.differences.length;
    out.push(`${env.versions.join(', ')}: models in ${env.models.length ? env.models.join(', ') : '(none found)'}`);
    for (const d of env.differences) out.push(`  ${where(d)}  ${d.kind}  ${target(d)}\n      ${d.detail}\n      autogenerate would write: ${d.operation}`);
    if (env.unknown.length) {
      out.push(`  not compared (not statically known):`);
      for (const u of env.unknown) out.push(`    ${u.column ? `${u.table}.${u.column}` : u.table}: ${u.reason}`);
    }
  }
  out.push(total ? `${total} difference${total === 1 ? '' : 's'} between the models and the migrations: run \`alembic revision --autogenerate\`` : 'models and migrations agree');
  return `${out.join('\n')}\n`;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderDriftMarkdown(view: DriftJson): string {
  const out: string[] = ['### Models vs migrations', ''];
  for (const env of view.environments) {
    out.push(`**${env.versions.join(', ')}** (models: ${env.models.map((m) => `\`${m}\``).join(', ') || 'none found'})`, '');
    if (!env.differences.length) out.push('No difference: `alembic revision --autogenerate` would write nothing.', '');
    else {
      out.push('| where | difference | autogenerate would write |', '|---|---|---|');
      for (const d of env.differences) out.push(`| \`${cell(where(d))}\` | ${cell(d.detail)} | \`${cell(d.operation)}\` |`);
      out.push('');
    }
    if (env.unknown.length) {
      out.push(`<details><summary>${env.unknown.length} not compared (not statically known)</summary>`, '');
      for (const u of env.unknown) out.push(`- \`${u.column ? `${u.table}.${u.column}` : u.table}\`: ${cell(u.reason)}`);
      out.push('', '</details>', '');
    }
  }
  return `${out.join('\n')}\n`;
}

/** One line for the Action's sticky comment and job summary. */
export function driftLine(view: DriftJson): string {
  const n = view.environments.reduce((s, e) => s + e.differences.length, 0);
  if (!n) return 'Models vs migrations: in sync (autogenerate would write nothing).';
  const kinds = new Map<string, number>();
  for (const e of view.environments) for (const d of e.differences) kinds.set(d.kind, (kinds.get(d.kind) ?? 0) + 1);
  return `Models vs migrations: ${n} difference${n === 1 ? '' : 's'} (${[...kinds].map(([k, c]) => `${c} ${k}`).join(', ')}): run \`alembic revision --autogenerate\`.`;
}
