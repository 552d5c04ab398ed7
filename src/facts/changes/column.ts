/**
 * A `sa.Column(...)` as PostgreSQL receives it from Alembic: the column itself, and the constraints and index
 * its inline parts become. Alembic's add_column emits each of those as a statement of its own after the
 * ADD COLUMN (alembic/operations/toimpl.py): a `sa.ForeignKey` a validated ADD CONSTRAINT … FOREIGN KEY,
 * `unique=True` an ADD CONSTRAINT … UNIQUE, `index=True` a plain CREATE INDEX (unique with `unique=True`),
 * and it never adds the primary key of a column added to an existing table.
 */
import { dottedName, isFalse, isTrue, kwarg, literalString } from '../../parse/python.js';
import type { Call, Expr } from '../../model/expr.js';
import type { Span } from '../../model/span.js';
import { exprFromPython, exprFromText, parseSqlExpr } from './sql-expr.js';
import { notNullTestOf } from './sql-nodes.js';
import { typeFromPython } from './sql-types.js';
import type { ColumnSpec, ConstraintSpec, IndexSpec, References } from './types.js';

/** The last part of a call's name: `sa.ForeignKey` → ForeignKey. */
export function callName(e: Expr | undefined): string | null {
  if (!e || e.kind !== 'call') return null;
  return dottedName(e.callee)?.split('.').pop() ?? null;
}

/** Positional arguments of a `Column` that are not its type. */
const NOT_TYPES = new Set(['ForeignKey', 'Sequence', 'Computed', 'Identity', 'CheckConstraint', 'FetchedValue', 'DefaultClause']);

export function isColumn(e: Expr | undefined): e is Call {
  return callName(e) === 'Column';
}

export interface InlineParts {
  constraints: { constraint: ConstraintSpec; at: Span }[];
  indexes: { index: IndexSpec; at: Span }[];
}

/** `'team.id'` / `'auth.user.id'` → table and column. */
export function foreignTarget(spec: string | null): { table: string | null; column: string | null } {
  if (spec === null) return { table: null, column: null };
  const dot = spec.lastIndexOf('.');
  return dot === -1 ? { table: null, column: spec } : { table: spec.slice(0, dot), column: spec.slice(dot + 1) };
}

const INTEGER_TYPES = new Set(['int2', 'int4', 'int8']);

/** `ondelete=`, `onupdate=`, `deferrable=`, `initially=` of a `ForeignKey` / `ForeignKeyConstraint` / create_foreign_key. */
export function foreignActions(get: (name: string) => Expr | undefined): Pick<References, 'ondelete' | 'onupdate' | 'deferrable'> {
  const initially = literalString(get('initially'));
  return {
    ondelete: literalString(get('ondelete')),
    onupdate: literalString(get('onupdate')),
    deferrable: initially?.toLowerCase() === 'deferred' ? 'initially_deferrable' : isTrue(get('deferrable')) ? 'deferrable' : null,
  };
}

/** A flag given as something other than a literal bool: what is left of the column is not known. */
function nonLiteralFlag(col: Call): string | null {
  for (const k of ['primary_key', 'unique', 'index', 'nullable']) {
    const v = kwarg(col, k);
    if (v && v.kind !== 'bool') return `${k}= is not a literal`;
  }
  return null;
}

/**
 * The column and its inline parts. `table` names the table for the index SQLAlchemy names by its default
 * convention (`ix_<table>_<column>`).
 */
