/**
 * Models vs migrations, compared as Alembic's autogenerate `compare_metadata` compares metadata with a
 * reflected database (alembic/autogenerate/compare.py, PostgreSQL's impl): tables and columns by name;
 * nullability; types only with compare_type, by their printed DDL; indexes and unique constraints by name,
 * unnamed unique constraints by their columns; foreign keys by signature (columns, referred table and
 * columns, ON DELETE / ON UPDATE, deferrability), never by name; server defaults and primary keys never.
 * Tables outside the default schema are left out unless env.py passes `include_schemas=True`.
 */
import type { Origin, SchemaColumn, SchemaForeignKey, SchemaIndex, SchemaTable, SchemaUnique, Unknown } from './schema.js';
import { typesDiffer } from './sqltype.js';

export type DiffKind =
  | 'add_table'
  | 'remove_table'
  | 'add_column'
  | 'remove_column'
  | 'modify_nullable'
  | 'modify_type'
  | 'add_index'
  | 'remove_index'
  | 'add_constraint'
  | 'remove_constraint'
  | 'add_fk'
  | 'remove_fk';

export interface Diff {
  kind: DiffKind;
  table: string;
  column: string | null;
  name: string | null;
  model: Origin | null;
  migration: Origin | null;
  /** What differs, in words. */
  detail: string;
  /** The operation `alembic revision --autogenerate` would write for it. */
  operation: string;
}

export interface CompareOptions {
  compareType: boolean;
  includeSchemas: boolean;
}

const q = (s: string) => `'${s}'`;

function tableArgs(t: SchemaTable): string {
  return t.schema ? `${q(t.name)}, schema=${q(t.schema)}` : q(t.name);
}

function typeCode(ddl: string | null): string {
  if (!ddl) return 'sa.<type>()';
  const m = /^(\w+)(?:\((\d+)(?:,\s*(\d+))?\))?/.exec(ddl);
  switch (m?.[1]) {
    case 'VARCHAR':
      return m[2] ? `sa.String(length=${m[2]})` : 'sa.String()';
    case 'INTEGER':
      return 'sa.Integer()';
    case 'BIGINT':
      return 'sa.BigInteger()';
    case 'SMALLINT':
      return 'sa.SmallInteger()';
    case 'BOOLEAN':
      return 'sa.Boolean()';
    case 'FLOAT':
      return 'sa.Float()';
    case 'NUMERIC':
      return m[2] ? `sa.Numeric(precision=${m[2]}${m[3] ? `, scale=${m[3]}` : ''})` : 'sa.Numeric()';
    case 'TEXT':
      return 'sa.Text()';
    case 'DATE':
      return 'sa.Date()';
    case 'TIMESTAMP':
      return ddl.includes('WITH TIME') ? 'sa.DateTime(timezone=True)' : 'sa.DateTime()';
    case 'TIME':
      return 'sa.Time()';
    case 'INTERVAL':
      return 'sa.Interval()';
    case 'BYTEA':
      return 'sa.LargeBinary()';
    case 'UUID':
      return 'sa.Uuid()';
    default:
      return `sa.${ddl}`;
  }
}

function columnCode(c: SchemaColumn): string {
  return `sa.Column(${q(c.name)}, ${typeCode(c.type)}, nullable=${c.nullable ? 'True' : 'False'})`;
}

function sig(cols: string[]): string {
  return [...cols].sort().join(',');
}

function fkSig(fk: SchemaForeignKey): string {
  const norm = (v: string | null) => (v && v.toLowerCase() !== 'no action' ? v.toLowerCase() : '');
  return [fk.columns.join(','), fk.refTable, fk.refColumns.join(','), norm(fk.ondelete), norm(fk.onupdate), fk.deferrable ?? ''].join('|');
}

function inScope(t: SchemaTable, opts: CompareOptions): boolean {
  return opts.includeSchemas || t.schema === null;
}

