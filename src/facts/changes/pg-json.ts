/**
 * Reading PostgreSQL's parse tree as libpg-query hands it over: JSON in which every node is
 * `{ NodeType: { …fields } }`. A loose view on purpose: fields we do not read are never checked.
 */
export type Json = unknown;
export type Obj = Record<string, Json>;

export function obj(v: Json): Obj | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null;
}

export function arr(v: Json): Json[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: Json): string | null {
  return typeof v === 'string' ? v : null;
}

/** `{ Type: fields }` → [Type, fields]. */
export function unwrap(node: Json): [string, Obj] | null {
  const o = obj(node);
  if (!o) return null;
  const keys = Object.keys(o);
  if (keys.length !== 1) return null;
  const inner = obj(o[keys[0]!]);
  return inner ? [keys[0]!, inner] : null;
}

/** The fields of `node` when it is a `type` node, else null. */
export function field(node: Json, type: string): Obj | null {
  const u = unwrap(node);
  return u && u[0] === type ? u[1] : null;
}

/** A `RangeVar` (or its fields) → `schema.name`, or `name`. */
export function rangeVarName(v: Json): string | null {
  const o = field(v, 'RangeVar') ?? obj(v);
  if (!o) return null;
  const rel = str(o.relname);
  if (rel === null) return null;
  const schema = str(o.schemaname);
  return schema ? `${schema}.${rel}` : rel;
}

/** A `List` of `String` nodes (or the bare array) → the names. */
export function names(v: Json): string[] {
  const items = arr(field(v, 'List')?.items ?? v);
  return items.map((i) => str(field(i, 'String')?.sval)).filter((s): s is string => s !== null);
}

/** A qualified name → `a.b`, or null. */
export function qualifiedName(v: Json): string | null {
  const parts = names(v);
  return parts.length ? parts.join('.') : null;
}

/** Every node of a subtree, depth first, with its type. */
export function* walk(v: Json): Generator<[string, Obj]> {
  if (Array.isArray(v)) {
    for (const x of v) yield* walk(x);
    return;
  }
  const o = obj(v);
  if (!o) return;
  const u = unwrap(o);
  if (u) yield u;
  for (const k of Object.keys(o)) yield* walk(o[k]);
}

/** The text of a constant (`'5s'`, `0`, `1.5`), or null. */
export function constText(v: Json): string | null {
  const c = field(v, 'A_Const');
  if (!c) return null;
  const s = str(obj(c.sval)?.sval);
  if (s !== null) return s;
  const i = obj(c.ival);
  if (i) return String(typeof i.ival === 'number' ? i.ival : 0);
  return str(obj(c.fval)?.fval);
}
