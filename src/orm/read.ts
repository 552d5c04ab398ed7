/**
 * Reading the models statically, never importing them: SQLModel `table=True` classes (with what SQLModel's
 * `get_column_from_field` / `get_sqlalchemy_type` make of each field, in the generation the project pins),
 * SQLAlchemy declarative classes (`Mapped[...]` + `mapped_column`, classic `Column`, mixins) and `Table(...)`
 * objects, on the metadata env.py gives Alembic. What cannot be known statically is recorded as unknown.
 */
import { dottedName, kwarg, literalBool } from '../parse/python.js';
import type { Call, Expr } from '../model/expr.js';
import type { ModelProject, Resolved } from './find.js';
import { configureCalls, type ClassDef, type ClassStmt, type ModuleInfo } from './module.js';
import { foreignKeyOf, readColumn, readTableItem, splitTarget, type ColumnParts, type TableItem } from './column.js';
import { conventionName, markPrimaryKey, newTable, type NamingConvention, type Origin, type SchemaTable, type Unknown } from './schema.js';
import { pyTypeDdl, pyTypeOf, sqlTypeOf, type PyType, type Qualify } from './sqltype.js';
import { integer, items, plainString, str, strDict } from './literal.js';
import type { Generation } from './versions.js';

export type TargetMetadata =
  | { kind: 'missing'; origin: Origin | null }
  | { kind: 'none'; origin: Origin }
  | { kind: 'unknown'; origin: Origin | null; reason: string }
  | { kind: 'keys'; keys: Set<string>; origin: Origin | null };

export interface TableModel {
  className: string;
  module: ModuleInfo;
  cls: ClassDef | null;
  metaKey: string | null;
  table: SchemaTable;
}

export interface ModelsRead {
  target: TargetMetadata;
  /** Literal `compare_type=` in env.py's `context.configure(...)`, null when not given. */
  compareType: boolean | null;
  /** Tables on the target metadata, by key. */
  tables: Map<string, SchemaTable>;
  /** Every table model reached from env.py (any metadata). */
  models: TableModel[];
  convention: NamingConvention;
  unknown: Unknown[];
}

type ClassKind = 'sqlmodel' | 'declarative-base' | 'declarative' | 'enum' | 'plain' | 'unknown';

const SQLMODEL_CLASS = /^sqlmodel(\.main)?\.SQLModel$/;
const DECLARATIVE_ROOT = /^sqlalchemy\.orm(\.decl_api)?\.(DeclarativeBase|DeclarativeBaseNoMeta)$/;
const ENUM_CLASS = /^enum\.(Enum|IntEnum|StrEnum|Flag|IntFlag)$/;
/** Library bases known to declare no columns; any other base from outside the project may declare some. */
const NO_COLUMNS = /^(builtins\.object|typing(_extensions)?\.\w+|abc\.ABC|sqlalchemy\.orm(\.decl_api)?\.(DeclarativeBase|DeclarativeBaseNoMeta|MappedAsDataclass)|sqlalchemy\.ext\.asyncio(\.session)?\.AsyncAttrs|sqlmodel(\.main)?\.SQLModel|pydantic(\.main)?\.BaseModel|enum\.\w+)$/;

export class ModelReader {
  private readonly kinds = new Map<ClassDef, ClassKind>();
  private readonly mapped = new Map<ClassDef, boolean>();
  /** Single-table-inheritance subclasses by the class whose table they add their columns to. */
  private readonly stiIndex = new Map<ClassDef, { cls: ClassDef; module: ModuleInfo }[]>();
  private readonly stiIndexed = new Set<ModuleInfo>();
  /** The modules a single-table subclass counts from: what env.py reaches, and those being read now. */
  private stiModules = new Set<ModuleInfo>();
  /** The table each mapped class's columns are on (single-table subclasses: their parent's). */
  readonly tableOfCls = new Map<ClassDef, SchemaTable>();
  readonly unknown: Unknown[] = [];
  readonly conventions = new Map<string, NamingConvention>();

  constructor(
    readonly project: ModelProject,
    readonly generation: Generation,
  ) {}

  qualify(module: ModuleInfo): Qualify {
    return (v: Expr) => {
      const r = this.project.resolveValue(module, v);
      if (r?.kind === 'external') return r.qname;
      if (r?.kind === 'class') return `${r.module.name ?? '<project>'}.${r.cls.name}`;
      if (r?.kind === 'value' && r.value.kind !== 'call') return this.qualify(r.module)(r.value);
      // Not bound in the project (a star import of sqlalchemy, say): the name as written.
      return dottedName(v);
    };
  }

  /** A value resolved through project bindings to a class definition or an external name. */
  private classOf(module: ModuleInfo, v: Expr): Resolved {
    return this.project.resolveValue(module, v);
  }

  kindOf(cls: ClassDef, module: ModuleInfo, depth = 0): ClassKind {
    const known = this.kinds.get(cls);
    if (known) return known;
    if (depth > 20) return 'unknown';
    this.kinds.set(cls, 'plain');
    let kind: ClassKind = 'plain';
    if (cls.decorators.some((d) => /(^|\.)as_declarative$/.test(dottedName(d.kind === 'call' ? d.callee : d) ?? ''))) kind = 'declarative-base';
    for (const b of cls.bases) {
      const r = this.classOf(module, b);
      let k: ClassKind = 'plain';
      if (r?.kind === 'external') {
        if (SQLMODEL_CLASS.test(r.qname)) k = 'sqlmodel';
        else if (DECLARATIVE_ROOT.test(r.qname)) k = 'declarative-base';
        else if (ENUM_CLASS.test(r.qname)) k = 'enum';
      } else if (r?.kind === 'class') {
        const bk = this.kindOf(r.cls, r.module, depth + 1);
        k = bk === 'declarative-base' ? 'declarative' : bk;
      } else if (r?.kind === 'value' && r.value.kind === 'call' && /(^|\.)(declarative_base|generate_base)$/.test(this.qualify(r.module)(r.value.callee) ?? '')) {
        k = 'declarative';
      } else if (!r && b.kind === 'call') k = 'unknown';
      if (k === 'sqlmodel' || k === 'declarative' || k === 'declarative-base' || k === 'enum') {
        if (kind !== 'declarative-base') kind = k;
        break;
      }
    }
    this.kinds.set(cls, kind);
    return kind;
  }