export function compareSchemas(models: Map<string, SchemaTable>, conn: Map<string, SchemaTable>, opts: CompareOptions): { diffs: Diff[]; unknown: Unknown[] } {
  const diffs: Diff[] = [];
  const unknown: Unknown[] = [];
  const keys = [...new Set([...models.keys(), ...conn.keys()])].sort();
  for (const key of keys) {
    if (key === 'alembic_version') continue;
    const m = models.get(key);
    const c = conn.get(key);
    if ((m && !inScope(m, opts)) || (c && !inScope(c, opts))) continue;
    if (m?.unknown || c?.unknown) {
      unknown.push({ table: key, column: null, reason: (m?.unknown ?? c?.unknown)!, origin: m?.origin ?? c?.origin ?? null });
      continue;
    }
    if (m && !c) {
      diffs.push({ kind: 'add_table', table: key, column: null, name: null, model: m.origin, migration: null, detail: `table ${key} is in the models but no migration creates it`, operation: `op.create_table(${tableArgs(m)}, ...)` });
      // autogenerate writes the new table's indexes as create_index too.
      for (const ix of m.indexes) if (!ix.expressions) diffs.push(indexDiff('add_index', m, ix, true));
      continue;
    }
    if (c && !m) {
      diffs.push({ kind: 'remove_table', table: key, column: null, name: null, model: null, migration: c.origin, detail: `table ${key} is made by the migrations but is in no model`, operation: `op.drop_table(${tableArgs(c)})` });
      for (const ix of c.indexes) if (!ix.expressions) diffs.push(indexDiff('remove_index', c, ix, false));
      continue;
    }
    if (m && c) compareTable(m, c, opts, diffs, unknown);
  }
  return { diffs, unknown };
}

function indexDiff(kind: 'add_index' | 'remove_index', t: SchemaTable, ix: SchemaIndex, model: boolean): Diff {
  const cols = `[${ix.columns.map(q).join(', ')}]`;
  return {
    kind,
    table: t.key,
    column: null,
    name: ix.name,
    model: model ? ix.origin : null,
    migration: model ? null : ix.origin,
    detail: kind === 'add_index' ? `index ${ix.name} on ${t.key} (${ix.columns.join(', ')}) is in the models only` : `index ${ix.name} on ${t.key} is made by the migrations but is in no model`,
    operation:
      kind === 'add_index'
        ? `op.create_index(op.f(${q(ix.name)}), ${q(t.name)}, ${cols}, unique=${ix.unique ? 'True' : 'False'}${t.schema ? `, schema=${q(t.schema)}` : ''})`
        : `op.drop_index(op.f(${q(ix.name)}), table_name=${q(t.name)}${t.schema ? `, schema=${q(t.schema)}` : ''})`,
  };
}

