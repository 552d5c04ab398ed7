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
import type { Change, ColumnSpec, ConstraintSpec, IndexSpec, SqlExpr, SqlType } from './types.js';

/** Existing: holds rows in production (created at the applied baseline, or never seen created). New: empty when it runs. */
export type Origin = 'existing' | 'new';

export interface ColumnState {
  name: string;
  type: SqlType | null;
  nullable: boolean;
  default: SqlExpr | null;
  spec: ColumnSpec;
}

export interface ConstraintState {
  spec: ConstraintSpec;
  /** False while added NOT VALID and not yet validated. */
  validated: boolean;
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
  readonly indexes: Collection<string, IndexSpec>;
  /** A change we could not read in full acted on it (an unmodelled ALTER TABLE form). */
  readonly partial: boolean;
}

/** What a state holds; the `Collection`s handed out are these. */
interface Table extends TableState {
  readonly columns: OrderedMap<string, ColumnState>;
  readonly constraints: OrderedMap<number, ConstraintState>;
  readonly indexes: OrderedMap<string, IndexSpec>;
}

function emptyTable(name: string, origin: Origin, created: boolean): Table {
  return { name, origin, created, columns: OrderedMap(), constraints: OrderedMap(), indexes: OrderedMap(), partial: false };
}

function columnState(spec: ColumnSpec): ColumnState | null {
  if (spec.name === null) return null;
  return { name: spec.name, type: spec.type, nullable: spec.primaryKey ? false : spec.nullable !== false, default: spec.default, spec };
}

/** Keys for constraints: unique within every table (only their order and identity matter). */
let constraintKeys = 0;

export class Schema {
  /** Index name → table key, for DROP INDEX (which names no table). */
  private constructor(
    private tables: OrderedMap<string, Table>,
    private indexOwner: PMap<string, string>,
    /** How many changes could not be read at all (SQL that is not a literal or does not parse). */
    public unreadable: number,
  ) {}

  static empty(): Schema {
    return new Schema(OrderedMap(), PMap(), 0);
  }

  /** A copy: O(1), the two share everything until either changes. */
  clone(): Schema {
    return new Schema(this.tables, this.indexOwner, this.unreadable);
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

  /** Applies one change; tables it creates get `origin`. */
  apply(c: Change, origin: Origin): void {
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
            const col = columnState(spec);
            if (col) m.set(col.name, col);
          }
        });
        this.dropIndexesOf(key);
        this.tables = this.tables.set(key, { ...emptyTable(key, origin, !c.asSelect), columns });
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
        const col = columnState(c.column);
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
        if (key !== null) this.editColumn(key, c.column, (col) => ({ ...col, type: c.to }));
        return;
      case 'set_default':
      case 'drop_default':
        if (key !== null) this.editColumn(key, c.column, (col) => ({ ...col, default: c.kind === 'set_default' ? c.default : null }));
        return;
      case 'add_constraint': {
        if (key === null) return;
        const spec = c.constraint;
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
          return { ...t, columns, indexes, constraints: t.constraints.set(constraintKeys++, { spec, validated: !spec.notValid }) };
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
            for (const [n, k] of t.constraints) if (k.spec.name === name) m.set(n, { ...k, validated: true });
          }),
        }));
        return;
      }
      case 'drop_constraint': {
        if (key === null) return;
        // Without a name, every constraint of the kind (or of any kind, when not said) is forgotten: which one went is not known.
        const gone = (k: ConstraintState) => (c.name !== null ? k.spec.name === c.name : c.constraint === null || k.spec.kind === c.constraint);
        this.edit(key, (t) => ({ ...t, constraints: t.constraints.deleteAll([...t.constraints].filter(([, k]) => gone(k)).map(([n]) => n)) }));
        return;
      }
      case 'create_index': {
        if (key === null || c.index.name === null) return;
        if (c.ifNotExists && this.indexOwner.has(c.index.name)) return;
        const name = c.index.name;
        this.edit(key, (t) => ({ ...t, indexes: t.indexes.set(name, c.index) }));
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

  private dropIndexesOf(key: string): void {
    // Every index the replay knows is in its table's state (create_index makes one for a table it never saw created).
    const t = this.tables.get(key);
    if (!t) return;
    this.indexOwner = this.indexOwner.withMutations((m) => {
      for (const i of t.indexes.keys()) if (m.get(i) === key) m.delete(i);
    });
  }
}

/** The valid check constraints of a table that prove `column IS NOT NULL`. */
export function provenNotNull(table: TableState | null, column: string | null): boolean {
  if (!table || column === null) return false;
  for (const k of table.constraints.values()) if (k.validated && k.spec.kind === 'check' && k.spec.notNullColumn === column) return true;
  return false;
}