  /**
   * Base classes resolved to project classes, in MRO-ish order (depth-first, left to right); `stop` leaves a
   * base out with everything above it.
   */
  private mro(cls: ClassDef, module: ModuleInfo, stop?: (c: ClassDef, m: ModuleInfo) => boolean, depth = 0): { cls: ClassDef; module: ModuleInfo }[] {
    const out: { cls: ClassDef; module: ModuleInfo }[] = [{ cls, module }];
    if (depth > 20) return out;
    for (const b of cls.bases) {
      const r = this.classOf(module, b);
      if (r?.kind !== 'class' || stop?.(r.cls, r.module)) continue;
      for (const x of this.mro(r.cls, r.module, stop, depth + 1)) if (!out.some((o) => o.cls === x.cls)) out.push(x);
    }
    return out;
  }

  private isAbstract(cls: ClassDef): boolean {
    return cls.body.some((s) => s.name === '__abstract__' && literalBool(s.value ?? undefined) === true);
  }

  /**
   * A declarative class SQLAlchemy maps: not `__abstract__`, and with a table of its own or a mapped class
   * above it (single-table inheritance). Mixins and abstract bases are not mapped: their columns are copied.
   */
  private isMapped(cls: ClassDef, module: ModuleInfo, depth = 0): boolean {
    const known = this.mapped.get(cls);
    if (known !== undefined) return known;
    if (depth > 20 || this.kindOf(cls, module) !== 'declarative' || this.isAbstract(cls)) return false;
    this.mapped.set(cls, false);
    const result = this.hasOwnTable(cls, module) || this.mappedParent(cls, module, depth + 1) !== null;
    this.mapped.set(cls, result);
    return result;
  }

  /** The nearest mapped class above a class (SQLAlchemy's `inherits`), through mixins and abstract bases. */
  private mappedParent(cls: ClassDef, module: ModuleInfo, depth = 0): { cls: ClassDef; module: ModuleInfo } | null {
    if (depth > 20) return null;
    for (const b of cls.bases) {
      const r = this.classOf(module, b);
      if (r?.kind !== 'class') continue;
      if (this.isMapped(r.cls, r.module, depth + 1)) return { cls: r.cls, module: r.module };
      const up = this.mappedParent(r.cls, r.module, depth + 1);
      if (up) return up;
    }
    return null;
  }

  /**
   * The class and the unmapped classes above it (mixins, abstract bases), whose declarations become this
   * class's own: a mapped ancestor's columns and `__tablename__` belong to the ancestor's table, as declarative
   * scans them (joined inheritance makes a table of the subclass's own columns only).
   */
  private ownChain(cls: ClassDef, module: ModuleInfo): { cls: ClassDef; module: ModuleInfo }[] {
    return this.mro(cls, module, (c, m) => this.isMapped(c, m));
  }

  /** Why a class may hold declarations the reader cannot see: a base from a library not known to add none. */
  private openReason(chain: { cls: ClassDef; module: ModuleInfo }[]): string | null {
    for (const { cls, module } of chain) {
      for (const b of cls.bases) {
        const base = b.kind === 'sub' ? b.object : b;
        const r = this.classOf(module, base);
        if (r?.kind === 'class') continue;
        if (r?.kind === 'value' && r.value.kind === 'call' && /(^|\.)(declarative_base|generate_base)$/.test(this.qualify(r.module)(r.value.callee) ?? '')) continue;
        const name = r?.kind === 'external' ? r.qname : (dottedName(base) ?? module.text.slice(b.span.start, b.span.end));
        if (r?.kind === 'external' && NO_COLUMNS.test(r.qname)) continue;
        return `${cls.name} inherits from ${name}, whose columns the reader cannot see`;
      }
    }
    return null;
  }

  /** Single-table-inheritance subclasses (mapped, no table of their own) below each mapped class. */
  private stiChildren(cls: ClassDef): { cls: ClassDef; module: ModuleInfo }[] {
    // Indexed once per module, however many times tables are read (once per unreached module, too).
    for (const m of this.stiModules) {
      if (this.stiIndexed.has(m)) continue;
      this.stiIndexed.add(m);
      for (const c of m.classes) {
        if (!this.isMapped(c, m) || this.hasOwnTable(c, m)) continue;
        const parent = this.mappedParent(c, m);
        if (!parent) continue;
        const list = this.stiIndex.get(parent.cls) ?? [];
        list.push({ cls: c, module: m });
        this.stiIndex.set(parent.cls, list);
      }
    }
    return (this.stiIndex.get(cls) ?? []).filter((x) => this.stiModules.has(x.module));
  }

  private hasOwnTable(cls: ClassDef, module: ModuleInfo): boolean {
    return cls.body.some((s) => s.name === '__table__') || this.ownChain(cls, module).some(({ cls: c }) => c.body.some((s) => s.name === '__tablename__'));
  }

