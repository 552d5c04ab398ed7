import { defineChangeRule, q } from './change-rule.js';
import type { Change } from '../facts/changes/types.js';

/** PostgreSQL's NAMEDATALEN - 1: longer identifiers are cut to this many bytes. */
const MAX_BYTES = 63;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** The names a change gives to new things: [what, name]. */
function namesOf(c: Change): [string, string | null][] {
  switch (c.kind) {
    case 'create_table':
      return [['table', c.table], ...c.columns.map((col): [string, string | null] => ['column', col.name])];
    case 'rename_table':
      return [['table', c.to]];
    case 'add_column':
      return [['column', c.column.name]];
    case 'rename_column':
      return [['column', c.to]];
    case 'create_index':
      // The name of a column's index=True comes from SQLAlchemy's naming convention, which shortens it itself.
      return c.form === 'column' ? [] : [['index', c.index.name]];
    case 'add_constraint':
      return [['constraint', c.constraint.name]];
    default:
      return [];
  }
}

/** What becomes of a name over the limit: the id of the rule's message. */
function consequence(what: string, form: Change['form']): 'refused' | 'cutDropFails' | 'cut' {
  // SQLAlchemy refuses an explicit index or constraint name over the limit before anything runs.
  if ((what === 'index' || what === 'constraint') && form !== 'sql') return 'refused';
  return what === 'index' || what === 'constraint' ? 'cutDropFails' : 'cut';
}

/** Identifiers over 63 bytes are cut by PostgreSQL (or refused by SQLAlchemy), never kept as written. */
export default defineChangeRule({
  meta: {
    id: 'identifier-too-long',
    description: 'A table, column, index or constraint name over 63 bytes: PostgreSQL silently truncates it, and a later drop or rename by the full name fails.',
    defaultSeverity: 'error',
    fixable: false,
    help: `Choose a name of at most ${MAX_BYTES} bytes (set it explicitly in the model, e.g. \`__tablename__\`, \`Field(sa_column=Column("short_name", …))\` or the index/constraint \`name=\`).`,
    messages: {
      refused:
        'Names {a} {what} {name} of {bytes} bytes: SQLAlchemy refuses it (IdentifierError: exceeds maximum length of 63 characters) and the upgrade fails; through `op.f()` it is shortened with a hash suffix instead, so the database holds a name nobody wrote',
      // {what} is index or constraint: `op.drop_index`, `op.drop_constraint`.
      cutDropFails: `Names {a} {what} {name} of {bytes} bytes: PostgreSQL silently cuts it to ${MAX_BYTES} bytes, and a later \`op.drop_{what}\` by the full name fails in SQLAlchemy (IdentifierError)`,
      cut: `Names {a} {what} {name} of {bytes} bytes: PostgreSQL silently cuts it to ${MAX_BYTES} bytes, so the database and the models disagree on its name: autogenerate sees a {what} to drop and one to add, every time`,
    },
  },
  existingOnly: false,
  on: {
    any(c, { report }) {
      for (const [what, name] of namesOf(c)) {
        if (name === null) continue;
        const short = name.includes('.') && what === 'table' ? name.split('.').pop()! : name;
        const n = bytes(short);
        if (n <= MAX_BYTES) continue;
        report({ messageId: consequence(what, c.form), data: { a: what === 'index' ? 'an' : 'a', what, name: q(short), bytes: n } });
      }
    },
  },
});
