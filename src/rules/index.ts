/**
 * The rule registry: one entry per rule file. A test checks that every rule here has its docs page,
 * fixtures and README row, and that its id matches its file name.
 */
import type { Rule } from './types.js';
import appliedMigrationEdited from './applied-migration-edited.js';
import destructiveOperation from './destructive-operation.js';
import duplicateRevision from './duplicate-revision.js';
import emptyMigration from './empty-migration.js';
import invalidSuppression from './invalid-suppression.js';
import manualMigration from './manual-migration.js';
import missingSqlmodelImport from './missing-sqlmodel-import.js';
import multipleHeads from './multiple-heads.js';
import notNullWithoutDefault from './not-null-without-default.js';
import parseError from './parse-error.js';
import internalError from './internal-error.js';
import rawSql from './raw-sql.js';
import revisionMismatch from './revision-mismatch.js';
import templateMissingSqlmodelImport from './template-missing-sqlmodel-import.js';
import unknownDownRevision from './unknown-down-revision.js';
import unnamedConstraint from './unnamed-constraint.js';
import vagueMessage from './vague-message.js';
import indexNotConcurrent from './index-not-concurrent.js';
import concurrentIndexInTransaction from './concurrent-index-in-transaction.js';
import constraintValidatedUnderLock from './constraint-validated-under-lock.js';
import setNotNull from './set-not-null.js';
import columnTypeChange from './column-type-change.js';
import volatileDefault from './volatile-default.js';
import uniqueOnExistingTable from './unique-on-existing-table.js';
import missingLockTimeout from './missing-lock-timeout.js';
import undefinedName from './undefined-name.js';
import revisionCycle from './revision-cycle.js';
import multipleBases from './multiple-bases.js';
import databaseRevisionMissing from './database-revision-missing.js';

// Rules take their own option types; the registry only needs the common shape.
export const rules: Rule[] = [
  missingSqlmodelImport,
  templateMissingSqlmodelImport,
  emptyMigration,
  manualMigration,
  appliedMigrationEdited,
  destructiveOperation,
  rawSql,
  notNullWithoutDefault,
  unnamedConstraint,
  vagueMessage,
  multipleHeads,
  unknownDownRevision,
  duplicateRevision,
  revisionMismatch,
  undefinedName,
  revisionCycle,
  multipleBases,
  databaseRevisionMissing,
  indexNotConcurrent,
  concurrentIndexInTransaction,
  constraintValidatedUnderLock,
  setNotNull,
  columnTypeChange,
  volatileDefault,
  uniqueOnExistingTable,
  missingLockTimeout,
  parseError,
  internalError,
  invalidSuppression,
] as Rule[];

export const ruleById = new Map(rules.map((r) => [r.meta.id, r]));
