/**
 * The schema that a sequence of change events builds: tables with their columns, constraints and indexes,
 * and whether each table holds rows in production when a given statement runs. One state serves the lock
 * rules (is this table existing? was that constraint validated?) and the drift check (what do the
 * migrations build?).
 *
 * Every state is persistent: a table's columns, constraints and indexes, and the schema's tables, are
 * immutable maps (immutable.js) that share all but the path to what a change touched. Applying a change
 * makes a new `TableState` and leaves the old one as it was, so a state captured before a change (each
 * revision's start, each step's table) costs what the change added, not a copy of the table: a chain of
 * 20,000 revisions adding one column each to one table holds ~20,000 column entries, not 200 million.
 */
import { Map as PMap, OrderedMap } from 'immutable';
import type { Expr } from '../../model/expr.js';
import type { Change, ColumnSpec, ConstraintKind, ConstraintSpec, IndexSpec, SqlExpr, SqlType } from './types.js';

/** Existing: holds rows in production (created at the applied baseline, or never seen created). New: empty when it runs. */
export type Origin = 'existing' | 'new';

/** The change that made something, in a detailed replay: the file and the call (ChangeBase.span). */
export interface Made {
  file: string;
  start: number;
  end: number;
}

export interface ColumnState {
  name: string;
  type: SqlType | null;
  /** The type as written in Python by the change that last set it (ColumnSpec.typeExpr); null from SQL. */
  typeExpr: Expr | null;
  nullable: boolean;
  default: SqlExpr | null;
  spec: ColumnSpec;
  made: Made | null;
}

export interface ConstraintState {
  spec: ConstraintSpec;
  /**
   * The name it goes by in the database: as written, else (in a detailed replay) the one the naming convention
   * or PostgreSQL gives it; null when not known.
   */
  name: string | null;
  /** False while added NOT VALID and not yet validated. */
  validated: boolean;
  made: Made | null;
}

export interface IndexState extends IndexSpec {
  made: Made | null;
}

/**
 * Names for what a migration leaves unnamed, as the database ends up calling it: the target metadata's naming
 * convention (Alembic hands it to the migrations' MetaData) or PostgreSQL's own names. Null: not known.
 */
export type Naming = (kind: 'uq' | 'fk' | 'pk' | 'ix', table: string, columns: string[], referred: { table: string | null; columns: string[] } | null) => string | null;

/** What a detailed replay could not follow: a table (its key), or everything ('*'), or one column of a table, and why. */
export interface Unfollowed {
  table: string;
  column: string | null;
  reason: string;
  made: Made | null;
}

/**
 * A detailed replay, as the drift check needs it: names for unnamed constraints, where each thing was made,
 * and what could not be followed. The lock rules replay without it (their catalogue needs none of this).
 */
export interface Detail {
  naming: Naming;
  unfollowed: Unfollowed[];
}

/** A read-only view of one of a state's collections, in the order its entries were made. */
export interface Collection<K, V> extends Iterable<[K, V]> {
  readonly size: number;
  get(key: K): V | undefined;
  has(key: K): boolean;
  keys(): IterableIterator<K>;
  values(): IterableIterator<V>;
}

export interface TableState {
  readonly name: string;
  readonly origin: Origin;
  /** Created by a change the replay read: its columns are all known (else only those changes named). */
  readonly created: boolean;
  readonly columns: Collection<string, ColumnState>;
  /** Keyed by the order they were added (constraints need not have a name). */
  readonly constraints: Collection<number, ConstraintState>;
  readonly indexes: Collection<string, IndexState>;
  /** A change we could not read in full acted on it (an unmodelled ALTER TABLE form). */
  readonly partial: boolean;
  /** In a detailed replay: why its columns, indexes or constraints are not statically known; null when they are. */
  readonly unknown: string | null;
  /** In a detailed replay: the change that created it. */
  readonly made: Made | null;
}

/** What a state holds; the `Collection`s handed out are these. */
interface Table extends TableState {
  readonly columns: OrderedMap<string, ColumnState>;
  readonly constraints: OrderedMap<number, ConstraintState>;
  readonly indexes: OrderedMap<string, IndexState>;
}