  /** The metadata a declarative class or base puts its table on. */
  private declarativeKey(cls: ClassDef, module: ModuleInfo, depth = 0): string | null {
    if (depth > 20) return null;
    const own = cls.body.find((s) => s.name === 'metadata' && s.value);
    if (own?.value) return this.metadataKey(module, own.value);
    for (const b of cls.bases) {
      const r = this.classOf(module, b);
      if (r?.kind === 'class' && this.kindOf(r.cls, r.module) !== 'plain') return this.declarativeKey(r.cls, r.module, depth + 1);
      if (r?.kind === 'value' && r.value.kind === 'call') {
        const m = kwarg(r.value, 'metadata');
        return m ? this.metadataKey(r.module, m) : `var:${r.module.file}:${r.name}`;
      }
      if (r?.kind === 'external' && SQLMODEL_CLASS.test(r.qname)) return 'sqlmodel';
    }
    if (this.kindOf(cls, module) === 'declarative-base') return `cls:${module.file}:${cls.name}`;
    return null;
  }

  /** Identity of a metadata expression (`SQLModel.metadata`, `Base.metadata`, `metadata`), null if unknown. */
  metadataKey(module: ModuleInfo, v: Expr, depth = 0): string | null {
    if (depth > 20) return null;
    if (v.kind === 'attr' && v.attr === 'metadata') {
      const r = this.classOf(module, v.object);
      if (r?.kind === 'external') return SQLMODEL_CLASS.test(r.qname) ? 'sqlmodel' : null;
      if (r?.kind === 'class') {
        const k = this.kindOf(r.cls, r.module);
        if (k === 'sqlmodel') return 'sqlmodel';
        if (k === 'declarative' || k === 'declarative-base') return this.declarativeKey(r.cls, r.module);
        return null;
      }
      if (r?.kind === 'value' && r.value.kind === 'call') {
        const fn = this.qualify(r.module)(r.value.callee) ?? '';
        if (/(^|\.)(declarative_base|generate_base)$/.test(fn)) {
          const m = kwarg(r.value, 'metadata');
          return m ? this.metadataKey(r.module, m, depth + 1) : `var:${r.module.file}:${r.name}`;
        }
      }
      if (r?.kind === 'value') return this.metadataKey(r.module, { ...v, object: r.value }, depth + 1);
      return null;
    }
    if (v.kind === 'name' || v.kind === 'attr') {
      const r = this.classOf(module, v);
      if (r?.kind === 'value') {
        if (r.value.kind === 'call' && /(^|\.)MetaData$/.test(this.qualify(r.module)(r.value.callee) ?? '')) return `var:${r.module.file}:${r.name}`;
        return this.metadataKey(r.module, r.value, depth + 1);
      }
      return null;
    }
    return null;
  }

  /** Target metadata from env.py: `context.configure(target_metadata=…)`, else the `target_metadata` variable. */
  targetMetadata(): TargetMetadata {
    const env = this.project.env;
    const configure = configureCalls(env).find((c) => kwarg(c, 'target_metadata'));
    let value: Expr | undefined = configure ? kwarg(configure, 'target_metadata') : undefined;
    if (value?.kind === 'name') {
      const b = env.bindings.get(value.name);
      if (b?.kind === 'value') value = b.value;
    }
    if (!value) {
      const b = env.bindings.get('target_metadata');
      if (b?.kind === 'value') value = b.value;
    }
    if (!value) return { kind: 'missing', origin: null };
    const origin = { file: env.file, start: value.span.start, end: value.span.end };
    if (value.kind === 'none') return { kind: 'none', origin };
    const parts = items(value) ?? [value];
    const keys = new Set<string>();
    for (const p of parts) {
      const k = this.metadataKey(env, p);
      if (k === null) return { kind: 'unknown', origin, reason: `target_metadata is not a metadata the reader can follow (${env.text.slice(p.span.start, p.span.end)})` };
      keys.add(k);
    }
    return { kind: 'keys', keys, origin };
  }

  compareType(): boolean | null {
    const configure = configureCalls(this.project.env).find((c) => kwarg(c, 'compare_type'));
    if (!configure) return null;
    return literalBool(kwarg(configure, 'compare_type'));
  }

  /** Naming conventions: `MetaData(naming_convention=…)` and `<metadata>.naming_convention = {…}` anywhere reached. */
  collectConventions(modules: ModuleInfo[]): void {
    for (const m of modules) {
      for (const a of m.assignments) {
        if (a.value.kind === 'call' && /(^|\.)MetaData$/.test(this.qualify(m)(a.value.callee) ?? '') && a.target && !a.target.includes('.')) {
          const nc = kwarg(a.value, 'naming_convention');
          if (nc) this.setConvention(`var:${m.file}:${a.target}`, m, nc);
        }
        if (a.target?.endsWith('.naming_convention')) {
          const obj = a.target.slice(0, -'.naming_convention'.length).split('.');
          let v: Expr = { kind: 'name', name: obj[0]!, span: a.span };
          for (const p of obj.slice(1)) v = { kind: 'attr', object: v, attr: p, span: a.span };
          const key = this.metadataKey(m, v);
          if (key) this.setConvention(key, m, a.value);
        }
      }
      for (const c of m.classes) {
        const md = c.body.find((s) => s.name === 'metadata' && s.value?.kind === 'call');
        if (md?.value?.kind === 'call') {
          const nc = kwarg(md.value, 'naming_convention');
          if (nc) this.setConvention(`cls:${m.file}:${c.name}`, m, nc);
        }
      }
    }
  }

