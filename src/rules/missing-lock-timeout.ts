import { defineRule } from './types.js';
import { appliesTo, lockContext, reportedFiles, q, upgradeSteps } from '../facts/lock-context.js';
import { blocksWrites, lockBlocks, lockOf, statementLock } from '../facts/locks.js';
import { parseSql } from '../facts/sql-parse.js';
import { parsePython, toExpr } from '../parse/python.js';

const HELP = 'Start upgrade() with `op.execute("SET lock_timeout = \'5s\'")`, or set it once for every migration in env.py (e.g. `connect_args={"options": "-c lock_timeout=5s"}`), and retry the deploy when it times out.';

/** `SET lock_timeout …`, `-c lock_timeout=…` in a string: the value, when it is not 0 (which disables it). */
const SETTING = /\block_timeout\b\s*(?:=|\s+to\s+)?\s*'?([^'"\s;]+)/i;

function setsTimeout(text: string): boolean {
  const m = SETTING.exec(text);
  return !!m && !/^0+(ms|s)?$/i.test(m[1]!) && m[1]!.toUpperCase() !== 'DEFAULT';
}

const envCache = new Map<string, boolean>();

/** Whether any string literal of env.py sets a lock_timeout (comments do not count). */
export function envPySetsLockTimeout(text: string): boolean {
  const hit = envCache.get(text);
  if (hit !== undefined) return hit;
  let found = false;
  parsePython(text).iterate({
    enter(n) {
      if (found) return false;
      if (n.name === 'String' || n.name === 'FormatString') {
        const e = toExpr(n.node, text);
        if (e.kind === 'str' && setsTimeout(e.value)) found = true;
        return false;
      }
      return undefined;
    },
  });
  envCache.set(text, found);
  return found;
}

/**
 * A statement that waits for a lock also makes every later query on that table wait behind it: one long
 * transaction ahead of the migration stalls the whole table. lock_timeout turns that into a failed,
 * retryable deploy.
 */
export default defineRule({
  meta: {
    id: 'missing-lock-timeout',
    description:
      'A migration takes one of the locks above on an existing table and neither it nor `env.py` sets `lock_timeout`: one long query ahead of it queues every later query behind it.',
    defaultSeverity: 'warning',
    fixable: false,
    help: HELP,
  },
  checkEnvironment(ctx) {
    if (!appliesTo(ctx)) return;
    if (ctx.env.envPy && envPySetsLockTimeout(ctx.env.envPy.text)) return;
    const lc = lockContext(ctx);
    for (const file of reportedFiles(ctx)) {
      const tx = lc.transactions(file);
      // SET lock_timeout anywhere the migration runs SQL; SET LOCAL lasts only until its transaction ends.
      const sets: { at: number; tx: string; local: boolean }[] = [];
      for (const call of file.facts.sqlCalls) {
        if (call.fn !== 'upgrade' || call.sql === null) continue;
        for (const s of parseSql(call.sql) ?? []) {
          if (s.kind === 'set' && s.name === 'lock_timeout' && s.value !== null && setsTimeout(`lock_timeout = ${s.value}`)) {
            sets.push({ at: call.span.start, tx: tx.transactionKey(call.span.start), local: s.local });
          }
        }
      }
      const covered = (at: number) => sets.some((s) => s.at < at && (!s.local || s.tx === tx.transactionKey(at)));
      for (const step of upgradeSteps(lc, file)) {
        if (!step.existing) continue;
        const mode = step.kind === 'op' ? lockOf(step.op) : statementLock(step.stmt);
        if (!mode || !blocksWrites(mode)) continue;
        if (covered(step.op.span.start)) continue;
        const what = step.kind === 'op' ? `\`${step.op.op}\`` : 'its SQL';
        ctx.report(file.path, {
          span: step.op.span,
          message: `${what} takes ${mode} on existing table ${q(step.table)} (${lockBlocks(mode)}) and no lock_timeout is set: if a long query holds the table, this waits and every later query on it queues behind`,
          help: HELP,
        });
        break;
      }
    }
  },
});