function compareTable(m: SchemaTable, c: SchemaTable, opts: CompareOptions, diffs: Diff[], unknown: Unknown[]): void {
  const key = m.key;
  for (const [name, col] of m.columns) {
    if (c.unknownColumns.has(name)) {
      unknown.push({ table: key, column: name, reason: c.unknownColumns.get(name)!, origin: col.origin });
      continue;
    }
    const cc = c.columns.get(name);
    if (!cc) {
      diffs.push({ kind: 'add_column', table: key, column: name, name: null, model: col.origin, migration: null, detail: `column ${key}.${name} is in the model but no migration adds it`, operation: `op.add_column(${tableArgs(m)}, ${columnCode(col)})` });
      continue;
    }
    if (col.nullable !== null && cc.nullable !== null && col.nullable !== cc.nullable) {
      diffs.push({
        kind: 'modify_nullable',
        table: key,
        column: name,
        name: null,
        model: col.origin,
        migration: cc.origin,
        detail: `${key}.${name} is ${col.nullable ? 'nullable' : 'NOT NULL'} in the model, ${cc.nullable ? 'nullable' : 'NOT NULL'} in the migrations`,
        operation: `op.alter_column(${tableArgs(m)}, ${q(name)}, nullable=${col.nullable ? 'True' : 'False'})`,
      });
    }
    if (opts.compareType && col.type && cc.type && typesDiffer(cc.type, col.type)) {
      diffs.push({
        kind: 'modify_type',
        table: key,
        column: name,
        name: null,
        model: col.origin,
        migration: cc.origin,
        detail: `${key}.${name} is ${col.type} in the model, ${cc.type} in the migrations`,
        operation: `op.alter_column(${tableArgs(m)}, ${q(name)}, type_=${typeCode(col.type)})`,
      });
    }
  }
  for (const [name, cc] of c.columns) {
    if (m.columns.has(name)) continue;
    // The migrations' side: a column an unplaced revision touches may not be there at all.
    const why = m.unknownColumns.get(name) ?? c.unknownColumns.get(name) ?? m.openColumns;
    if (why) {
      unknown.push({ table: key, column: name, reason: why, origin: cc.origin });
      continue;
    }
    diffs.push({ kind: 'remove_column', table: key, column: name, name: null, model: null, migration: cc.origin, detail: `column ${key}.${name} is made by the migrations but is in no model`, operation: `op.drop_column(${tableArgs(m)}, ${q(name)})` });
  }
  for (const name of m.unknownColumns.keys()) if (!c.columns.has(name)) unknown.push({ table: key, column: name, reason: m.unknownColumns.get(name)!, origin: m.origin });
  const touchesUnknown = (cols: string[]) => cols.some((x) => m.unknownColumns.has(x) || c.unknownColumns.has(x));
  // An open model table may carry indexes and constraints the reader cannot see: the migrations' extra ones
  // are not differences, and are left alone as the extra columns are.
  const open = m.openColumns !== null;
  compareIndexes(m, c, diffs, touchesUnknown, open);
  compareForeignKeys(m, c, diffs, touchesUnknown, open);
}

type IxObj = { isIndex: true; obj: SchemaIndex } | { isIndex: false; obj: SchemaUnique };

function compareIndexes(m: SchemaTable, c: SchemaTable, diffs: Diff[], touchesUnknown: (cols: string[]) => boolean, open: boolean): void {
  const key = m.key;
  const metaNames = new Map<string, IxObj>();
  for (const ix of m.indexes) metaNames.set(ix.name, { isIndex: true, obj: ix });
  for (const uq of m.uniques) if (uq.name) metaNames.set(uq.name, { isIndex: false, obj: uq });
  const unnamedMeta = new Map<string, SchemaUnique>();
  for (const uq of m.uniques) if (!uq.name) unnamedMeta.set(sig(uq.columns), uq);
  const connNames = new Map<string, IxObj>();
  for (const uq of c.uniques) if (uq.name) connNames.set(uq.name, { isIndex: false, obj: uq });
  for (const ix of c.indexes) connNames.set(ix.name, { isIndex: true, obj: ix });
  const connUniqueSigs = new Set(c.uniques.map((u) => sig(u.columns)));

  const skip = (o: IxObj) => (o.isIndex && o.obj.expressions) || touchesUnknown(o.obj.columns);
  const added = (o: IxObj) => {
    if (skip(o)) return;
    if (o.isIndex) diffs.push(indexDiff('add_index', m, o.obj, true));
    else diffs.push(uniqueDiff('add_constraint', m, o.obj, true));
  };
  const removed = (o: IxObj) => {
    if (skip(o)) return;
    if (o.isIndex) diffs.push(indexDiff('remove_index', c, o.obj, false));
    else diffs.push(uniqueDiff('remove_constraint', c, o.obj, false));
  };
  for (const name of [...connNames.keys()].sort()) {
    if (metaNames.has(name) || open) continue;
    const o = connNames.get(name)!;
    if (!o.isIndex && unnamedMeta.has(sig(o.obj.columns))) continue;
    removed(o);
  }
  for (const name of [...metaNames.keys()].sort()) {
    const mo = metaNames.get(name)!;
    const co = connNames.get(name);
    if (!co) {
      added(mo);
      continue;
    }
    if (skip(mo) || skip(co)) continue;
    const mUnique = mo.isIndex ? mo.obj.unique : true;
    const cUnique = co.isIndex ? co.obj.unique : true;
    if (mo.isIndex !== co.isIndex || mUnique !== cUnique || sig(mo.obj.columns) !== sig(co.obj.columns)) {
      removed(co);
      added(mo);
    }
  }
  for (const [s, uq] of unnamedMeta) if (!connUniqueSigs.has(s)) added({ isIndex: false, obj: uq });
  void key;
}