  private setConvention(key: string, module: ModuleInfo, v: Expr): void {
    let d = strDict(v);
    if (!d && v.kind === 'name') {
      const r = this.project.resolveName(module, v.name);
      if (r?.kind === 'value') d = strDict(r.value);
    }
    const conv: NamingConvention = new Map([['ix', 'ix_%(column_0_label)s']]);
    if (!d) {
      conv.set('?', 'unknown');
      this.conventions.set(key, conv);
      return;
    }
    for (const [k, val] of d) {
      const s = str(val);
      if (s === null) conv.set('?', 'unknown');
      else conv.set(k === 'index' ? 'ix' : k === 'unique' ? 'uq' : k === 'foreign_key' ? 'fk' : k === 'primary_key' ? 'pk' : k === 'check' ? 'ck' : k, s);
    }
    this.conventions.set(key, conv);
  }

  /** Every table model and Table(...) defined in the given modules. */
  tablesIn(modules: ModuleInfo[]): TableModel[] {
    const out: TableModel[] = [];
    this.stiModules = new Set([...this.project.reached, ...modules]);
    for (const m of modules) {
      for (const cls of m.classes) {
        const t = this.tableOfClass(cls, m);
        if (t) out.push(t);
      }
      for (const a of m.assignments) {
        if (a.value.kind !== 'call' || !/(^|\.)Table$/.test(this.qualify(m)(a.value.callee) ?? '')) continue;
        const t = this.tableOfTableCall(a.value, m, a.target ?? 'Table');
        if (t) out.push(t);
      }
    }
    return out;
  }

  private origin(module: ModuleInfo, span: { start: number; end: number }): Origin {
    return { file: module.file, start: span.start, end: span.end };
  }

  private tableOfTableCall(call: Call, m: ModuleInfo, label: string): TableModel | null {
    const name = str(call.args[0]);
    const metaKey = call.args[1] ? this.metadataKey(m, call.args[1]) : null;
    const schema = str(kwarg(call, 'schema'));
    const origin = this.origin(m, call.span);
    if (name === null) {
      this.unknown.push({ table: label, column: null, reason: 'Table(...) name is not a literal', origin });
      return null;
    }
    const table = newTable(name, schema, origin);
    if (kwarg(call, 'schema') && schema === null) table.unknown = 'schema= is not a literal';
    for (const item of call.args.slice(2)) this.addItem(table, readTableItem(item, this.qualify(m), this.enumNamer(m)), m);
    if (call.star) table.unknown ??= 'Table(...) is built with *args';
    return { className: label, module: m, cls: null, metaKey, table };
  }

  private enumNamer(m: ModuleInfo): (v: Expr) => string | null {
    return (v: Expr) => {
      const r = this.classOf(m, v);
      return r?.kind === 'class' && this.kindOf(r.cls, r.module) === 'enum' ? r.cls.name.toLowerCase() : null;
    };
  }

  private addItem(table: SchemaTable, item: TableItem, m: ModuleInfo, columnOrigin?: Origin): void {
    const origin = this.origin(m, item.value.span);
    switch (item.kind) {
      case 'column': {
        if (!item.column.name) {
          table.unknown ??= 'a column has no literal name';
          return;
        }
        this.addColumn(table, item.column.name, item.column, columnOrigin ?? origin, item.column.type === null && item.column.typeValue !== null);
        return;
      }
      case 'index':
        if (item.name === null) {
          table.unknown ??= 'an Index has no literal name';
          return;
        }
        table.indexes.push({ name: item.name, columns: item.columns, unique: item.unique, expressions: item.expressions, origin });
        return;
      case 'unique':
        table.uniques.push({ name: item.name, columns: item.columns, origin });
        return;
      case 'pk':
        markPrimaryKey(table, item.columns);
        return;
      case 'fk':
        table.foreignKeys.push(foreignKeyOf(item, item.name, origin));
        return;
      case 'check':
        return;
      case 'unknown':
        table.unknown ??= `a table argument is not statically known (${m.text.slice(item.value.span.start, Math.min(item.value.span.end, item.value.span.start + 60))})`;
    }
  }

  /** Adds a column read from Column(...)/mapped_column(...), with its inline index, unique and foreign keys. */
  private addColumn(table: SchemaTable, name: string, c: ColumnParts, origin: Origin, typeUnknown: boolean, nullableDefault?: boolean | null): void {
    if (c.unknown) {
      table.unknownColumns.set(name, c.unknown);
      return;
    }
    const pk = c.primaryKey === true;
    let nullable: boolean | null;
    if (c.nullable === undefined) nullable = nullableDefault !== undefined ? nullableDefault : !pk;
    else nullable = c.nullable;
    if (pk && c.nullable === undefined) nullable = false;
    table.columns.set(name, { name, type: typeUnknown ? null : c.type, nullable, primaryKey: pk, origin });
    if (c.index) table.indexes.push({ name: `\0ix:${name}`, columns: [name], unique: !!c.unique, expressions: false, origin });
    else if (c.unique) table.uniques.push({ name: null, columns: [name], origin });
    for (const fk of c.foreignKeys) table.foreignKeys.push(foreignKeyOf({ ...fk, columns: [name], refs: [fk.target] }, fk.name, origin));
  }

  private tableOfClass(cls: ClassDef, m: ModuleInfo): TableModel | null {
    const kind = this.kindOf(cls, m);
    if (kind === 'sqlmodel') {
      const tableKw = cls.keywords.find((k) => k.name === 'table');
      if (!tableKw) return null;
      const isTable = literalBool(tableKw.value);
      if (isTable === null) {
        this.unknown.push({ table: cls.name, column: null, reason: 'table= is not a literal', origin: this.origin(m, cls.nameSpan) });
        return null;
      }
      if (!isTable) return null;
      return this.sqlmodelTable(cls, m);
    }
    if (kind === 'declarative') return this.declarativeTable(cls, m);
    return null;
  }

