/**
 * The schema that a sequence of change events builds: tables with their columns, constraints and indexes,
 * and whether each table holds rows in production when a given statement runs. One state serves the lock
 * rules (is this table existing? was that constraint validated?) and the drift check (what do the
 * migrations build?).
 *
 * A table state is never changed once another state may see it: applying a change to a table replaces it
 * with a modified copy (copy on write, per table), so a `TableState` captured before a change stays as it
 * was, and copying a schema copies two maps of references, not the tables.
 */
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

export interface TableState {
  name: string;
  origin: Origin;
  /** Created by a change the replay read: its columns are all known (else only those changes named). */
  created: boolean;
  columns: ReadonlyMap<string, ColumnState>;
  constraints: readonly ConstraintState[];
  indexes: ReadonlyMap<string, IndexSpec>;
  /** A change we could not read in full acted on it (an unmodelled ALTER TABLE form). */
  partial: boolean;
}

interface MutableTable {
  name: string;
  origin: Origin;
  created: boolean;
  columns: Map<string, ColumnState>;
  constraints: ConstraintState[];
  indexes: Map<string, IndexSpec>;
  partial: boolean;
}

function emptyTable(name: string, origin: Origin, created: boolean): MutableTable {
  return { name, origin, created, columns: new Map(), constraints: [], indexes: new Map(), partial: false };
}

function columnState(spec: ColumnSpec): ColumnState | null {
  if (spec.name === null) return null;
  return { name: spec.name, type: spec.type, nullable: spec.primaryKey ? false : spec.nullable !== false, default: spec.default, spec };
}

export class Schema {
  private tables: Map<string, TableState>;
  /** Index name → table key, for DROP INDEX (which names no table). */
  private indexOwner: Map<string, string>;
  /** Tables replaced since this state was made: safe to change in place. */
  private owned = new WeakSet<TableState>();
  /** How many changes could not be read at all (SQL that is not a literal or does not parse). */
  unreadable = 0;

  constructor(tables = new Map<string, TableState>(), indexOwner = new Map<string, string>()) {
    this.tables = tables;
    this.indexOwner = indexOwner;
  }

  /** A copy that shares every table state until one of them changes. */
  clone(): Schema {
    const s = new Schema(new Map(this.tables), new Map(this.indexOwner));
    s.unreadable = this.unreadable;
    return s;
  }

  table(key: string | null): TableState | null {
    return key === null ? null : (this.tables.get(key) ?? null);
  }

  /** The table's state as it is now, kept as it is: the next change to the table copies it first. */
  snapshot(key: string | null): TableState | null {
    const t = this.table(key);
    if (t) this.owned.delete(t);
    return t;
  }

  allTables(): ReadonlyMap<string, TableState> {
    return this.tables;
  }

  /** Whether `key` holds rows: tables never seen created are taken to exist. */
  isExisting(key: string | null): boolean {
    return key === null || this.tables.get(key)?.origin !== 'new';
  }

  indexTable(name: string | null): string | null {
    return name === null ? null : (this.indexOwner.get(name) ?? null);
  }

  private edit(key: string): MutableTable {
    const cur = this.tables.get(key);
    if (cur && this.owned.has(cur)) return cur as MutableTable;
    const next: MutableTable = cur
      ? { ...cur, columns: new Map(cur.columns), constraints: [...cur.constraints], indexes: new Map(cur.indexes) }
      : emptyTable(key, 'existing', false);
    this.tables.set(key, next);
    this.owned.add(next);
    return next;
  }

