/**
 * Applied history is immutable: a revision that already ran is not judged again for what it does. Which
 * revisions of an environment are applied (their file is at the git baseline, or the database says they ran), which of those the content rules leave alone (applied
 * and unchanged since the baseline: the only correct change to them is none), and the house conventions
 * learnt from them, never imposed on them.
 */
import { databaseView } from '../facts/database.js';
import { derived } from '../facts/derived.js';
import { isHexLikeId, parseFileName } from '../facts/filename.js';
import { isMerge } from '../facts/graph.js';
import { resolveHistory } from '../facts/identity.js';
import type { DatabaseRecord, DatabaseView } from '../model/database.js';
import type { Environment } from '../model/environment.js';
import type { MigrationFacts } from '../model/facts.js';
import type { History, MigrationFile } from '../model/migration.js';
import type { Conventions } from '../model/settings.js';
import { bodies } from '../rules/util.js';

export interface EnvironmentScope {
  /** Files holding an applied revision (git baseline or database). */
  applied: MigrationFile[];
  /** Paths of applied files unchanged since the baseline: content rules do not judge them (scope "changed"). */
  graphOnly: Set<string>;
  database: DatabaseView | null;
}

export function environmentScope(
  files: MigrationFile[],
  history: History | null,
  database: DatabaseRecord | null,
  definedElsewhere: (rev: string) => boolean,
  scope: 'changed' | 'all',
): EnvironmentScope {
  const view = database ? databaseView(database.shownUrl, database.recorded, files, definedElsewhere) : null;
  const resolved = history ? resolveHistory(history, files) : null;
  const revisionOf = (f: MigrationFile) => (f.facts.revision.values?.length === 1 ? f.facts.revision.values[0] : null);
  const inDatabase = (f: MigrationFile) => {
    if (!view) return false;
    const rev = revisionOf(f);
    return rev !== null && rev !== undefined && view.applied.has(rev);
  };
  const applied = files.filter((f) => resolved?.applied.has(f.path) || inDatabase(f));
  const graphOnly = new Set<string>();
  if (scope === 'changed') {
    if (resolved) {
      // With git, "changed since the baseline" is known: an edited or renamed applied revision is judged again.
      const touched = new Set(resolved.entries.flatMap((e) => (e.newPath !== null ? [e.newPath] : [])));
      for (const p of resolved.applied) if (!touched.has(p)) graphOnly.add(p);
    } else {
      for (const f of applied) graphOnly.add(f.path);
    }
  }
  return { applied, graphOnly, database: view };
}

/**
 * Conventions read from the applied revisions: a project keeps one when more than half of the applied
 * revisions it could show in do so, or when nothing is applied yet (a new project starts with the defaults).
 */
export function learnConventions(applied: MigrationFile[], env: Environment, appliedFrom: string): Conventions {
  return { autogenerateMarkers: markers(applied, appliedFrom), fileNameIds: fileNameIds(applied, env, appliedFrom) };
}

/** `what` is [singular, plural]. */
function majority(kept: number, of: number, what: [string, string], appliedFrom: string, holds: string, fails: string): { holds: boolean; reason: string } {
  if (of === 0) return { holds: true, reason: `no ${what[0]} is applied yet (${appliedFrom}), so the default holds: revisions ${holds}` };
  const share = `${kept} of the ${of} applied ${of === 1 ? what[0] : what[1]} (${appliedFrom})`;
  return kept * 2 > of ? { holds: true, reason: `${share} ${holds}` } : { holds: false, reason: `only ${share} ${holds}, so this project does not keep that convention: ${fails}` };
}

/** What a file shows of the autogenerate-marker convention: no operation in upgrade, operations without the block, or with it. */
type MarkerUse = 'none' | 'unmarked' | 'marked';

const isMarkerUse = (v: unknown): v is MarkerUse => v === 'none' || v === 'unmarked' || v === 'marked';

/**
 * Kept with the facts in the cache (facts/derived.ts): learning the convention reads every applied revision, and
 * a run that reports on one new file should not read ten thousand bodies for it.
 */
export function markerUse(facts: MigrationFacts): MarkerUse {
  return derived(
    facts,
    'conventions.markers.v1',
    (): MarkerUse => {
      if (facts.parseError || isMerge(facts)) return 'none';
      const ups = bodies(facts, 'upgrade');
      if (!facts.operations.some((o) => ups.some((b) => b.name === o.fnName))) return 'none';
      return ups.every((b) => b.autogenBlock.start && b.autogenBlock.end) ? 'marked' : 'unmarked';
    },
    isMarkerUse,
  );
}

function markers(applied: MigrationFile[], appliedFrom: string) {
  let withOps = 0;
  let marked = 0;
  for (const f of applied) {
    const use = markerUse(f.facts);
    if (use === 'none') continue;
    withOps++;
    if (use === 'marked') marked++;
  }
  return majority(
    marked,
    withOps,
    ['revision with operations', 'revisions with operations'],
    appliedFrom,
    "carry Alembic's autogenerate block",
    'a revision without the block cannot be told from a hand-written one, and manual-migration is silent',
  );
}

function fileNameIds(applied: MigrationFile[], env: Environment, appliedFrom: string) {
  let named = 0;
  let agree = 0;
  for (const f of applied) {
    const rev = f.facts.revision.values?.length === 1 ? f.facts.revision.values[0] : null;
    const fromName = parseFileName(f.path.split('/').pop()!, env.fileTemplate).rev;
    if (!rev || !fromName || !isHexLikeId(fromName)) continue;
    named++;
    if (fromName === rev || rev.startsWith(fromName)) agree++;
  }
  return majority(
    agree,
    named,
    ['revision with an id-like file name', 'revisions with an id-like file name'],
    appliedFrom,
    'carry their own revision id in the file name',
    'revision-mismatch does not compare file names with revision ids',
  );
}
