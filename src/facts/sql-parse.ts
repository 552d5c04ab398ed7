/**
 * Reading the SQL inside `op.execute("…")` with PostgreSQL's own parser (libpg-query, its wasm build),
 * reduced to the few statement shapes the lock rules reason about.
 *
 * Chosen by measurement (docs/locks.md, "Reading SQL"): the pure-JS parsers (pgsql-ast-parser,
 * node-sql-parser) reject `NOT VALID`, `VALIDATE CONSTRAINT` and `UNIQUE USING INDEX`, the very statements
 * of the safe recipes; libpg-query parses all of them because it is the server's grammar.
 */
import { arr, field, obj, qualifiedName, rangeVarName, str, unwrap, constText, type Json, type Obj } from './changes/pg-json.js';
import { parseSqlExpr } from './changes/sql-expr.js';
import { notNullTestOf } from './changes/sql-nodes.js';
import { loadSqlParser, sqlParser, sqlParserDeferred } from './sql-loader.js';

// The wasm module loads asynchronously once; top-level await lets every rule stay synchronous. The CLI
// defers it (sql-loader.ts) so that runs over migrations without SQL never load it.
if (!sqlParserDeferred()) await loadSqlParser();

/** One action of an `ALTER TABLE` (several may share a statement). */
export type AlterAction =
  | {
      type: 'add_constraint';
      constraint: 'foreign' | 'check' | 'unique' | 'primary' | 'exclusion' | 'other';
      name: string | null;
      notValid: boolean;
      /** `ADD CONSTRAINT … UNIQUE USING INDEX ix`: the index it adopts. */
      usingIndex: string | null;
      /** For `CHECK (col IS NOT NULL)`: the column. */
      notNullColumn: string | null;
      /** For foreign keys: the referenced table. */
      references: string | null;
    }
  | { type: 'validate_constraint'; name: string }
  | { type: 'set_not_null'; column: string }
  | { type: 'alter_type'; column: string; using: boolean; to: TypeRef | null }
  | { type: 'add_column'; column: string; volatileDefault: string | null }
  | { type: 'other'; subtype: string };

export interface TypeRef {
  name: string;
  /** Type modifiers as written: `varchar(200)` → [200]. */
  mods: number[];
}

export type SqlStatement =
  | { kind: 'create_index'; table: string | null; name: string | null; concurrently: boolean; unique: boolean }
  | { kind: 'drop_index'; names: string[]; concurrently: boolean }
  | { kind: 'reindex'; concurrently: boolean }
  | { kind: 'alter_table'; table: string | null; actions: AlterAction[] }
  | { kind: 'create_table'; table: string | null; references: string[] }
  | { kind: 'drop_table'; tables: string[] }
  | { kind: 'rename_table'; table: string | null; newName: string }
  | { kind: 'set'; name: string; value: string | null; local: boolean }
  | { kind: 'lock'; tables: string[]; mode: number }
  | { kind: 'dml'; verb: 'insert' | 'update' | 'delete' | 'merge'; table: string | null }
  | { kind: 'truncate'; tables: string[] }
  | { kind: 'comment'; table: string | null }
  | { kind: 'other'; node: string };

/** Functions whose value differs per row: a column default that calls one is evaluated for every row. */
const VOLATILE = new Set([
  'gen_random_uuid',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'clock_timestamp',
  'timeofday',
  'random',
  'nextval',
  'gen_random_bytes',
  'txid_current',
  'pg_current_xact_id',
]);

const cache = new Map<string, SqlStatement[] | null>();

/** The statements of a SQL text, or null when PostgreSQL's grammar rejects it. */
export function parseSql(sql: string): SqlStatement[] | null {
  const hit = cache.get(sql);
  if (hit !== undefined) return hit;
  let result: SqlStatement[] | null;
  // Outside the try: a parser not loaded yet is no syntax error of the SQL.
  const pg = sqlParser();
  try {
    result = arr(pg.parseSync(sql).stmts).map((raw) => readStatement(obj(raw)?.stmt));
  } catch {
    result = null;
  }
  if (cache.size > 500) cache.clear();
  cache.set(sql, result);
  return result;
}