export function readColumn(col: Call, table: string | null): { spec: ColumnSpec; parts: InlineParts } {
  const first = col.args[0];
  const named = first?.kind === 'str';
  const name = named ? literalString(first) : literalString(kwarg(col, 'name'));
  const typeArg = kwarg(col, 'type_') ?? (named ? col.args[1] : col.args[0]);
  const typeExpr = typeArg && !NOT_TYPES.has(callName(typeArg) ?? '') ? typeArg : null;
  const type = callName(typeArg) === 'ForeignKey' ? null : typeFromPython(typeArg);
  let unsure = col.star ? 'built with *args/**kwargs' : nonLiteralFlag(col);
  const primaryKey = isTrue(kwarg(col, 'primary_key'));
  const nullableKw = kwarg(col, 'nullable');
  const nullable = isTrue(nullableKw) ? true : isFalse(nullableKw) ? false : null;
  let generated: ColumnSpec['generated'] = null;
  let identity: ColumnSpec['identity'] = null;
  let sequence = false;
  const parts: InlineParts = { constraints: [], indexes: [] };
  for (const a of col.args) {
    switch (callName(a)) {
      case 'Computed': {
        const c = a as Call;
        const sql = literalString(kwarg(c, 'sqltext') ?? c.args[0]);
        // PostgreSQL before 18 stores every generated column; SQLAlchemy refuses persisted=False for it.
        generated = { expr: sql === null ? { text: null, calls: [], volatility: null } : exprFromText(sql), stored: !isFalse(kwarg(c, 'persisted')) };
        break;
      }
      case 'Identity':
        identity = { always: isTrue(kwarg(a as Call, 'always')) };
        break;
      case 'Sequence':
        sequence = true;
        break;
      case 'ForeignKey': {
        const fk = a as Call;
        const targetText = literalString(kwarg(fk, 'column') ?? fk.args[0]);
        if (targetText === null) unsure ??= 'foreign key target is not a literal';
        const target = foreignTarget(targetText);
        parts.constraints.push({
          at: fk.span,
          constraint: {
            kind: 'foreign',
            name: literalString(kwarg(fk, 'name')),
            columns: name === null ? [] : [name],
            notValid: false,
            usingIndex: null,
            references: { table: target.table, columns: target.column === null ? [] : [target.column], ...foreignActions((n) => kwarg(fk, n)) },
            notNullColumn: null,
          },
        });
        break;
      }
      case 'CheckConstraint': {
        const ck = a as Call;
        const cond = literalString(kwarg(ck, 'sqltext') ?? ck.args[0]);
        parts.constraints.push({ at: ck.span, constraint: checkConstraint(literalString(kwarg(ck, 'name')), cond, false) });
        break;
      }
      default:
        break;
    }
  }
  const index = isTrue(kwarg(col, 'index'));
  const unique = isTrue(kwarg(col, 'unique'));
  if (index) {
    parts.indexes.push({
      at: kwarg(col, 'index')!.span,
      index: { name: table && name ? `ix_${table.split('.').pop()}_${name}` : null, auto: true, columns: name === null ? [] : [name], expressions: false, unique, concurrently: false, partial: false },
    });
  } else if (unique) {
    parts.constraints.push({ at: kwarg(col, 'unique')!.span, constraint: plainConstraint('unique', null, name === null ? [] : [name]) });
  }
  const serverDefault = exprFromPython(kwarg(col, 'server_default'));
  // SQLAlchemy renders an integer primary key column that nothing else fills as SERIAL (autoincrement="auto").
  const autoincrement = kwarg(col, 'autoincrement');
  const serial =
    sequence ||
    (primaryKey && !isFalse(autoincrement) && !serverDefault && !identity && !generated && !!type && INTEGER_TYPES.has(type.name) && type.array === 0);
  return { spec: { name, type, typeExpr, nullable, primaryKey, default: serverDefault, generated, identity, serial, unsure }, parts };
}

export function plainConstraint(kind: ConstraintSpec['kind'], name: string | null, columns: string[]): ConstraintSpec {
  return { kind, name, columns, notValid: false, usingIndex: null, references: null, notNullColumn: null };
}

/** A check constraint from its condition's SQL text (`age IS NOT NULL` proves a column NOT NULL). */
export function checkConstraint(name: string | null, condition: string | null, notValid: boolean): ConstraintSpec {
  const notNullColumn = condition === null ? null : notNullColumnOf(condition);
  return { ...plainConstraint('check', name, []), notValid, notNullColumn };
}

function notNullColumnOf(condition: string): string | null {
  const node = parseSqlExpr(condition);
  return node === null ? null : notNullTestOf(node);
}
