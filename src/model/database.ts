/** What a database's `alembic_version` says about one environment's revisions (db/applied.ts builds it). */
export interface DatabaseView {
  /** The URL as it may be shown (password masked). */
  shownUrl: string;
  /** What `alembic_version` records, as read. */
  recorded: string[];
  /** Recorded revisions that this environment defines. */
  current: string[];
  /** Revisions applied in the database (recorded ones and everything they stand on). */
  applied: Set<string>;
  /** Recorded revisions that no file of any environment defines. */
  missing: string[];
  /** Revisions of this environment not yet applied, parents before children. */
  pending: string[];
}

/** What `--database-url` read: the URL to show (password masked) and the rows of `alembic_version`. */
export interface DatabaseRecord {
  shownUrl: string;
  recorded: string[];
}