function emptyTable(name: string, origin: Origin, created: boolean, made: Made | null = null): Table {
  return { name, origin, created, columns: OrderedMap(), constraints: OrderedMap(), indexes: OrderedMap(), partial: false, unknown: null, made };
}

function columnState(spec: ColumnSpec, made: Made | null): ColumnState | null {
  if (spec.name === null) return null;
  return { name: spec.name, type: spec.type, typeExpr: spec.typeExpr, nullable: spec.primaryKey ? false : spec.nullable !== false, default: spec.default, spec, made };
}

const NAMING_KINDS: Partial<Record<ConstraintKind, 'uq' | 'fk' | 'pk'>> = { unique: 'uq', foreign: 'fk', primary: 'pk' };

/**
 * Statements read but not modelled that leave every table's columns, indexes and constraints as they were
 * (PostgreSQL's node names); any other leaves a detailed replay unable to follow its table.
 */
const HARMLESS = new Set(
  'SelectStmt VariableSetStmt CreateExtensionStmt CreateFunctionStmt CreateTrigStmt GrantStmt GrantRoleStmt CreateSeqStmt AlterSeqStmt CreateEnumStmt AlterEnumStmt CreateSchemaStmt ViewStmt CreatePolicyStmt AlterPolicyStmt CreateRoleStmt DropRoleStmt NotifyStmt CommentStmt CreateDomainStmt RuleStmt CallStmt CreateStatsStmt RefreshMatViewStmt AlterFunctionStmt AlterOwnerStmt AlterRoleStmt CompositeTypeStmt CreateEventTrigStmt'.split(' '),
);

/** Kinds of change that leave every table's columns, indexes and constraints as they were. */
const NEUTRAL = new Set<Change['kind']>(['data', 'set', 'lock', 'comment', 'maintenance', 'transaction', 'validate_constraint', 'set_default', 'drop_default', 'rewrite', 'drop_object']);

/** Whether `c` changes no table's shape: run under a condition or not, a detailed replay can follow past it. */
function leavesSchema(c: Change): boolean {
  return NEUTRAL.has(c.kind) || (c.kind === 'other' && HARMLESS.has(c.statement)) || (c.kind === 'unknown' && c.reason === 'data');
}

const UNREAD: Record<Extract<Change, { kind: 'unknown' }>['reason'], string | null> = {
  'not-literal': 'runs SQL that is not a literal',
  'syntax-error': "runs SQL PostgreSQL's parser does not read",
  expression: 'runs an expression object, not SQL text',
  data: null,
};

/** Keys for constraints: unique within every table (only their order and identity matter). */
let constraintKeys = 0;

export class Schema {
  /** Index name → table key, for DROP INDEX (which names no table). */
  private constructor(
    private tables: OrderedMap<string, Table>,
    private indexOwner: PMap<string, string>,
    /** How many changes could not be read at all (SQL that is not a literal or does not parse). */
    public unreadable: number,
    private readonly detail: Detail | null,
  ) {}

  /** An empty schema; with `detail`, a detailed replay (see Detail). */
  static empty(detail: Detail | null = null): Schema {
    return new Schema(OrderedMap(), PMap(), 0, detail);
  }

  /** A copy: O(1), the two share everything until either changes. A detailed replay is never copied. */
  clone(): Schema {
    return new Schema(this.tables, this.indexOwner, this.unreadable, null);
  }

  table(key: string | null): TableState | null {
    return key === null ? null : (this.tables.get(key) ?? null);
  }

  allTables(): Collection<string, TableState> {
    return this.tables;
  }

  /** Whether `key` holds rows: tables never seen created are taken to exist. */
  isExisting(key: string | null): boolean {
    return key === null || this.tables.get(key)?.origin !== 'new';
  }

  indexTable(name: string | null): string | null {
    return name === null ? null : (this.indexOwner.get(name) ?? null);
  }

  /** Replaces table `key` (made existing and empty if never seen) with `f` of it. */
  private edit(key: string, f: (t: Table) => Table): void {
    this.tables = this.tables.set(key, f(this.tables.get(key) ?? emptyTable(key, 'existing', false)));
  }

