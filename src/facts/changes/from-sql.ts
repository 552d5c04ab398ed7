/**
 * SQL statements, as PostgreSQL's own parser (libpg-query) reads them, turned into change events: the same
 * events an Alembic call makes, so `ALTER TABLE hero ADD COLUMN team_id int REFERENCES team(id)` and
 * `op.add_column("hero", sa.Column("team_id", sa.Integer(), sa.ForeignKey("team.id")))` are one change.
 */
import { sqlParser } from '../sql-loader.js';
import { arr, field, obj, qualifiedName, rangeVarName, str, unwrap, walk, constText, type Json, type Obj } from './pg-json.js';
import { exprFromSql } from './sql-expr.js';
import { readColumnDef, readConstraint } from './sql-nodes.js';
import { typeFromSql } from './sql-types.js';
import { schemaOf, tableKey } from './table-key.js';
import type { ChangeBody, DeclaredFunction, Volatility } from './types.js';

/** One event of a statement, before the call it comes from is known. */
export interface SqlEvent {
  table: string | null;
  body: ChangeBody;
}

/** One statement: where it lies in the SQL text (UTF-8 bytes, as the parser counts), and its events. */
export interface SqlStatementEvents {
  byteStart: number;
  byteLength: number;
  events: SqlEvent[];
}

/** The statements of a SQL text and their events, or null when PostgreSQL's grammar rejects it. */
export function readSql(sql: string): SqlStatementEvents[] | null {
  // Outside the try: a parser not loaded yet is no syntax error of the SQL.
  const pg = sqlParser();
  let stmts: Json[];
  try {
    stmts = arr(pg.parseSync(sql).stmts);
  } catch {
    return null;
  }
  const out = stmts.map((raw) => {
    const o = obj(raw) ?? {};
    const loc = typeof o.stmt_location === 'number' ? o.stmt_location : 0;
    const len = typeof o.stmt_len === 'number' ? o.stmt_len : 0;
    return { byteStart: loc, byteLength: len, events: statementEvents(o.stmt) };
  });
  return out.some((s) => s.events.some((e) => holdsClippedName(e))) ? withFullNames(sql, out) : out;
}

/** PostgreSQL's NAMEDATALEN - 1: its scanner cuts every identifier to this many bytes (at a character boundary). */
const NAME_BYTES = 63;
const utf8 = new TextEncoder();

/** The identifier as PostgreSQL's scanner leaves it: unquoted ones lower-cased (ASCII), then cut to 63 bytes. */
function clipName(name: string): string {
  let out = '';
  let n = 0;
  for (const ch of name) {
    n += utf8.encode(ch).length;
    if (n > NAME_BYTES) break;
    out += ch;
  }
  return out;
}

/** Whether a string of the events may be a cut identifier (a cut leaves 61 to 63 bytes). */
function holdsClippedName(v: unknown): boolean {
  if (typeof v === 'string') return v.length >= 16 && v.split('.').some((p) => utf8.encode(p).length >= NAME_BYTES - 2);
  if (Array.isArray(v)) return v.some(holdsClippedName);
  if (v && typeof v === 'object') return Object.values(v).some(holdsClippedName);
  return false;
}

/**
 * The events with every identifier the scanner cut put back as written: the parse tree only holds the cut
 * names, and a rule about long names (identifier-too-long) needs to see them. Read from the scanner's tokens.
 */
function withFullNames(sql: string, statements: SqlStatementEvents[]): SqlStatementEvents[] {
  const full = new Map<string, string>();
  let tokens: { text: string; tokenName: string }[];
  try {
    tokens = sqlParser().scanSync(sql).tokens as { text: string; tokenName: string }[];
  } catch {
    return statements;
  }
  for (const t of tokens) {
    if (t.tokenName !== 'IDENT') continue;
    const name = t.text.startsWith('"') ? t.text.slice(1, -1).replace(/""/g, '"') : t.text.replace(/[A-Z]+/g, (m) => m.toLowerCase());
    if (utf8.encode(name).length > NAME_BYTES) full.set(clipName(name), name);
  }
  if (!full.size) return statements;
  const restore = (v: unknown): unknown => {
    if (typeof v === 'string') return v.split('.').map((p) => full.get(p) ?? p).join('.');
    if (Array.isArray(v)) return v.map(restore);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, restore(x)]));
    return v;
  };
  return statements.map((s) => ({ ...s, events: s.events.map((e) => restore(e) as SqlEvent) }));
}