  /** `__tablename__` through the MRO: a literal, SQLModel's default (the class name lower-cased), or unknown. */
  private tableName(cls: ClassDef, m: ModuleInfo, sqlmodel: boolean): { name: string | null; reason: string | null } {
    for (const { cls: c } of sqlmodel ? this.mro(cls, m) : this.ownChain(cls, m)) {
      const s = c.body.find((x) => x.name === '__tablename__');
      if (!s) continue;
      if (s.method) return { name: null, reason: s.method.declaredAttr ? '__tablename__ comes from @declared_attr' : '__tablename__ is computed' };
      const v = str(s.value ?? undefined);
      return v === null ? { name: null, reason: '__tablename__ is not a literal string' } : { name: v, reason: null };
    }
    return sqlmodel ? { name: cls.name.toLowerCase(), reason: null } : { name: null, reason: null };
  }

  private tableArgs(cls: ClassDef, m: ModuleInfo, table: SchemaTable, chain = this.mro(cls, m)): void {
    for (const { cls: c, module } of chain) {
      const s = c.body.find((x) => x.name === '__table_args__');
      if (!s) continue;
      if (s.method) {
        table.unknown ??= '__table_args__ comes from @declared_attr';
        return;
      }
      const v = s.value;
      if (!v) return;
      const parts = items(v) ?? (v.kind === 'dict' ? [v] : null);
      if (!parts) {
        table.unknown ??= '__table_args__ is not a literal tuple or dict';
        return;
      }
      for (const p of parts) {
        if (p.kind === 'dict') {
          const d = strDict(p);
          const schema = d?.get('schema');
          if (!d) table.unknown ??= '__table_args__ options are not literal';
          else if (schema) {
            const sv = str(schema);
            if (sv === null) table.unknown ??= 'schema is not a literal';
            else {
              table.schema = sv === 'public' ? null : sv;
              table.key = table.schema ? `${table.schema}.${table.name}` : table.name;
            }
          }
          continue;
        }
        this.addItem(table, readTableItem(p, this.qualify(module), this.enumNamer(module)), module);
      }
      return;
    }
  }

  private sqlmodelTable(cls: ClassDef, m: ModuleInfo): TableModel | null {
    const { name, reason } = this.tableName(cls, m, true);
    const origin = this.origin(m, cls.nameSpan);
    if (name === null) {
      this.unknown.push({ table: cls.name, column: null, reason: reason ?? 'no table name', origin });
      return null;
    }
    const table = newTable(name, null, origin);
    // Fields in pydantic's order: the bases' first (furthest base first), a redefinition keeping its place.
    const fields = new Map<string, { stmt: ClassStmt; module: ModuleInfo }>();
    const chain = this.mro(cls, m);
    for (const { cls: c, module } of [...chain].reverse()) {
      if (c !== cls && this.kindOf(c, module) === 'sqlmodel' && c.keywords.some((k) => k.name === 'table' && literalBool(k.value) === true)) {
        // Inheriting from a table model: SQLModel does not support it; the columns are not ours to guess.
        table.unknown ??= `inherits from the table model ${c.name}`;
      }
      for (const s of c.body) {
        if (s.method || !s.annotation) continue;
        fields.set(s.name, { stmt: s, module });
      }
    }
    this.tableArgs(cls, m, table, chain);
    for (const [fname, { stmt, module }] of fields) this.sqlmodelField(table, fname, stmt, module);
    table.openColumns = this.openReason(chain);
    this.tableOfCls.set(cls, table);
    return { className: cls.name, module: m, cls, metaKey: this.sqlmodelMetaKey(cls, m), table };
  }

  private sqlmodelMetaKey(cls: ClassDef, m: ModuleInfo): string {
    const md = cls.keywords.find((k) => k.name === 'metadata');
    return md ? (this.metadataKey(m, md.value) ?? 'unknown') : 'sqlmodel';
  }

  /** Strips Optional/Union/| None/Annotated; returns the inner annotation and whether None was in the union. */
  private unwrap(module: ModuleInfo, ann: Expr): { inner: Expr | null; optional: boolean; classVar: boolean; annotatedMeta: Expr[] } {
    const q = (v: Expr) => this.qualify(module)(v) ?? '';
    const text = plainString(ann);
    if (text !== null) {
      // A string annotation: read what it says when it is a plain dotted name or `X | None`.
      const m = /^\s*([A-Za-z_][\w.]*)\s*(\|\s*None\s*)?$/.exec(text) ?? /^\s*Optional\[\s*([A-Za-z_][\w.]*)\s*\]\s*$/.exec(text);
      if (!m) return { inner: null, optional: false, classVar: false, annotatedMeta: [] };
      const parts = m[1]!.split('.');
      let v: Expr = { kind: 'name', name: parts[0]!, span: ann.span };
      for (const p of parts.slice(1)) v = { kind: 'attr', object: v, attr: p, span: ann.span };
      return { inner: v, optional: !!m[2] || text.trim().startsWith('Optional'), classVar: false, annotatedMeta: [] };
    }
    if (ann.kind === 'binop' && ann.op === '|') {
      const sides = [ann.left, ann.right];
      const nonNone = sides.filter((s) => s.kind !== 'none');
      if (nonNone.length === 1 && sides.length === 2) return { ...this.unwrap(module, nonNone[0]!), optional: true };
      return { inner: null, optional: nonNone.length < sides.length, classVar: false, annotatedMeta: [] };
    }
    if (ann.kind === 'sub') {
      const head = q(ann.object);
      const last = head.slice(head.lastIndexOf('.') + 1);
      if (last === 'Optional' && ann.index.length === 1) return { ...this.unwrap(module, ann.index[0]!), optional: true };
      if (last === 'Union') {
        const nonNone = ann.index.filter((s) => s.kind !== 'none');
        if (nonNone.length === 1) return { ...this.unwrap(module, nonNone[0]!), optional: nonNone.length < ann.index.length };
        return { inner: null, optional: nonNone.length < ann.index.length, classVar: false, annotatedMeta: [] };
      }
      if (last === 'Annotated' && ann.index.length >= 1) {
        const r = this.unwrap(module, ann.index[0]!);
        return { ...r, annotatedMeta: ann.index.slice(1) };
      }
      if (last === 'ClassVar') return { inner: null, optional: false, classVar: true, annotatedMeta: [] };
    }
    return { inner: ann, optional: false, classVar: false, annotatedMeta: [] };
  }

