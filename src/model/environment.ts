/** An Alembic environment: as discovery finds it on disk, and as the rules see it. */

/** What discovery found: absolute paths, before anything is read. */
export interface DiscoveredEnvironment {
  /** `[section] path/alembic.ini` when one ini holds several environments, else the first versions folder. */
  name: string;
  /** Absolute version folders. */
  versionDirs: string[];
  recursive: boolean;
  /** Absolute path of script.py.mako, when the environment has one. */
  templatePath: string | null;
  fileTemplate: string | null;
  /** Where the environment lives (the ini's folder, else the script location), for project-kind hints. */
  root: string;
  /**
   * Where Alembic is run from, when not the ini's folder: a folder above it from which the relative
   * `script_location` resolves (`alembic -c backend/alembic.ini` at the repository's top). `prepend_sys_path`
   * and the model imports resolve from it too.
   */
  runDir?: string;
  /** Absolute paths of the migrations, as Alembic would load them. */
  files: string[];
}

/** The environment as rules see it: relative paths, and the texts of its template and env.py. */
export interface Environment {
  /** A label for messages: the versions folder, or the alembic.ini section. */
  name: string;
  /** Version folders, relative to the working directory. */
  versions: string[];
  /** script.py.mako beside the versions folder, when there is one. */
  template: { path: string; text: string } | null;
  /** env.py beside the versions folder, when there is one (the lock rules read its `lock_timeout`). */
  envPy: { path: string; text: string } | null;
  /** Alembic's `file_template`, for reading revision ids out of file names. */
  fileTemplate: string | null;
}
