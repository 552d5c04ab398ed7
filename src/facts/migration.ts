/**
 * Bytes → a migration file in memory: the one decode path, shared by the engine (engine/load.ts, lazily), the
 * git modes (the baseline's copy of a file) and the summary.
 */
import type { MigrationFile } from '../model/migration.js';
import { decodePython, LineIndex } from '../parse/source.js';
import { extractFacts } from './extract.js';

const UNREADABLE_HELP =
  'Alembic imports every *.py in the versions folder: make it a regular, readable Python file inside the repository, or move it out of the folder.';

export interface DecodedMigration {
  text: string;
  bom: boolean;
  decodeError: MigrationFile['decodeError'];
  /** Nothing could be read (a folder named x.py, a FIFO, a link out of the repository). */
  unreadable: boolean;
}

/**
 * The text of a migration and why it is not what Alembic would load, if it is not: `unreadable` is the reason
 * the bytes could not be read at all (then `bytes` is empty), reported as the file's parse-error.
 */
export function decodeMigration(bytes: Uint8Array, unreadable: string | null = null): DecodedMigration {
  const d = decodePython(bytes);
  const decodeError: MigrationFile['decodeError'] =
    unreadable !== null
      ? { span: { start: 0, end: 0 }, message: unreadable, help: UNREADABLE_HELP }
      : d.error
        ? { span: { start: d.error.offset, end: Math.min(d.error.offset + 1, d.text.length) }, message: d.error.message }
        : null;
  return { text: d.text, bom: d.bom, decodeError, unreadable: unreadable !== null };
}

/** A migration decoded and its facts extracted at once (engine/load.ts does the same lazily). */
export function loadMigration(rel: string, bytes: Uint8Array): { file: MigrationFile; bom: boolean; lines: LineIndex } {
  const decoded = decodeMigration(bytes);
  const lines = new LineIndex(decoded.text);
  let facts: MigrationFile['facts'];
  let internalError: string | null = null;
  try {
    facts = extractFacts(decoded.text, lines);
  } catch (err) {
    // The linter's failure on one file never stops a run (see rules/internal-error.ts): empty facts, and why.
    internalError = `reading its facts failed: ${err instanceof Error ? err.message : String(err)}`;
    facts = extractFacts('');
  }
  return { file: { path: rel, text: decoded.text, facts, decodeError: decoded.decodeError, internalError }, bom: decoded.bom, lines };
}
