/**
 * Findings on the pull request's lines: as workflow commands (every token can, but GitHub shows only 10
 * errors and 10 warnings per step), or as a check run (needs `checks: write`; annotations go in batches of
 * 50, so hundreds show up). `auto` tries the check run and falls back to commands when the token may not.
 */
import * as core from '@actions/core';
import type { Diagnostic } from '../model/diagnostic.js';

/** Checks API limits (title 255 characters, message and raw details 64 KiB, 50 annotations per request). */
export const CHECKS_LIMITS = { title: 255, message: 65535, batch: 50 } as const;

/** What GitHub shows from workflow commands of one step; the rest reach only the log and the job summary. */
export const COMMANDS_SHOWN_PER_STEP = 10;

export type AnnotationMode = 'auto' | 'checks' | 'commands';

function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  // Never leave half a surrogate pair at the cut.
  return `${/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

function messageOf(d: Diagnostic): string {
  return d.help ? `${d.message}\nhelp: ${d.help}` : d.message;
}

/** Workflow commands: @actions/core escapes properties and data, so no file text can start a command. */
export function annotateWithCommands(diagnostics: Diagnostic[], log: (line: string) => void): void {
  for (const d of diagnostics) {
    const props: core.AnnotationProperties = { title: d.rule, file: d.file, startLine: d.line, endLine: d.endLine };
    // GitHub drops columns on annotations that span lines.
    if (d.line === d.endLine) {
      props.startColumn = d.column;
      props.endColumn = d.endColumn;
    }
    if (d.severity === 'error') core.error(messageOf(d), props);
    else core.warning(messageOf(d), props);
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (errors > COMMANDS_SHOWN_PER_STEP || warnings > COMMANDS_SHOWN_PER_STEP) {
    log(
      `GitHub shows at most ${COMMANDS_SHOWN_PER_STEP} error and ${COMMANDS_SHOWN_PER_STEP} warning annotations of a step: all ${diagnostics.length} findings are in the job summary (give the token \`checks: write\` to annotate every line)`,
    );
  }
}

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  message: string;
  title: string;
  raw_details?: string;
}

export function toCheckAnnotation(d: Diagnostic): CheckAnnotation {
  const a: CheckAnnotation = {
    path: d.file,
    start_line: d.line,
    end_line: d.endLine,
    annotation_level: d.severity === 'error' ? 'failure' : 'warning',
    message: truncate(d.message, CHECKS_LIMITS.message),
    title: truncate(d.rule, CHECKS_LIMITS.title),
  };
  if (d.line === d.endLine) {
    a.start_column = d.column;
    a.end_column = Math.max(d.endColumn, d.column);
  }
  if (d.help) a.raw_details = truncate(d.help, CHECKS_LIMITS.message);
  return a;
}

/** The part of octokit this module uses, so that tests and callers can see what it needs. */
export interface ChecksApi {
  create(params: { owner: string; repo: string; name: string; head_sha: string; status: 'in_progress' }): Promise<{ data: { id: number; html_url?: string | null } }>;
  update(params: {
    owner: string;
    repo: string;
    check_run_id: number;
    status?: 'completed';
    conclusion?: 'success' | 'failure' | 'neutral';
    output: { title: string; summary: string; annotations?: CheckAnnotation[] };
  }): Promise<unknown>;
}

export interface CheckRunRequest {
  owner: string;
  repo: string;
  headSha: string;
  name: string;
  title: string;
  /** Markdown shown on the check run's page (cut to the Checks API limit). */
  summary: string;
  conclusion: 'success' | 'failure' | 'neutral';
  diagnostics: Diagnostic[];
}

/** Creates the check run, then adds annotations 50 at a time; the last request completes it. */
export async function annotateWithCheckRun(api: ChecksApi, req: CheckRunRequest): Promise<{ id: number; url: string | null }> {
  const { data } = await api.create({ owner: req.owner, repo: req.repo, name: req.name, head_sha: req.headSha, status: 'in_progress' });
  const annotations = req.diagnostics.map(toCheckAnnotation);
  const output = { title: truncate(req.title, CHECKS_LIMITS.title), summary: truncate(req.summary, CHECKS_LIMITS.message) };
  const batches: CheckAnnotation[][] = [];
  for (let i = 0; i < annotations.length; i += CHECKS_LIMITS.batch) batches.push(annotations.slice(i, i + CHECKS_LIMITS.batch));
  if (!batches.length) batches.push([]);
  for (let i = 0; i < batches.length; i++) {
    const last = i === batches.length - 1;
    await api.update({
      owner: req.owner,
      repo: req.repo,
      check_run_id: data.id,
      ...(last ? { status: 'completed' as const, conclusion: req.conclusion } : {}),
      output: { ...output, ...(batches[i]!.length ? { annotations: batches[i] } : {}) },
    });
  }
  return { id: data.id, url: data.html_url ?? null };
}

/** A 403 or 404 from the API: the token may not write (fork pull requests get a read-only one). */
export function isPermissionError(err: unknown): err is { status: number; message: string } {
  const status = (err as { status?: unknown })?.status;
  return status === 403 || status === 404;
}