function readStatement(node: Json): SqlStatement {
  const u = unwrap(node);
  if (!u) return { kind: 'other', node: '?' };
  const [type, s] = u;
  switch (type) {
    case 'IndexStmt':
      return {
        kind: 'create_index',
        table: rangeVarName(s.relation),
        name: str(s.idxname),
        concurrently: s.concurrent === true,
        unique: s.unique === true,
      };
    case 'DropStmt': {
      const names = arr(s.objects).map(qualifiedName).filter((n): n is string => n !== null);
      if (s.removeType === 'OBJECT_INDEX') return { kind: 'drop_index', names, concurrently: s.concurrent === true };
      if (s.removeType === 'OBJECT_TABLE') return { kind: 'drop_table', tables: names };
      return { kind: 'other', node: `${type}:${String(s.removeType)}` };
    }
    case 'ReindexStmt':
      return { kind: 'reindex', concurrently: arr(s.params).some((p) => str(field(p, 'DefElem')?.defname) === 'concurrently') };
    case 'AlterTableStmt':
      if (s.objtype !== 'OBJECT_TABLE') return { kind: 'other', node: `${type}:${String(s.objtype)}` };
      return { kind: 'alter_table', table: rangeVarName(s.relation), actions: arr(s.cmds).map(readAlterCmd) };
    case 'CreateStmt':
      return { kind: 'create_table', table: rangeVarName(s.relation), references: createReferences(s) };
    case 'CreateTableAsStmt':
      return { kind: 'create_table', table: rangeVarName(obj(field(s.into, 'IntoClause')?.rel) ?? null), references: [] };
    case 'RenameStmt':
      if (s.renameType === 'OBJECT_TABLE') return { kind: 'rename_table', table: rangeVarName(s.relation), newName: str(s.newname) ?? '' };
      return { kind: 'other', node: `${type}:${String(s.renameType)}` };
    case 'VariableSetStmt':
      return {
        kind: 'set',
        name: (str(s.name) ?? '').toLowerCase(),
        value: s.kind === 'VAR_SET_VALUE' ? constText(arr(s.args)[0]) : null,
        local: s.is_local === true,
      };
    case 'LockStmt':
      return {
        kind: 'lock',
        tables: arr(s.relations).map(rangeVarName).filter((n): n is string => n !== null),
        mode: typeof s.mode === 'number' ? s.mode : 8,
      };
    case 'InsertStmt':
      return { kind: 'dml', verb: 'insert', table: rangeVarName(s.relation) };
    case 'UpdateStmt':
      return { kind: 'dml', verb: 'update', table: rangeVarName(s.relation) };
    case 'DeleteStmt':
      return { kind: 'dml', verb: 'delete', table: rangeVarName(s.relation) };
    case 'MergeStmt':
      return { kind: 'dml', verb: 'merge', table: rangeVarName(s.relation) };
    case 'TruncateStmt':
      return { kind: 'truncate', tables: arr(s.relations).map(rangeVarName).filter((n): n is string => n !== null) };
    case 'CommentStmt': {
      // COMMENT ON TABLE t / COMMENT ON COLUMN t.c: the table is the name minus the column for columns.
      const name = qualifiedName(s.object);
      if (s.objtype === 'OBJECT_TABLE') return { kind: 'comment', table: name };
      if (s.objtype === 'OBJECT_COLUMN' && name) return { kind: 'comment', table: name.split('.').slice(0, -1).join('.') || null };
      return { kind: 'other', node: `${type}:${String(s.objtype)}` };
    }
    default:
      return { kind: 'other', node: type };
  }
}

function createReferences(s: Obj): string[] {
  const out: string[] = [];
  const visitConstraint = (c: Json) => {
    const con = field(c, 'Constraint');
    if (con?.contype === 'CONSTR_FOREIGN') {
      const t = rangeVarName(con.pktable);
      if (t) out.push(t);
    }
  };
  for (const elt of arr(s.tableElts)) {
    visitConstraint(elt);
    for (const c of arr(field(elt, 'ColumnDef')?.constraints)) visitConstraint(c);
  }
  return out;
}

