/**
 * The parts of PostgreSQL's parse tree that several statements share: a column definition (CREATE TABLE,
 * ALTER TABLE … ADD COLUMN), a constraint, a `col IS NOT NULL` test.
 */
import { arr, field, names, rangeVarName, str, type Json, type Obj } from './pg-json.js';
import { exprFromSql } from './sql-expr.js';
import { typeFromSql } from './sql-types.js';
import type { ColumnSpec, ConstraintKind, ConstraintSpec, References } from './types.js';

/** For `col IS NOT NULL` (the column possibly qualified or quoted), the column; else null. */
export function notNullTestOf(expr: Json): string | null {
  const t = field(expr, 'NullTest');
  if (!t || t.nulltesttype !== 'IS_NOT_NULL') return null;
  const parts = arr(field(t.arg, 'ColumnRef')?.fields).map((f) => str(field(f, 'String')?.sval));
  const last = parts[parts.length - 1];
  return typeof last === 'string' ? last : null;
}

const KINDS: Record<string, ConstraintKind> = {
  CONSTR_PRIMARY: 'primary',
  CONSTR_UNIQUE: 'unique',
  CONSTR_FOREIGN: 'foreign',
  CONSTR_CHECK: 'check',
  CONSTR_EXCLUSION: 'exclusion',
};

/** A table constraint (`Constraint` node), or null for a column property (NOT NULL, DEFAULT, …). `column` for an inline one. */
export function readConstraint(c: Obj, column: string | null = null): ConstraintSpec | null {
  const kind = KINDS[str(c.contype) ?? ''];
  if (!kind) return null;
  const own = kind === 'foreign' ? names(c.fk_attrs) : names(c.keys);
  return {
    kind,
    name: str(c.conname),
    columns: own.length ? own : column === null ? [] : [column],
    notValid: c.skip_validation === true,
    usingIndex: str(c.indexname),
    references: kind === 'foreign' ? { table: rangeVarName(c.pktable), columns: names(c.pk_attrs), ...foreignActions(c) } : null,
    notNullColumn: kind === 'check' ? notNullTestOf(c.raw_expr) : null,
  };
}

/** PostgreSQL's one-letter referential actions (parsenodes.h FKCONSTR_ACTION_*); NO ACTION is the default, as unset. */
const ACTIONS: Record<string, string> = { r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

function foreignActions(c: Obj): Pick<References, 'ondelete' | 'onupdate' | 'deferrable'> {
  return {
    ondelete: ACTIONS[str(c.fk_del_action) ?? ''] ?? null,
    onupdate: ACTIONS[str(c.fk_upd_action) ?? ''] ?? null,
    deferrable: c.deferrable === true ? (c.initdeferred === true ? 'initially_deferrable' : 'deferrable') : null,
  };
}

/** A `ColumnDef`: the column, and the constraints written inline in it. */
export function readColumnDef(def: Obj): { spec: ColumnSpec; constraints: ConstraintSpec[] } {
  const name = str(def.colname);
  const typed = typeFromSql(def.typeName);
  const spec: ColumnSpec = {
    name,
    type: typed?.type ?? null,
    typeExpr: null,
    nullable: null,
    primaryKey: false,
    default: null,
    generated: null,
    identity: null,
    serial: typed?.serial ?? false,
    unsure: null,
  };
  const constraints: ConstraintSpec[] = [];
  for (const k of arr(def.constraints)) {
    const c = field(k, 'Constraint');
    if (!c) continue;
    switch (c.contype) {
      case 'CONSTR_NOTNULL':
        spec.nullable = false;
        break;
      case 'CONSTR_NULL':
        spec.nullable = true;
        break;
      case 'CONSTR_DEFAULT':
        spec.default = exprFromSql(c.raw_expr);
        break;
      case 'CONSTR_IDENTITY':
        spec.identity = { always: c.generated_when === 'a' };
        break;
      case 'CONSTR_GENERATED':
        spec.generated = { expr: exprFromSql(c.raw_expr), stored: c.generated_kind !== 'v' };
        break;
      default: {
        const con = readConstraint(c, name);
        if (con) {
          if (con.kind === 'primary') spec.primaryKey = true;
          constraints.push(con);
        }
      }
    }
  }
  return { spec, constraints };
}