const key = (v: Json) => tableKey(rangeVarName(v));

function ev(table: string | null, body: ChangeBody): SqlEvent {
  return { table, body };
}

function other(statement: string, detail: string | null = null): SqlEvent {
  return ev(null, { kind: 'other', statement, detail });
}

function statementEvents(node: Json): SqlEvent[] {
  const u = unwrap(node);
  if (!u) return [other('?')];
  const [type, s] = u;
  switch (type) {
    case 'IndexStmt': {
      const elements = arr(s.indexParams).map((p) => str(field(p, 'IndexElem')?.name));
      const columns = elements.filter((n): n is string => n !== null);
      return [
        ev(key(s.relation), {
          kind: 'create_index',
          index: {
            name: str(s.idxname),
            auto: false,
            columns,
            expressions: columns.length !== elements.length,
            unique: s.unique === true,
            concurrently: s.concurrent === true,
            partial: s.whereClause !== undefined,
          },
          inline: null,
          ifNotExists: s.if_not_exists === true,
        }),
      ];
    }
    case 'DropStmt':
      return dropEvents(s);
    case 'DropdbStmt':
      // Its own node, not a DropStmt: the name is a plain field.
      return [ev(null, { kind: 'drop_object', object: 'database', name: str(s.dbname) })];
    case 'ReindexStmt': {
      const kinds: Record<string, 'table' | 'index' | 'schema' | 'database' | 'system'> = {
        REINDEX_OBJECT_TABLE: 'table',
        REINDEX_OBJECT_INDEX: 'index',
        REINDEX_OBJECT_SCHEMA: 'schema',
        REINDEX_OBJECT_DATABASE: 'database',
        REINDEX_OBJECT_SYSTEM: 'system',
      };
      const target = kinds[str(s.kind) ?? ''] ?? null;
      const rel = rangeVarName(s.relation);
      return [
        ev(target === 'table' ? tableKey(rel) : null, {
          kind: 'maintenance',
          command: 'reindex',
          full: false,
          concurrently: options(s.params).has('concurrently'),
          target,
          name: rel ?? str(s.name),
        }),
      ];
    }
    case 'VacuumStmt': {
      const opts = options(s.options);
      const command = s.is_vacuumcmd === false ? 'analyze' : 'vacuum';
      const rels = arr(s.rels).map((r) => key(field(r, 'VacuumRelation')?.relation));
      const body = (name: string | null): ChangeBody => ({ kind: 'maintenance', command, full: opts.has('full'), concurrently: false, target: name ? 'table' : 'database', name });
      return rels.length ? rels.map((t) => ev(t, body(t))) : [ev(null, body(null))];
    }
    case 'ClusterStmt': {
      const t = key(s.relation);
      return [ev(t, { kind: 'maintenance', command: 'cluster', full: false, concurrently: false, target: t ? 'table' : 'database', name: t })];
    }
    case 'AlterTableStmt':
      if (s.objtype !== 'OBJECT_TABLE') return [other(type, str(s.objtype))];
      return arr(s.cmds).flatMap((c) => alterEvents(key(s.relation), field(c, 'AlterTableCmd') ?? {}));
    case 'RenameStmt':
      return [renameEvent(s)];
    case 'CreateStmt':
      return createEvents(s);
    case 'CreateTableAsStmt': {
      const into = field(s.into, 'IntoClause');
      if (s.objtype !== 'OBJECT_TABLE') return [other(type, str(s.objtype))];
      return [ev(key(into?.rel), { kind: 'create_table', columns: [], ifNotExists: s.if_not_exists === true, asSelect: true })];
    }
    case 'VariableSetStmt':
      return [setEvent(s)];
    case 'TransactionStmt':
      return [transactionEvent(s)];
    case 'LockStmt': {
      const mode = typeof s.mode === 'number' ? s.mode : 8;
      return arr(s.relations).map((r) => ev(key(r), { kind: 'lock', mode }));
    }
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt':
    case 'SelectStmt':
      return dmlEvents(node);
    case 'TruncateStmt':
      return arr(s.relations).map((r) => ev(key(r), { kind: 'data', verb: 'truncate' }));
    case 'CopyStmt':
      return s.is_from === true ? [ev(key(s.relation), { kind: 'data', verb: 'copy' })] : [other(type, 'COPY TO')];
    case 'CommentStmt': {
      const name = qualifiedName(s.object);
      if (s.objtype === 'OBJECT_TABLE') return [ev(tableKey(name), { kind: 'comment', column: null })];
      if (s.objtype === 'OBJECT_COLUMN' && name) {
        const parts = name.split('.');
        return [ev(tableKey(parts.slice(0, -1).join('.') || null), { kind: 'comment', column: parts[parts.length - 1]! })];
      }
      return [other(type, str(s.objtype))];
    }
    case 'CreateFunctionStmt':
    case 'AlterFunctionStmt': {
      const declared = declaredFunction(type, s);
      return [declared ? ev(null, { kind: 'other', statement: type, detail: null, function: declared }) : other(type)];
    }
    default:
      return [other(type, detailOf(type, s))];
  }
}

