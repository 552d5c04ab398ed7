import { defineChangeRule, q } from './change-rule.js';
import { blocksWrites, changeLock, lockBlocks } from '../facts/locks.js';
import { parsePython, toExpr } from '../parse/python.js';

const HELP =
  'Start upgrade() with `op.execute("SET lock_timeout = \'5s\'")` (and a `statement_timeout` that bounds the work), or set it once for every migration in env.py (e.g. `connect_args={"options": "-c lock_timeout=5s"}`), and retry the deploy when it times out.';

/** A timeout value that is set: not 0 (which disables it) and not DEFAULT / RESET (value null). */
function isSet(value: string | null): boolean {
  return value !== null && !/^0+(\.0*)?\s*(us|ms|s|min|h|d)?$/i.test(value.trim());
}

/**
 * A string of env.py that sets lock_timeout: libpq's `options` (`-c lock_timeout=5s`) or a `SET lock_timeout …`
 * it runs. env.py is configuration, read before any migration and whether or not PostgreSQL's parser is
 * loaded, so its strings are matched for the setting alone, not read as SQL.
 */
const ENV_SETTING = /\block_timeout\b\s*(?:=|\s+to\s+)?\s*'?([^'"\s;]+)/i;

function stringSetsTimeout(s: string): boolean {
  const m = ENV_SETTING.exec(s);
  return !!m && isSet(m[1]!) && m[1]!.toUpperCase() !== 'DEFAULT';
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
      if (n.name === 'String' || n.name === 'FormatString' || n.name === 'ContinuedString') {
        const e = toExpr(n.node, text);
        if (e.kind === 'str' && stringSetsTimeout(e.value)) found = true;
        return false;
      }
      return undefined;
    },
  });
  envCache.set(text, found);
  return found;
}

interface FileState {
  /** SET lock_timeout seen so far: where, in which transaction, and whether LOCAL (lasts until that transaction ends). */
  sets: { tx: string; local: boolean }[];
  statementTimeout: boolean;
  reported: boolean;
}

/**
 * A statement that waits for a lock also makes every later query on that table wait behind it: one long
 * transaction ahead of the migration stalls the whole table. lock_timeout turns that into a failed,
 * retryable deploy; statement_timeout alone does not, since the queue forms for as long as it allows.
 */
export default defineChangeRule({
  meta: {
    id: 'missing-lock-timeout',
    description:
      'A migration takes one of the locks above on an existing table and neither it nor `env.py` sets `lock_timeout`: one long query ahead of it queues every later query behind it.',
    defaultSeverity: 'warning',
    fixable: false,
    help: HELP,
    messages: {
      call: '`{call}` takes {mode} on existing table {table} ({blocks}) and no lock_timeout is set: if a long query holds the table, this waits and every later query on it queues behind',
      callStatementTimeout:
        '`{call}` takes {mode} on existing table {table} ({blocks}) and no lock_timeout is set (statement_timeout alone still lets the queue grow for as long as it allows): if a long query holds the table, this waits and every later query on it queues behind',
      sql: 'its SQL takes {mode} on existing table {table} ({blocks}) and no lock_timeout is set: if a long query holds the table, this waits and every later query on it queues behind',
      sqlStatementTimeout:
        'its SQL takes {mode} on existing table {table} ({blocks}) and no lock_timeout is set (statement_timeout alone still lets the queue grow for as long as it allows): if a long query holds the table, this waits and every later query on it queues behind',
    },
  },
  applies: (ctx) => !(ctx.env.envPy && envPySetsLockTimeout(ctx.env.envPy.text)),
  file: (): FileState => ({ sets: [], statementTimeout: false, reported: false }),
  on: {
    set(c, { state, transactions }) {
      if (c.name === 'lock_timeout' && isSet(c.value)) state.sets.push({ tx: transactions().transactionKey(c.span.start), local: c.local });
      if (c.name === 'statement_timeout' && isSet(c.value)) state.statementTimeout = true;
    },
    any(c, { step, state, transactions, report }) {
      if (state.reported || c.kind === 'set') return;
      const mode = changeLock(c);
      if (!mode || !blocksWrites(mode)) return;
      const tx = transactions().transactionKey(c.span.start);
      if (state.sets.some((s) => !s.local || s.tx === tx)) return;
      state.reported = true;
      const data = { mode, table: q(step.table), blocks: lockBlocks(mode) };
      report(
        c.form === 'sql'
          ? { messageId: state.statementTimeout ? 'sqlStatementTimeout' : 'sql', data }
          : { messageId: state.statementTimeout ? 'callStatementTimeout' : 'call', data: { ...data, call: c.call.split('.').pop()! } },
      );
    },
  },
});