  /** What SQLModel's get_sqlalchemy_type gives an annotation, or a reason it is unknown. */
  private sqlmodelType(module: ModuleInfo, inner: Expr | null, field: Call | null): { type: PyType | null; reason: string | null } {
    if (!inner) return { type: null, reason: 'the annotation is not a single type SQLModel maps' };
    const r = this.classOf(module, inner);
    const fkw = (n: string) => (field ? kwarg(field, n) : undefined);
    if (r?.kind === 'class') {
      const k = this.kindOf(r.cls, r.module);
      if (k === 'enum') {
        const strSub = r.cls.bases.some((b) => this.qualify(r.module)(b) === 'builtins.str');
        // Before the pydantic-2 rewrite SQLModel tested `str` before `Enum`: a `str, Enum` became AutoString.
        if (strSub && !this.generation.enumFirst) return { type: { kind: 'str', maxLength: integer(fkw('max_length')) }, reason: null };
        return { type: { kind: 'enum', name: r.cls.name.toLowerCase(), strSubclass: strSub }, reason: null };
      }
      return { type: null, reason: `${r.cls.name} is no type SQLModel maps to a column` };
    }
    if (r?.kind === 'external') {
      const t = pyTypeOf(r.qname);
      if (!t) return { type: null, reason: `${r.qname} is no type SQLModel maps to a column` };
      if (t.kind === 'str') {
        const ml = fkw('max_length');
        if (ml && integer(ml) === null) return { type: null, reason: 'max_length is not a literal' };
        return { type: { kind: 'str', maxLength: integer(ml) }, reason: null };
      }
      if (t.kind === 'decimal') {
        const p = fkw('max_digits');
        const s = fkw('decimal_places');
        if ((p && integer(p) === null) || (s && integer(s) === null)) return { type: null, reason: 'max_digits/decimal_places are not literals' };
        return { type: { kind: 'decimal', precision: integer(p), scale: integer(s) }, reason: null };
      }
      return { type: t, reason: null };
    }
    return { type: null, reason: 'the annotation names a type the reader cannot resolve' };
  }

  private sqlmodelField(table: SchemaTable, name: string, stmt: ClassStmt, module: ModuleInfo): void {
    if (name.startsWith('_') || name === 'model_config') return;
    const { inner, optional, classVar } = this.unwrap(module, stmt.annotation!);
    if (classVar) return;
    const origin = this.origin(module, stmt.span);
    const value = stmt.value;
    const fn = value?.kind === 'call' ? (this.qualify(module)(value.callee) ?? '') : '';
    const fnLast = fn.slice(fn.lastIndexOf('.') + 1);
    if (fnLast === 'Relationship' || fnLast === 'relationship') return;
    // A list/dict annotation without Field: SQLModel raises on it unless it is a relationship; not a column here.
    const field = value?.kind === 'call' && fnLast === 'Field' ? value : null;
    if (field?.star) {
      table.unknownColumns.set(name, 'Field(...) is built with **kwargs');
      return;
    }
    const fk = (n: string) => (field ? kwarg(field, n) : undefined);
    const saColumn = fk('sa_column');
    if (saColumn) {
      if (saColumn.kind !== 'call' || !/(^|\.)Column$/.test(this.qualify(module)(saColumn.callee) ?? '')) {
        table.unknownColumns.set(name, 'sa_column is not a Column(...) call');
        return;
      }
      const c = readColumn(saColumn, this.qualify(module), this.enumNamer(module));
      this.addColumn(table, c.name ?? name, c, origin, c.type === null);
      return;
    }
    const flag = (n: string): boolean | null | undefined => {
      const v = fk(n);
      if (!v) return undefined;
      return literalBool(v);
    };
    const pk = flag('primary_key');
    const nullableKw = flag('nullable');
    const index = flag('index');
    const unique = flag('unique');
    if (pk === null || nullableKw === null || index === null || unique === null) {
      table.unknownColumns.set(name, 'a Field flag is not a literal');
      return;
    }
    let ddl: string | null;
    const saType = fk('sa_type');
    if (saType) {
      ddl = sqlTypeOf(saType, this.qualify(module), this.enumNamer(module));
    } else {
      const t = this.sqlmodelType(module, inner, field);
      if (!t.type) {
        table.unknownColumns.set(name, t.reason ?? 'type not known');
        return;
      }
      ddl = pyTypeDdl(t.type);
    }
    // Nullability as SQLModel decides it in the pinned generation (see orm/versions.ts).
    let nullable: boolean;
    const defaultValue = field ? (kwarg(field, 'default') ?? field.args[0]) : value;
    const hasFactory = !!fk('default_factory');
    const explicitRequired = defaultValue?.kind === 'other' && module.text.slice(defaultValue.span.start, defaultValue.span.end) === '...';
    if (this.generation.pydantic === 1) {
      const required = explicitRequired || (!defaultValue && !hasFactory && !optional);
      const allowNone = optional || defaultValue?.kind === 'none';
      nullable = !required && allowNone;
    } else {
      nullable = optional;
    }
    if (pk) nullable = false;
    if (nullableKw !== undefined) nullable = nullableKw;
    table.columns.set(name, { name, type: ddl, nullable, primaryKey: !!pk, origin });
    if (index) table.indexes.push({ name: `\0ix:${name}`, columns: [name], unique: !!unique, expressions: false, origin });
    else if (unique) table.uniques.push({ name: null, columns: [name], origin });
    const fkTarget = fk('foreign_key');
    if (fkTarget) {
      const target = str(fkTarget);
      if (target === null) {
        table.unknownColumns.set(name, 'foreign_key is not a literal');
        return;
      }
      const t = splitTarget(target);
      const ondelete = fk('ondelete');
      table.foreignKeys.push({ name: null, columns: [name], refTable: t.table, refColumns: [t.column], ondelete: ondelete ? str(ondelete) : null, onupdate: null, deferrable: null, origin });
    }
    const extra = fk('sa_column_kwargs');
    if (extra) {
      const d = strDict(extra);
      if (!d) table.unknownColumns.set(name, 'sa_column_kwargs is not a literal dict');
      else {
        const col = table.columns.get(name)!;
        for (const [k, v] of d) {
          if (k === 'nullable') col.nullable = literalBool(v);
          if (k === 'name') {
            const n = str(v);
            if (n === null) table.unknownColumns.set(name, 'the column name is not a literal');
            else {
              table.columns.delete(name);
              table.columns.set(n, { ...col, name: n });
            }
          }
          if (k === 'unique' || k === 'index' || k === 'primary_key') table.unknownColumns.set(name, `${k} in sa_column_kwargs is not read`);
        }
      }
    }
  }