/**
 * The function a CREATE / ALTER FUNCTION makes or changes and the volatility it declares (the last one given
 * counts, as in PostgreSQL). A procedure is never called in a default: none.
 */
function declaredFunction(type: string, s: Obj): DeclaredFunction | null {
  if (s.is_procedure === true) return null;
  const names = arr(type === 'CreateFunctionStmt' ? s.funcname : field(s.func, 'ObjectWithArgs')?.objname ?? obj(s.func)?.objname);
  const name = str(field(names[names.length - 1], 'String')?.sval);
  if (!name) return null;
  let volatility: Volatility | null = type === 'CreateFunctionStmt' ? 'volatile' : null;
  for (const o of arr(type === 'CreateFunctionStmt' ? s.options : s.actions)) {
    const d = field(o, 'DefElem');
    const v = str(field(d?.arg, 'String')?.sval);
    if (str(d?.defname) === 'volatility' && (v === 'immutable' || v === 'stable' || v === 'volatile')) volatility = v;
  }
  return { name: name.toLowerCase(), volatility };
}

/** What the `other` statements that rules ask about need besides their node name. */
function detailOf(type: string, s: Obj): string | null {
  if (type === 'AlterEnumStmt') return s.newVal !== undefined ? 'ADD VALUE' : 'RENAME VALUE';
  if (type === 'CreateSubscriptionStmt' || type === 'AlterSubscriptionStmt' || type === 'DropSubscriptionStmt') return str(s.subname);
  return null;
}

/** `(CONCURRENTLY, VERBOSE)` / `FULL` options as lower-case names. */
function options(list: Json): Set<string> {
  const out = new Set<string>();
  for (const o of arr(list)) {
    const d = field(o, 'DefElem');
    const name = str(d?.defname);
    // `(FULL false)` turns it off.
    const off = str(field(d?.arg, 'String')?.sval) === 'false' || field(d?.arg, 'Boolean')?.boolval === false;
    if (name && !off) out.add(name.toLowerCase());
  }
  return out;
}

/**
 * The name of one object a DROP names. Its node depends on the kind: a List of names (table, view, sequence,
 * index), a bare String (schema, extension: unqualified kinds), a TypeName (type, domain), or an
 * ObjectWithArgs (function, procedure, aggregate: the name without the argument types).
 */
