import { defineRule } from './types.js';
import type { MigrationFile } from '../model/migration.js';
import { insertImportFix } from './missing-sqlmodel-import.js';
import { closest } from '../errors.js';
import type { UndefinedName } from '../model/facts.js';

/** The module aliases Alembic's templates and autogenerate write, and the import that binds each. */
export const USUAL_IMPORTS: Readonly<Record<string, string>> = {
  sa: 'import sqlalchemy as sa',
  op: 'from alembic import op',
  postgresql: 'from sqlalchemy.dialects import postgresql',
  mysql: 'from sqlalchemy.dialects import mysql',
  sqlite: 'from sqlalchemy.dialects import sqlite',
};

/** Where running the use fails: the id of the message, with `Repeated` when the name is used more than once. */
type Failure = 'atImport' | 'upgrade' | 'downgrade' | 'call';

const NAME_ERROR = "with NameError: name '{name}' is not defined";
const MESSAGES: Record<Failure | `${Failure}Repeated`, string> = {
  atImport: `\`{name}\` is not defined: importing the migration fails (every \`alembic\` command loads it) ${NAME_ERROR}`,
  atImportRepeated: `\`{name}\` is not defined ({count} uses; this is the first): importing the migration fails (every \`alembic\` command loads it) ${NAME_ERROR}`,
  upgrade: `\`{name}\` is not defined: \`alembic upgrade\` fails ${NAME_ERROR}`,
  upgradeRepeated: `\`{name}\` is not defined ({count} uses; this is the first): \`alembic upgrade\` fails ${NAME_ERROR}`,
  downgrade: `\`{name}\` is not defined: \`alembic downgrade\` fails ${NAME_ERROR}`,
  downgradeRepeated: `\`{name}\` is not defined ({count} uses; this is the first): \`alembic downgrade\` fails ${NAME_ERROR}`,
  call: `\`{name}\` is not defined: the call fails ${NAME_ERROR}`,
  callRepeated: `\`{name}\` is not defined ({count} uses; this is the first): the call fails ${NAME_ERROR}`,
};

/**
 * A name Python cannot resolve is a NameError the moment that line runs: usually `alembic upgrade` in
 * production, since nothing runs a migration before that. Autogenerate renders `sa.`, `postgresql.` and
 * custom types' module prefixes and trusts the template to import them.
 */
export default defineRule({
  meta: {
    id: 'undefined-name',
    description: 'A name the migration uses that Python will not find when it runs: `sa.`, `postgresql.` without their import, typos.',
    defaultSeverity: 'error',
    fixable: true,
    help: 'Import the name at the top of the migration (`npx migration-lint --fix` adds the usual `sa`, `op` and dialect imports), or correct the typo.',
    messages: MESSAGES,
  },
  checkFile({ file, report }) {
    const { facts } = file;
    if (facts.parseError) return;
    const byName = new Map<string, UndefinedName[]>();
    for (const u of facts.undefinedNames) {
      // missing-sqlmodel-import owns a module that never imports sqlmodel, with its own advice about the
      // template; a use before the import or after `del sqlmodel` is an undefined name like any other.
      if (u.name === 'sqlmodel' && !facts.sqlmodelBound) continue;
      const list = byName.get(u.name);
      if (list) list.push(u);
      else byName.set(u.name, [u]);
    }
    for (const [name, uses] of byName) {
      const first = uses[0]!;
      const statement = USUAL_IMPORTS[name];
      // An import fixes the name only if nothing in the module binds it already (a `del`, a late import).
      const fixable = statement !== undefined && !facts.imports.boundNames.includes(name);
      const fails = whenItFails(file, first);
      report({
        span: first.span,
        messageId: uses.length > 1 ? `${fails}Repeated` : fails,
        data: { name, count: uses.length },
        help: helpFor(name, statement, file),
        ...(fixable ? { fix: insertImportFix(file, statement) } : {}),
      });
    }
  },
});

function whenItFails(file: MigrationFile, use: UndefinedName): Failure {
  if (use.atImport) return 'atImport';
  const fn = file.facts.functions.find((f) => use.span.start >= f.span.start && use.span.end <= f.span.end);
  if (fn?.kind === 'upgrade') return 'upgrade';
  if (fn?.kind === 'downgrade') return 'downgrade';
  return 'call';
}

function helpFor(name: string, statement: string | undefined, file: MigrationFile): string {
  if (statement) return `Add \`${statement}\` with the other imports (\`npx migration-lint --fix\` does it).`;
  const near = name.length >= 4 ? closest(name, file.facts.imports.boundNames) : null;
  if (near && near !== name) return `Did you mean \`${near}\`? Otherwise import or define \`${name}\` at module level.`;
  return `Import \`${name}\` at the top of the migration (autogenerate writes custom types with their module prefix but does not import the module), or define it.`;
}
