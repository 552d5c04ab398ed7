/**
 * How a run relates to git: which source the files come from (work tree, index), which files are
 * reported on, and the applied baseline for history rules. Without git flags and outside a repository,
 * this is the plain work tree with every migration reported.
 */
import type { Discovery, DiscoveredEnvironment } from '../discover/environments.js';
import { workTree, type SourceProvider } from '../engine/source.js';
import type { History } from '../rules/types.js';

export interface GitModeOptions {
  cwd: string;
  staged: boolean;
  base: string | null;
  all: boolean;
  configBaseline: string | null;
}

export interface GitMode {
  source: SourceProvider;
  discover(run: (cwd: string) => Discovery, cwd: string): Discovery;
  /** Absolute paths to report on, or null for every migration. */
  targets(envs: DiscoveredEnvironment[]): Set<string> | null;
  history(envs: DiscoveredEnvironment[]): History | null;
}

export const plainMode: GitMode = {
  source: workTree,
  discover: (run, cwd) => run(cwd),
  targets: () => null,
  history: () => null,
};

export async function prepareGitMode(_opts: GitModeOptions): Promise<GitMode> {
  return plainMode;
}