function droppedName(o: Json): string | null {
  const u = unwrap(o);
  if (u?.[0] === 'String') return str(u[1].sval);
  if (u?.[0] === 'TypeName') return qualifiedName(u[1].names);
  if (u?.[0] === 'ObjectWithArgs') return qualifiedName(u[1].objname);
  return qualifiedName(o);
}

/** Object kinds whose removeType does not read as their SQL name once `OBJECT_` is cut. */
const DROPPED_KIND: Record<string, string> = { OBJECT_MATVIEW: 'materialized view' };

function dropEvents(s: Obj): SqlEvent[] {
  const ifExists = s.missing_ok === true;
  const objects = arr(s.objects).map(droppedName);
  switch (s.removeType) {
    case 'OBJECT_TABLE':
      return objects.map((n) => ev(tableKey(n), { kind: 'drop_table', ifExists }));
    case 'OBJECT_INDEX':
      return objects.map((n) => ev(null, { kind: 'drop_index', name: n, concurrently: s.concurrent === true, ifExists }));
    default: {
      const removeType = str(s.removeType) ?? 'OBJECT_?';
      const object = DROPPED_KIND[removeType] ?? removeType.replace(/^OBJECT_/, '').replace(/_/g, ' ').toLowerCase();
      const list = objects.length ? objects : [null];
      return list.map((n) => ev(null, { kind: 'drop_object', object, name: n }));
    }
  }
}

function alterEvents(table: string | null, c: Obj): SqlEvent[] {
  const subtype = str(c.subtype) ?? '?';
  const column = str(c.name);
  switch (subtype) {
    case 'AT_AddColumn': {
      const def = field(c.def, 'ColumnDef');
      if (!def) return [other('AlterTableCmd', subtype)];
      const { spec, constraints } = readColumnDef(def);
      return [
        ev(table, { kind: 'add_column', column: spec, ifNotExists: c.missing_ok === true }),
        ...constraints.map((constraint) => ev(table, { kind: 'add_constraint', constraint, inline: 'add_column' })),
      ];
    }
    case 'AT_DropColumn':
      return [ev(table, { kind: 'drop_column', column, ifExists: c.missing_ok === true })];
    case 'AT_SetNotNull':
      return [ev(table, { kind: 'set_not_null', column })];
    case 'AT_DropNotNull':
      return [ev(table, { kind: 'drop_not_null', column })];
    case 'AT_AlterColumnType': {
      const def = field(c.def, 'ColumnDef');
      return [ev(table, { kind: 'alter_type', column, from: null, to: typeFromSql(def?.typeName)?.type ?? null, toExpr: null, using: def?.raw_default !== undefined })];
    }
    case 'AT_ColumnDefault':
      return [c.def === undefined ? ev(table, { kind: 'drop_default', column }) : ev(table, { kind: 'set_default', column, default: exprFromSql(c.def) })];
    case 'AT_AddConstraint': {
      const con = field(c.def, 'Constraint');
      const constraint = con ? readConstraint(con) : null;
      return constraint ? [ev(table, { kind: 'add_constraint', constraint, inline: null })] : [other('AlterTableCmd', subtype)];
    }
    case 'AT_ValidateConstraint':
      return [ev(table, { kind: 'validate_constraint', name: column })];
    case 'AT_DropConstraint':
      return [ev(table, { kind: 'drop_constraint', name: column, constraint: null, ifExists: c.missing_ok === true })];
    case 'AT_SetTableSpace':
      return [ev(table, { kind: 'rewrite', reason: 'SET TABLESPACE' })];
    case 'AT_SetLogged':
      return [ev(table, { kind: 'rewrite', reason: 'SET LOGGED' })];
    case 'AT_SetUnLogged':
      return [ev(table, { kind: 'rewrite', reason: 'SET UNLOGGED' })];
    case 'AT_SetAccessMethod':
      return [ev(table, { kind: 'rewrite', reason: 'SET ACCESS METHOD' })];
    default:
      return [{ table, body: { kind: 'other', statement: 'AlterTableCmd', detail: subtype } }];
  }
}