  private editColumn(key: string, name: string | null, f: (c: ColumnState) => ColumnState): void {
    if (name === null) return;
    this.edit(key, (t) => {
      const c = t.columns.get(name);
      return c ? { ...t, columns: t.columns.set(name, f(c)) } : t;
    });
  }

  /** Applies one change of `file` (named in a detailed replay); tables it creates get `origin`. */
  apply(c: Change, origin: Origin, file: string | null = null): void {
    const made = this.detail && file !== null ? { file, start: c.span.start, end: c.span.end } : null;
    if (this.detail) this.follow(c, made);
    this.change(c, origin, made);
    // After the change: a table it creates starts known, and what cannot be followed stays so.
    if (this.detail && c.unsure !== null && !leavesSchema(c)) this.notFollowed(c.table, `${opName(c, made)} ${c.unsure}`, made);
  }

  private change(c: Change, origin: Origin, made: Made | null): void {
    if (c.kind === 'unknown') {
      this.unreadable++;
      return;
    }
    const key = c.table;
    switch (c.kind) {
      case 'create_table': {
        if (key === null) return;
        if (c.ifNotExists && this.tables.has(key)) return;
        const columns = OrderedMap<string, ColumnState>().withMutations((m) => {
          for (const spec of c.columns) {
            const col = columnState(spec, made);
            if (col) m.set(col.name, col);
          }
        });
        this.dropIndexesOf(key);
        this.tables = this.tables.set(key, { ...emptyTable(key, origin, !c.asSelect, made), columns, unknown: c.asSelect && this.detail ? `${opName(c, made)} creates it from a query` : null });
        return;
      }
      case 'drop_table':
        if (key === null) return;
        this.dropIndexesOf(key);
        this.tables = this.tables.delete(key);
        return;
      case 'rename_table': {
        if (key === null || c.to === null) return;
        const to = c.to;
        const t = this.tables.get(key) ?? emptyTable(key, 'existing', false);
        this.tables = this.tables.delete(key).set(to, { ...t, name: to });
        this.indexOwner = this.indexOwner.withMutations((m) => {
          for (const i of t.indexes.keys()) m.set(i, to);
        });
        return;
      }
      case 'add_column': {
        if (key === null) return;
        const col = columnState(c.column, made);
        if (col) this.edit(key, (t) => ({ ...t, columns: t.columns.set(col.name, col) }));
        return;
      }
      case 'drop_column': {
        if (key === null || c.column === null) return;
        const col = c.column;
        const gone: string[] = [];
        this.edit(key, (t) => {
          // PostgreSQL drops the indexes and constraints that use the column with it.
          const constraints = [...t.constraints].filter(([, k]) => k.spec.columns.includes(col) || k.spec.notNullColumn === col).map(([n]) => n);
          for (const [name, ix] of t.indexes) if (ix.columns.includes(col)) gone.push(name);
          return { ...t, columns: t.columns.delete(col), constraints: t.constraints.deleteAll(constraints), indexes: t.indexes.deleteAll(gone) };
        });
        this.indexOwner = this.indexOwner.deleteAll(gone);
        return;
      }
      case 'rename_column': {
        if (key === null || c.column === null || c.to === null) return;
        const from = c.column;
        const to = c.to;
        const rename = (cols: string[]) => cols.map((x) => (x === from ? to : x));
        this.edit(key, (t) => {
          const col = t.columns.get(from);
          const columns = col ? t.columns.delete(from).set(to, { ...col, name: to }) : t.columns;
          const constraints = t.constraints.withMutations((m) => {
            for (const [n, k] of t.constraints) {
              if (k.spec.columns.includes(from) || k.spec.notNullColumn === from) {
                m.set(n, { ...k, spec: { ...k.spec, columns: rename(k.spec.columns), notNullColumn: k.spec.notNullColumn === from ? to : k.spec.notNullColumn } });
              }
            }
          });
          const indexes = t.indexes.withMutations((m) => {
            for (const [name, ix] of t.indexes) if (ix.columns.includes(from)) m.set(name, { ...ix, columns: rename(ix.columns) });
          });
          return { ...t, columns, constraints, indexes };
        });
        return;
      }
      case 'set_not_null':
      case 'drop_not_null':
        if (key !== null) this.editColumn(key, c.column, (col) => ({ ...col, nullable: c.kind === 'drop_not_null' }));
        return;
      case 'alter_type':
        if (key !== null) this.editColumn(key, c.column, (col) => ({ ...col, type: c.to, typeExpr: c.toExpr }));
        return;
      case 'set_default':
      case 'drop_default':
        if (key !== null) this.editColumn(key, c.column, (col) => ({ ...col, default: c.kind === 'set_default' ? c.default : null }));
        return;
      case 'add_constraint': {
        if (key === null) return;
        const adopted = c.constraint.usingIndex === null ? undefined : this.tables.get(key)?.indexes.get(c.constraint.usingIndex);
        // ADD CONSTRAINT … USING INDEX names no columns: they are the index's.
        const spec = adopted && !c.constraint.columns.length ? { ...c.constraint, columns: adopted.columns } : c.constraint;
        this.edit(key, (t) => {
          let columns = t.columns;
          if (spec.kind === 'primary') {
            for (const name of spec.columns) {
              const col = columns.get(name);
              if (col) columns = columns.set(name, { ...col, nullable: false });
            }
          }
          // ADD CONSTRAINT … USING INDEX takes the index over: it is the constraint's from then on.
          const indexes = spec.usingIndex ? t.indexes.delete(spec.usingIndex) : t.indexes;
          const name = spec.name ?? spec.usingIndex ?? this.nameOf(NAMING_KINDS[spec.kind], key, spec.columns, spec.references);
          return { ...t, columns, indexes, constraints: t.constraints.set(constraintKeys++, { spec, name, validated: !spec.notValid, made }) };
        });
        if (spec.usingIndex) this.indexOwner = this.indexOwner.delete(spec.usingIndex);
        return;
      }
      case 'validate_constraint': {
        if (key === null || c.name === null) return;
        const name = c.name;
        this.edit(key, (t) => ({
          ...t,
          constraints: t.constraints.withMutations((m) => {
            for (const [n, k] of t.constraints) if (k.name === name) m.set(n, { ...k, validated: true });
          }),
        }));
        return;
      }
      case 'drop_constraint': {
        if (key === null) return;
        // Without a name, every constraint of the kind (or of any kind, when not said) is forgotten: which one went is not known.
        const gone = (k: ConstraintState) => (c.name !== null ? k.name === c.name : c.constraint === null || k.spec.kind === c.constraint);
        this.edit(key, (t) => ({ ...t, constraints: t.constraints.deleteAll([...t.constraints].filter(([, k]) => gone(k)).map(([n]) => n)) }));
        return;
      }
      case 'create_index': {
        const name = c.index.auto && key !== null ? (this.nameOf('ix', key, c.index.columns, null) ?? c.index.name) : c.index.name;
        if (key === null || name === null) return;
        if (c.ifNotExists && this.indexOwner.has(name)) return;
        this.edit(key, (t) => ({ ...t, indexes: t.indexes.set(name, { ...c.index, name, made }) }));
        this.indexOwner = this.indexOwner.set(name, key);
        return;
      }
      case 'drop_index': {
        if (c.name === null) return;
        const name = c.name;
        const owner = key ?? this.indexOwner.get(name) ?? null;
        this.indexOwner = this.indexOwner.delete(name);
        if (owner !== null && this.tables.has(owner)) this.edit(owner, (t) => ({ ...t, indexes: t.indexes.delete(name) }));
        return;
      }
      case 'other':
        if (key !== null) this.edit(key, (t) => (t.partial ? t : { ...t, partial: true }));
        return;
      default:
        return;
    }
  }