  private editColumn(t: MutableTable, name: string | null, f: (c: ColumnState) => ColumnState): void {
    if (name === null) return;
    const c = t.columns.get(name);
    if (c) t.columns.set(name, f(c));
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
        const t = emptyTable(key, origin, !c.asSelect);
        for (const spec of c.columns) {
          const col = columnState(spec);
          if (col) t.columns.set(col.name, col);
        }
        this.dropIndexesOf(key);
        this.tables.set(key, t);
        this.owned.add(t);
        return;
      }
      case 'drop_table':
        if (key === null) return;
        this.dropIndexesOf(key);
        this.tables.delete(key);
        return;
      case 'rename_table': {
        if (key === null || c.to === null) return;
        const t = this.edit(key);
        this.tables.delete(key);
        t.name = c.to;
        this.tables.set(c.to, t);
        for (const i of t.indexes.keys()) this.indexOwner.set(i, c.to);
        return;
      }
      case 'add_column': {
        if (key === null) return;
        const col = columnState(c.column);
        if (col) this.edit(key).columns.set(col.name, col);
        return;
      }
      case 'drop_column': {
        if (key === null || c.column === null) return;
        const t = this.edit(key);
        const col = c.column;
        t.columns.delete(col);
        // PostgreSQL drops the indexes and constraints that use the column with it.
        t.constraints = t.constraints.filter((k) => !k.spec.columns.includes(col) && k.spec.notNullColumn !== col);
        for (const [name, ix] of t.indexes) {
          if (ix.columns.includes(col)) {
            t.indexes.delete(name);
            this.indexOwner.delete(name);
          }
        }
        return;
      }
      case 'rename_column': {
        if (key === null || c.column === null || c.to === null) return;
        const t = this.edit(key);
        const col = t.columns.get(c.column);
        if (col) {
          t.columns.delete(c.column);
          t.columns.set(c.to, { ...col, name: c.to });
        }
        const from = c.column;
        const to = c.to;
        const rename = (cols: string[]) => cols.map((x) => (x === from ? to : x));
        t.constraints = t.constraints.map((k) => ({ ...k, spec: { ...k.spec, columns: rename(k.spec.columns), notNullColumn: k.spec.notNullColumn === from ? to : k.spec.notNullColumn } }));
        for (const [name, ix] of t.indexes) t.indexes.set(name, { ...ix, columns: rename(ix.columns) });
        return;
      }
      case 'set_not_null':
      case 'drop_not_null':
        if (key !== null) this.editColumn(this.edit(key), c.column, (col) => ({ ...col, nullable: c.kind === 'drop_not_null' }));
        return;
      case 'alter_type':
        if (key !== null) this.editColumn(this.edit(key), c.column, (col) => ({ ...col, type: c.to }));
        return;
      case 'set_default':
      case 'drop_default':
        if (key !== null) this.editColumn(this.edit(key), c.column, (col) => ({ ...col, default: c.kind === 'set_default' ? c.default : null }));
        return;
      case 'add_constraint': {
        if (key === null) return;
        const t = this.edit(key);
        const spec = c.constraint;
        t.constraints.push({ spec, validated: !spec.notValid });
        if (spec.kind === 'primary') for (const name of spec.columns) this.editColumn(t, name, (col) => ({ ...col, nullable: false }));
        // ADD CONSTRAINT … USING INDEX takes the index over: it is the constraint's from then on.
        if (spec.usingIndex) {
          t.indexes.delete(spec.usingIndex);
          this.indexOwner.delete(spec.usingIndex);
        }
        return;
      }
      case 'validate_constraint': {
        if (key === null || c.name === null) return;
        const t = this.edit(key);
        t.constraints = t.constraints.map((k) => (k.spec.name === c.name ? { ...k, validated: true } : k));
        return;
      }
      case 'drop_constraint': {
        if (key === null) return;
        const t = this.edit(key);
        t.constraints = t.constraints.filter((k) => (c.name !== null ? k.spec.name !== c.name : c.constraint !== null && k.spec.kind !== c.constraint));
        return;
      }
      case 'create_index': {
        if (key === null || c.index.name === null) return;
        if (c.ifNotExists && this.indexOwner.has(c.index.name)) return;
        this.edit(key).indexes.set(c.index.name, c.index);
        this.indexOwner.set(c.index.name, key);
        return;
      }
      case 'drop_index': {
        if (c.name === null) return;
        const owner = key ?? this.indexOwner.get(c.name) ?? null;
        this.indexOwner.delete(c.name);
        if (owner !== null && this.tables.has(owner)) this.edit(owner).indexes.delete(c.name);
        return;
      }
      case 'other':
        if (key !== null) this.edit(key).partial = true;
        return;
      default:
        return;
    }
  }

  private dropIndexesOf(key: string): void {
    // Every index the replay knows is in its table's state (create_index makes one for a table it never saw created).
    for (const i of this.tables.get(key)?.indexes.keys() ?? []) if (this.indexOwner.get(i) === key) this.indexOwner.delete(i);
  }
}

/** The valid check constraints of a table that prove `column IS NOT NULL`. */
export function provenNotNull(table: TableState | null, column: string | null): boolean {
  if (!table || column === null) return false;
  return table.constraints.some((k) => k.validated && k.spec.kind === 'check' && k.spec.notNullColumn === column);
}
