/**
 * What the model reader takes as a literal in an `Expr`, for the values SQLAlchemy reads at import time: a
 * name, a length, a list of columns, a dict of options. It is stricter than facts' readings (parse/python.ts
 * literalString): an f-string or a bytes literal is not a name, a number is a decimal integer, and a sequence
 * with a starred item (`(*base_args, Index(...))`) is not a known list.
 */
import { dottedName } from '../parse/python.js';
import type { Expr } from '../model/expr.js';

/** A plain string literal's value; null for an f-string (its text is not its value), bytes, or anything else. */
export function plainString(e: Expr | undefined): string | null {
  return e?.kind === 'str' && !e.formatted && !e.bytes ? e.value : null;
}

/** A literal string, seen through `op.f(...)`, `conv(...)`, `quoted_name(...)`. */
export function str(e: Expr | undefined): string | null {
  if (!e) return null;
  if (e.kind === 'str') return plainString(e);
  if (e.kind === 'call' && e.args.length >= 1) {
    const fn = dottedName(e.callee);
    if (fn && /(^|\.)(f|conv|quoted_name)$/.test(fn)) return str(e.args[0]);
  }
  return null;
}

/** A decimal integer literal (`255`, `1_000`); null for any other number (`0x10`, `1.5`) or expression. */
export function integer(e: Expr | undefined): number | null {
  if (e?.kind !== 'num') return null;
  const raw = e.text.replace(/_/g, '');
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  return Number.isFinite(n) ? n : null;
}

/** The items of a list/tuple/set literal, or null (not a literal, or a starred item makes the items unknown). */
export function items(e: Expr | undefined): Expr[] | null {
  if (e?.kind !== 'seq' || e.items.some((i) => i.kind === 'other' && i.node === '*')) return null;
  return e.items;
}

/** Reads a string-keyed dict literal; null when a key is not a literal or the dict is open (`**x`). */
export function strDict(e: Expr | undefined): Map<string, Expr> | null {
  if (e?.kind !== 'dict' || e.open) return null;
  const out = new Map<string, Expr>();
  for (const [key, val] of e.entries) {
    const s = str(key);
    if (s === null) return null;
    out.set(s, val);
  }
  return out;
}