  private nameOf(kind: 'uq' | 'fk' | 'pk' | 'ix' | undefined, key: string, columns: string[], referred: ConstraintSpec['references']): string | null {
    if (!this.detail || !kind) return null;
    return this.detail.naming(kind, key.slice(key.lastIndexOf('.') + 1), columns, referred && { table: referred.table, columns: referred.columns });
  }

  /**
   * What a detailed replay cannot follow, judged before the change applies (it needs the state it meets):
   * an operation on a table or column the migrations never made, a drop of a constraint it cannot place,
   * SQL it cannot read or does not model.
   */
  private follow(c: Change, made: Made | null): void {
    const key = c.table;
    const t = key === null ? undefined : this.tables.get(key);
    const op = opName(c, made);
    const hasColumn = (name: string | null) => name !== null && !!t?.columns.has(name);
    switch (c.kind) {
      case 'unknown': {
        const why = UNREAD[c.reason];
        if (why) this.notFollowed(null, `${op} ${why}`, made);
        return;
      }
      case 'other':
        if (!HARMLESS.has(c.statement)) this.notFollowed(key, `${op} runs ${c.statement}${c.detail ? ` (${c.detail})` : ''}`, made);
        return;
      case 'rename_table':
      case 'drop_column':
      case 'add_column':
      case 'add_constraint':
      case 'create_index':
        if (key !== null && !t) this.notFollowed(key, `${op} changes a table the migrations never made`, made);
        return;
      case 'set_not_null':
      case 'drop_not_null':
      case 'alter_type':
      case 'rename_column':
        if (key !== null && !hasColumn(c.column)) this.notFollowed(key, `${op} alters a column the migrations never made`, made);
        return;
      case 'drop_constraint':
        if (key !== null && (c.name === null || !t || ![...t.constraints.values()].some((k) => k.name === c.name))) {
          if (!c.ifExists) this.notFollowed(key, `${op} drops a constraint the replay cannot place`, made);
        }
        return;
      default:
        return;
    }
  }