  private declarativeTable(cls: ClassDef, m: ModuleInfo): TableModel | null {
    if (this.isAbstract(cls)) return null;
    const chain = this.ownChain(cls, m);
    const origin = this.origin(m, cls.nameSpan);
    const metaKey = this.declarativeKey(cls, m);
    const tableAttr = cls.body.find((s) => s.name === '__table__');
    if (tableAttr?.value?.kind === 'call' && /(^|\.)Table$/.test(this.qualify(m)(tableAttr.value.callee) ?? '')) {
      const t = this.tableOfTableCall(tableAttr.value, m, cls.name);
      return t ? { ...t, className: cls.name, cls, metaKey } : null;
    }
    const { name, reason } = this.tableName(cls, m, false);
    if (name === null) {
      // No __tablename__ of its own: single-table inheritance (its columns go to the parent's table, read
      // there), or a dynamic name.
      if (reason) this.unknown.push({ table: cls.name, column: null, reason, origin });
      return null;
    }
    const table = newTable(name, null, origin);
    this.tableArgs(cls, m, table, chain);
    const seen = new Set<string>();
    const addAttrs = (links: { cls: ClassDef; module: ModuleInfo }[]) => {
      for (const { cls: c, module } of links) {
        for (const s of c.body) {
          if (seen.has(s.name) || s.name.startsWith('__')) continue;
          seen.add(s.name);
          if (s.method) {
            if (s.method.declaredAttr) table.unknownColumns.set(s.name, 'defined by @declared_attr');
            continue;
          }
          this.declarativeAttr(table, s, module);
        }
      }
    };
    addAttrs(chain);
    table.openColumns = this.openReason(chain);
    this.tableOfCls.set(cls, table);
    // Subclasses without a table of their own add their columns to this one (a name already mapped is the
    // same column: `use_existing_column`, or an error SQLAlchemy raises at import).
    const below = [...this.stiChildren(cls)];
    for (let i = 0; i < below.length && i < 1000; i++) {
      const child = below[i]!;
      this.tableOfCls.set(child.cls, table);
      const childChain = this.ownChain(child.cls, child.module);
      addAttrs(childChain);
      table.openColumns ??= this.openReason(childChain);
      below.push(...this.stiChildren(child.cls));
    }
    return { className: cls.name, module: m, cls, metaKey, table };
  }

