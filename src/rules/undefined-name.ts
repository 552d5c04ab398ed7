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
      const more = uses.length > 1 ? ` (${uses.length} uses; this is the first)` : '';
      report({
        span: first.span,
        message: `\`${name}\` is not defined${more}: ${whenItFails(file, first)} with NameError: name '${name}' is not defined`,
        help: helpFor(name, statement, file),
        ...(fixable ? { fix: insertImportFix(file, statement) } : {}),
      });
    }
  },
});

function whenItFails(file: MigrationFile, use: UndefinedName): string {
  if (use.atImport) return 'importing the migration fails (every `alembic` command loads it)';
  const fn = file.facts.functions.find((f) => use.span.start >= f.span.start && use.span.end <= f.span.end);
  if (fn?.kind === 'upgrade') return '`alembic upgrade` fails';
  if (fn?.kind === 'downgrade') return '`alembic downgrade` fails';
  return 'the call fails';
}

function helpFor(name: string, statement: string | undefined, file: MigrationFile): string {
  if (statement) return `Add \`${statement}\` with the other imports (\`npx migration-lint --fix\` does it).`;
  const near = name.length >= 4 ? closest(name, file.facts.imports.boundNames) : null;
  if (near && near !== name) return `Did you mean \`${near}\`? Otherwise import or define \`${name}\` at module level.`;
  return `Import \`${name}\` at the top of the migration (autogenerate writes custom types with their module prefix but does not import the module), or define it.`;
}