  /**
   * A change whose place in the history is not known (a file the graph cannot place): what it touches, a
   * column where it names one, is not followed.
   */
  notPlaced(c: Change, reason: string): void {
    if (!this.detail || leavesSchema(c)) return;
    const column = c.kind === 'add_column' ? c.column.name : 'column' in c && typeof c.column === 'string' ? c.column : null;
    if (c.table !== null && column !== null && this.tables.get(c.table)?.created) {
      this.detail.unfollowed.push({ table: c.table, column, reason, made: null });
      if (c.kind === 'rename_column' && c.to !== null) this.detail.unfollowed.push({ table: c.table, column: c.to, reason, made: null });
    } else this.notFollowed(c.table, reason, null);
  }

  /** Marks table `key` (null: every table) as not statically known, in a detailed replay. */
  notFollowed(key: string | null, reason: string, made: Made | null): void {
    if (!this.detail) return;
    if (key === null) {
      this.detail.unfollowed.push({ table: '*', column: null, reason, made });
      return;
    }
    const t = this.tables.get(key) ?? emptyTable(key, 'existing', false, made);
    if (t.unknown === null) this.tables = this.tables.set(key, { ...t, unknown: reason });
    else if (!this.tables.has(key)) this.tables = this.tables.set(key, t);
  }

  private dropIndexesOf(key: string): void {
    // Every index the replay knows is in its table's state (create_index makes one for a table it never saw created).
    const t = this.tables.get(key);
    if (!t) return;
    this.indexOwner = this.indexOwner.withMutations((m) => {
      for (const i of t.indexes.keys()) if (m.get(i) === key) m.delete(i);
    });
  }
}

/** The operation a change comes from and its file, as a reason names them: `add_column in versions/x.py`. */
function opName(c: Change, made: Made | null): string {
  const op = c.form === 'sql' ? c.call : c.call.slice(c.call.indexOf('.') + 1);
  return made ? `${op} in ${made.file}` : op;
}

/** The valid check constraints of a table that prove `column IS NOT NULL`. */
export function provenNotNull(table: TableState | null, column: string | null): boolean {
  if (!table || column === null) return false;
  for (const k of table.constraints.values()) if (k.validated && k.spec.kind === 'check' && k.spec.notNullColumn === column) return true;
  return false;
}