function uniqueDiff(kind: 'add_constraint' | 'remove_constraint', t: SchemaTable, uq: SchemaUnique, model: boolean): Diff {
  const cols = `[${uq.columns.map(q).join(', ')}]`;
  return {
    kind,
    table: t.key,
    column: uq.columns.length === 1 ? uq.columns[0]! : null,
    name: uq.name,
    model: model ? uq.origin : null,
    migration: model ? null : uq.origin,
    detail:
      kind === 'add_constraint'
        ? `unique constraint on ${t.key} (${uq.columns.join(', ')}) is in the models only`
        : `unique constraint ${uq.name ?? ''} on ${t.key} (${uq.columns.join(', ')}) is made by the migrations but is in no model`,
    operation:
      kind === 'add_constraint'
        ? `op.create_unique_constraint(${uq.name ? `op.f(${q(uq.name)})` : 'None'}, ${q(t.name)}, ${cols})`
        : `op.drop_constraint(${uq.name ? `op.f(${q(uq.name)})` : 'None'}, ${q(t.name)}, type_='unique')`,
  };
}

function compareForeignKeys(m: SchemaTable, c: SchemaTable, diffs: Diff[], touchesUnknown: (cols: string[]) => boolean, open: boolean): void {
  const metaSigs = new Map(m.foreignKeys.map((f) => [fkSig(f), f]));
  const connSigs = new Map(c.foreignKeys.map((f) => [fkSig(f), f]));
  for (const [s, fk] of connSigs) {
    if (metaSigs.has(s) || touchesUnknown(fk.columns) || open) continue;
    diffs.push({
      kind: 'remove_fk',
      table: c.key,
      column: fk.columns.length === 1 ? fk.columns[0]! : null,
      name: fk.name,
      model: null,
      migration: fk.origin,
      detail: `foreign key ${c.key}(${fk.columns.join(', ')}) → ${fk.refTable}(${fk.refColumns.join(', ')})${fk.ondelete ? ` ON DELETE ${fk.ondelete}` : ''} is made by the migrations but is in no model`,
      operation: `op.drop_constraint(${fk.name ? `op.f(${q(fk.name)})` : 'None'}, ${q(c.name)}, type_='foreignkey')`,
    });
  }
  for (const [s, fk] of metaSigs) {
    if (connSigs.has(s) || touchesUnknown(fk.columns)) continue;
    diffs.push({
      kind: 'add_fk',
      table: m.key,
      column: fk.columns.length === 1 ? fk.columns[0]! : null,
      name: fk.name,
      model: fk.origin,
      migration: null,
      detail: `foreign key ${m.key}(${fk.columns.join(', ')}) → ${fk.refTable}(${fk.refColumns.join(', ')})${fk.ondelete ? ` ON DELETE ${fk.ondelete}` : ''} is in the models only`,
      operation: `op.create_foreign_key(${fk.name ? `op.f(${q(fk.name)})` : 'None'}, ${q(m.name)}, ${q(fk.refTable)}, [${fk.columns.map(q).join(', ')}], [${fk.refColumns.map(q).join(', ')}]${fk.ondelete ? `, ondelete=${q(fk.ondelete)}` : ''})`,
    });
  }
}