function renameEvent(s: Obj): SqlEvent {
  const table = key(s.relation);
  const to = str(s.newname);
  switch (s.renameType) {
    case 'OBJECT_TABLE':
      // RENAME TO keeps the schema.
      return ev(table, { kind: 'rename_table', to: to === null ? null : tableKey(to, schemaOf(table)) });
    case 'OBJECT_COLUMN':
      if (s.relationType !== 'OBJECT_TABLE') return other('RenameStmt', 'OBJECT_COLUMN');
      return ev(table, { kind: 'rename_column', column: str(s.subname), to });
    default:
      return { table, body: { kind: 'other', statement: 'RenameStmt', detail: str(s.renameType) } };
  }
}

function createEvents(s: Obj): SqlEvent[] {
  const table = key(s.relation);
  const columns: SqlEvent[] = [];
  const out: SqlEvent[] = [];
  const specs = [];
  for (const elt of arr(s.tableElts)) {
    const def = field(elt, 'ColumnDef');
    if (def) {
      const { spec, constraints } = readColumnDef(def);
      specs.push(spec);
      for (const constraint of constraints) columns.push(ev(table, { kind: 'add_constraint', constraint, inline: 'create_table' }));
      continue;
    }
    const con = field(elt, 'Constraint');
    const constraint = con ? readConstraint(con) : null;
    if (constraint) columns.push(ev(table, { kind: 'add_constraint', constraint, inline: 'create_table' }));
  }
  out.push(ev(table, { kind: 'create_table', columns: specs, ifNotExists: s.if_not_exists === true, asSelect: false }));
  return out.concat(columns);
}

function setEvent(s: Obj): SqlEvent {
  const name = (str(s.name) ?? '').toLowerCase();
  const local = s.is_local === true;
  switch (s.kind) {
    case 'VAR_SET_VALUE':
      return ev(null, { kind: 'set', name, value: constText(arr(s.args)[0]), local });
    case 'VAR_SET_DEFAULT':
    case 'VAR_RESET':
      return ev(null, { kind: 'set', name, value: null, local });
    case 'VAR_RESET_ALL':
      return ev(null, { kind: 'set', name: 'all', value: null, local });
    default:
      return other('VariableSetStmt', name || str(s.kind));
  }
}


const TRANSACTION: Record<string, Extract<ChangeBody, { kind: 'transaction' }>['command']> = {
  TRANS_STMT_BEGIN: 'begin',
  TRANS_STMT_START: 'begin',
  TRANS_STMT_COMMIT: 'commit',
  TRANS_STMT_ROLLBACK: 'rollback',
  TRANS_STMT_SAVEPOINT: 'savepoint',
  TRANS_STMT_RELEASE: 'release',
  TRANS_STMT_ROLLBACK_TO: 'rollback_to',
  TRANS_STMT_PREPARE: 'prepare',
  TRANS_STMT_COMMIT_PREPARED: 'commit_prepared',
  TRANS_STMT_ROLLBACK_PREPARED: 'rollback_prepared',
};

function transactionEvent(s: Obj): SqlEvent {
  const command = TRANSACTION[str(s.kind) ?? ''];
  return command ? ev(null, { kind: 'transaction', command }) : other('TransactionStmt', str(s.kind));
}

const DML: Record<string, Extract<ChangeBody, { kind: 'data' }>['verb']> = {
  InsertStmt: 'insert',
  UpdateStmt: 'update',
  DeleteStmt: 'delete',
  MergeStmt: 'merge',
};

/** Rows written, including those a CTE writes (`WITH gone AS (DELETE FROM hero RETURNING id) SELECT …`). */
function dmlEvents(node: Json): SqlEvent[] {
  const out: SqlEvent[] = [];
  for (const [type, s] of walk(node)) {
    const verb = DML[type];
    if (verb) out.push(ev(key(s.relation), { kind: 'data', verb }));
  }
  return out.length ? out : [other(unwrap(node)?.[0] ?? '?')];
}
