/**
 * The rule registry, written by `npm run rules` (scripts/gen-rules.ts) from the rule files: do not edit.
 * test/registry.test.ts checks that it is current, and that every rule has its docs page and fixtures.
 */
import type { Rule } from './types.js';
import appliedMigrationEdited from './applied-migration-edited.js';
import blockingMaintenance from './blocking-maintenance.js';
import columnTypeChange from './column-type-change.js';
import concurrentIndexInTransaction from './concurrent-index-in-transaction.js';
import constraintValidatedUnderLock from './constraint-validated-under-lock.js';
import databaseRevisionMissing from './database-revision-missing.js';
import destructiveOperation from './destructive-operation.js';
import duplicateRevision from './duplicate-revision.js';
import emptyMigration from './empty-migration.js';
import exclusionConstraintOnExistingTable from './exclusion-constraint-on-existing-table.js';
import identifierTooLong from './identifier-too-long.js';
import indexNotConcurrent from './index-not-concurrent.js';
import internalError from './internal-error.js';
import invalidSuppression from './invalid-suppression.js';
import manualMigration from './manual-migration.js';
import missingLockTimeout from './missing-lock-timeout.js';
import missingSqlmodelImport from './missing-sqlmodel-import.js';
import modelDrift from './model-drift.js';
import modelNotImported from './model-not-imported.js';
import multipleBases from './multiple-bases.js';
import multipleHeads from './multiple-heads.js';
import notInTransaction from './not-in-transaction.js';
import notNullWithoutDefault from './not-null-without-default.js';
import parseError from './parse-error.js';
import rawSql from './raw-sql.js';
import revisionCycle from './revision-cycle.js';
import revisionMismatch from './revision-mismatch.js';
import rewritingColumnAdd from './rewriting-column-add.js';
import setNotNull from './set-not-null.js';
import targetMetadataMissing from './target-metadata-missing.js';
import templateMissingSqlmodelImport from './template-missing-sqlmodel-import.js';
import transactionControl from './transaction-control.js';
import undefinedName from './undefined-name.js';
import uniqueOnExistingTable from './unique-on-existing-table.js';
import unknownDownRevision from './unknown-down-revision.js';
import unnamedConstraint from './unnamed-constraint.js';
import vagueMessage from './vague-message.js';
import volatileDefault from './volatile-default.js';

// Rules take their own option types; the registry only needs the common shape.
export const rules: Rule[] = [
  appliedMigrationEdited,
  blockingMaintenance,
  columnTypeChange,
  concurrentIndexInTransaction,
  constraintValidatedUnderLock,
  databaseRevisionMissing,
  destructiveOperation,
  duplicateRevision,
  emptyMigration,
  exclusionConstraintOnExistingTable,
  identifierTooLong,
  indexNotConcurrent,
  internalError,
  invalidSuppression,
  manualMigration,
  missingLockTimeout,
  missingSqlmodelImport,
  modelDrift,
  modelNotImported,
  multipleBases,
  multipleHeads,
  notInTransaction,
  notNullWithoutDefault,
  parseError,
  rawSql,
  revisionCycle,
  revisionMismatch,
  rewritingColumnAdd,
  setNotNull,
  targetMetadataMissing,
  templateMissingSqlmodelImport,
  transactionControl,
  undefinedName,
  uniqueOnExistingTable,
  unknownDownRevision,
  unnamedConstraint,
  vagueMessage,
  volatileDefault,
] as Rule[];

export const ruleById = new Map(rules.map((r) => [r.meta.id, r]));