function readAlterCmd(node: Json): AlterAction {
  const c = field(node, 'AlterTableCmd');
  if (!c) return { type: 'other', subtype: '?' };
  const subtype = str(c.subtype) ?? '?';
  switch (subtype) {
    case 'AT_AddConstraint': {
      const con = field(c.def, 'Constraint');
      if (!con) return { type: 'other', subtype };
      const kinds: Record<string, Extract<AlterAction, { type: 'add_constraint' }>['constraint']> = {
        CONSTR_FOREIGN: 'foreign',
        CONSTR_CHECK: 'check',
        CONSTR_UNIQUE: 'unique',
        CONSTR_PRIMARY: 'primary',
        CONSTR_EXCLUSION: 'exclusion',
      };
      return {
        type: 'add_constraint',
        constraint: kinds[str(con.contype) ?? ''] ?? 'other',
        name: str(con.conname),
        notValid: con.skip_validation === true,
        usingIndex: str(con.indexname),
        notNullColumn: con.contype === 'CONSTR_CHECK' ? notNullTestOf(con.raw_expr) : null,
        references: con.contype === 'CONSTR_FOREIGN' ? rangeVarName(con.pktable) : null,
      };
    }
    case 'AT_ValidateConstraint':
      return { type: 'validate_constraint', name: str(c.name) ?? '' };
    case 'AT_SetNotNull':
      return { type: 'set_not_null', column: str(c.name) ?? '' };
    case 'AT_AlterColumnType': {
      const def = field(c.def, 'ColumnDef');
      return { type: 'alter_type', column: str(c.name) ?? '', using: def?.raw_default !== undefined, to: typeRef(def?.typeName) };
    }
    case 'AT_AddColumn': {
      const def = field(c.def, 'ColumnDef');
      let volatileDefault: string | null = null;
      for (const k of arr(def?.constraints)) {
        const con = field(k, 'Constraint');
        if (con?.contype === 'CONSTR_DEFAULT') volatileDefault ??= firstVolatileCall(con.raw_expr);
      }
      // serial/bigserial are a nextval() default in disguise.
      const t = typeRef(def?.typeName);
      if (t && /^(small|big)?serial[248]?$/.test(t.name)) volatileDefault ??= 'nextval';
      return { type: 'add_column', column: str(def?.colname) ?? '', volatileDefault };
    }
    default:
      return { type: 'other', subtype };
  }
}

function typeRef(v: Json): TypeRef | null {
  const o = obj(v);
  if (!o) return null;
  const names = arr(o.names)
    .map((n) => str(field(n, 'String')?.sval))
    .filter((n): n is string => n !== null && n !== 'pg_catalog');
  const mods = arr(o.typmods)
    .map((m) => field(m, 'A_Const'))
    .map((m) => obj(m?.ival)?.ival)
    .filter((n): n is number => typeof n === 'number');
  return names.length ? { name: names.join('.'), mods } : null;
}


function firstVolatileCall(expr: Json): string | null {
  let found: string | null = null;
  const walk = (v: Json) => {
    if (found) return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    const o = obj(v);
    if (!o) return;
    const call = obj(o.FuncCall);
    if (call) {
      const names = arr(call.funcname).map((n) => str(field(n, 'String')?.sval));
      const name = names[names.length - 1];
      if (typeof name === 'string' && VOLATILE.has(name.toLowerCase())) {
        found = name.toLowerCase();
        return;
      }
    }
    for (const k of Object.keys(o)) walk(o[k]);
  };
  walk(expr);
  return found;
}

/** The first volatile function an expression calls (`gen_random_uuid()` → 'gen_random_uuid'), else null. */
export function volatileCallIn(expr: string): string | null {
  const e = parseSqlExpr(expr);
  return e === null ? null : firstVolatileCall(e);
}

/** For a check condition `col IS NOT NULL`, the column; else null. */
export function notNullCheckColumn(expr: string): string | null {
  const e = parseSqlExpr(expr);
  return e === null ? null : notNullTestOf(e);
}
