/**
 * The engine's entry: discovered environments → a pass (engine/pass.ts: facts → rules → severities and
 * suppressions → diagnostics) → with `--fix`, the fixes applied (engine/fix.ts) and the files linted again.
 * Pure apart from the SourceProvider it is given and the writes of --fix through io/files.
 */
import { loadSqlParser } from '../facts/sql-loader.js';
import { writeBytes } from '../io/files.js';
import { workTree } from '../io/source.js';
import type { LintResult } from '../model/result.js';
import { applyFixesToBytes } from './fix.js';
import { Loader } from './load.js';
import { runPass, type PassNeed, type PassResult } from './pass.js';
import type { LintRequest } from './request.js';

export type { LintRequest };

/** A lint in a process that loaded PostgreSQL's parser on import (everything but the CLI's bin). */
export function lint(req: LintRequest): LintResult {
  const step = lintSteps(req).next();
  if (!step.done) throw new Error('the SQL parser was deferred (facts/sql-loader.ts): use lintAsync');
  return step.value;
}

/** lint() for a process that defers loading PostgreSQL's parser: it is loaded before a pass reads files holding SQL. */
export async function lintAsync(req: LintRequest): Promise<LintResult> {
  const steps = lintSteps(req);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    await loadSqlParser();
  }
}

/** The run, pausing (yield) whenever a pass needs something loaded first. */
function* lintSteps(req: LintRequest): Generator<PassNeed, LintResult, void> {
  let pass: PassResult = yield* runPass(req, new Loader(req));
  const source = req.source ?? workTree;
  if (!req.fix || !source.writable) {
    req.cache?.save();
    return pass.result;
  }
  const fixed: LintResult['fixed'] = [];
  // A fix that overlaps another waits for the next pass, as in ESLint; the cap ends any ping-pong between rules.
  for (let round = 0; round < 10 && pass.pendingFixes.size; round++) {
    let changed = false;
    for (const [abs, { doc, fixes }] of pass.pendingFixes) {
      const out = applyFixesToBytes(source.read(abs), doc.text, fixes);
      if (!out) continue;
      writeBytes(abs, out.bytes);
      changed = true;
      for (const f of out.applied) {
        if (!fixed.some((x) => x.file === doc.rel && x.description === f.description)) fixed.push({ file: doc.rel, description: f.description });
      }
    }
    if (!changed) break;
    pass = yield* runPass(req, new Loader(req));
  }
  fixed.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  req.cache?.save();
  return { ...pass.result, fixed };
}