  private declarativeAttr(table: SchemaTable, s: ClassStmt, module: ModuleInfo): void {
    const q = this.qualify(module);
    const v = s.value;
    const fn = v?.kind === 'call' ? (q(v.callee) ?? '') : '';
    const last = fn.slice(fn.lastIndexOf('.') + 1);
    const origin = this.origin(module, s.span);
    let mappedType: { inner: Expr | null; optional: boolean } | null = null;
    if (s.annotation) {
      const a = s.annotation;
      const head = a.kind === 'sub' ? (q(a.object) ?? '') : '';
      if (a.kind === 'sub' && /(^|\.)Mapped$/.test(head) && a.index.length === 1) mappedType = this.unwrap(module, a.index[0]!);
    }
    if (last === 'Column' || last === 'mapped_column') {
      const c = readColumn(v as Call, q, this.enumNamer(module));
      let typeUnknown = c.type === null && c.typeValue !== null;
      let nullableDefault: boolean | null | undefined;
      if (last === 'mapped_column' && mappedType) {
        if (!c.typeValue) {
          const t = this.annotationSqlaType(module, mappedType.inner);
          c.type = t;
          typeUnknown = t === null;
        }
        nullableDefault = c.primaryKey ? false : mappedType.optional;
      }
      if (c.typeValue === null && !mappedType && c.foreignKeys.length === 0) typeUnknown = true;
      this.addColumn(table, c.name ?? s.name, c, origin, typeUnknown, nullableDefault);
      return;
    }
    if (!v && mappedType) {
      // `x: Mapped[int]` alone is a column with the annotation's type.
      const t = this.annotationSqlaType(module, mappedType.inner);
      table.columns.set(s.name, { name: s.name, type: t, nullable: mappedType.optional, primaryKey: false, origin });
      return;
    }
    if (v && mappedType && !/(^|\.)(relationship|column_property|synonym|deferred|composite|association_proxy|query_expression|dynamic_loader|backref)$/.test(fn)) {
      table.unknownColumns.set(s.name, 'a mapped attribute the reader cannot follow');
    }
  }

  /**
   * `Index("ix_name", Model.col, ...)` at module level (assigned or not): SQLAlchemy attaches it to the
   * table of the columns it names. Read when every column is a mapped class's attribute on one known table.
   */
  standaloneIndexes(modules: ModuleInfo[]): void {
    for (const m of modules) {
      const calls = [...m.topCalls, ...m.assignments.map((a) => a.value)];
      for (const call of calls) {
        if (call.kind !== 'call' || !/^sqlalchemy(\.sql)?(\.schema)?\.Index$/.test(this.qualify(m)(call.callee) ?? '')) continue;
        let table: SchemaTable | null = null;
        const columns: string[] = [];
        let expressions = !!call.star;
        for (const a of call.args.slice(1)) {
          const r = a.kind === 'attr' ? this.classOf(m, a.object) : null;
          const t = r?.kind === 'class' ? this.tableOfCls.get(r.cls) : undefined;
          if (a.kind !== 'attr' || !t || (table && t !== table)) {
            expressions = true;
            continue;
          }
          table = t;
          columns.push(a.attr);
        }
        if (!table) continue;
        const name = str(call.args[0]);
        const origin = this.origin(m, call.span);
        if (name === null) {
          table.unknown ??= 'a standalone Index(...) has no literal name';
          continue;
        }
        // An attribute named otherwise than its column (`mapped_column("col")`) is not followed: unknown.
        if (columns.some((c) => !table!.columns.has(c))) expressions = true;
        table.indexes.push({ name, columns, unique: literalBool(kwarg(call, 'unique')) ?? false, expressions, origin });
      }
    }
  }

  /** SQLAlchemy's default type_annotation_map for `Mapped[X]`. */
  private annotationSqlaType(module: ModuleInfo, inner: Expr | null): string | null {
    if (!inner) return null;
    const r = this.classOf(module, inner);
    if (r?.kind === 'class' && this.kindOf(r.cls, r.module) === 'enum') return r.cls.name.toLowerCase();
    if (r?.kind !== 'external') return null;
    const t = pyTypeOf(r.qname);
    if (!t) return null;
    if (t.kind === 'str') return 'VARCHAR';
    if (t.kind === 'decimal') return 'NUMERIC';
    if (r.qname === 'builtins.float') return 'FLOAT';
    return t.ddl;
  }
}

/** Reads everything: target metadata, tables on it (with index names from the naming convention), unknowns. */
export function readModels(project: ModelProject, generation: Generation): ModelsRead & { reader: ModelReader } {
  const reader = new ModelReader(project, generation);
  const target = reader.targetMetadata();
  const modules = [...project.reached, project.env];
  reader.collectConventions(modules);
  const models = reader.tablesIn(project.reached);
  reader.standaloneIndexes(project.reached);
  const keys = target.kind === 'keys' ? target.keys : null;
  const tables = new Map<string, SchemaTable>();
  let convention: NamingConvention = new Map([['ix', 'ix_%(column_0_label)s']]);
  for (const k of keys ?? []) {
    const c = reader.conventions.get(k);
    if (c) convention = c;
  }
  for (const tm of models) {
    if (!keys || !tm.metaKey || !keys.has(tm.metaKey)) continue;
    const conv = reader.conventions.get(tm.metaKey) ?? convention;
    nameIndexes(tm.table, conv);
    if (conv.has('?')) tm.table.unknown ??= 'the naming convention is not statically known';
    const prev = tables.get(tm.table.key);
    if (prev) {
      reader.unknown.push({ table: tm.table.key, column: null, reason: `defined twice (${tm.className})`, origin: tm.table.origin });
      continue;
    }
    tables.set(tm.table.key, tm.table);
  }
  return { target, compareType: reader.compareType(), tables, models, convention, unknown: reader.unknown, reader };
}

/** Gives `index=True` indexes and unnamed constraints the names the naming convention gives them. */
export function nameIndexes(table: SchemaTable, conv: NamingConvention): void {
  for (const ix of table.indexes) {
    if (ix.name.startsWith('\0ix:')) {
      const n = conventionName(conv, 'ix', table.name, ix.columns);
      ix.name = n ?? `ix_${table.name}_${ix.columns[0]}`;
    }
  }
  for (const uq of table.uniques) if (uq.name === null) uq.name = conventionName(conv, 'uq', table.name, uq.columns);
  for (const fk of table.foreignKeys) {
    if (fk.name === null) fk.name = conventionName(conv, 'fk', table.name, fk.columns, { referredTable: fk.refTable, referredColumns: fk.refColumns });
  }
}
