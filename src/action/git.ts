/**
 * Making the base commit usable in the runner's checkout. actions/checkout clones one commit by default
 * (`fetch-depth: 1`), where neither the base nor the history joining it to HEAD exists; this fetches
 * what is missing, deepening in bounded steps, or fails with the one-line fix.
 */
import { environmentError } from '../errors.js';
import { tryGit } from '../git/exec.js';

const FIX = 'set `fetch-depth: 0` on actions/checkout (or run `git fetch --deepen=<n> origin` before this step)';

/** Depths tried, one fetch each: most pull requests are a few commits on top of their base. */
const DEPTHS = [50, 1000];

export interface BaseReport {
  /** The base as a full commit id. */
  commit: string;
  /** What had to be fetched, for the log. */
  fetched: string[];
}

/** Through src/git's single exec seam: argument arrays, no shell, no credential prompts. */
function runner(cwd: string) {
  return (args: string[]) => {
    const r = tryGit(cwd, args);
    return { code: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr };
  };
}

export function ensureBase(cwd: string, base: string, log: (line: string) => void): BaseReport {
  const git = runner(cwd);
  const inside = git(['rev-parse', '--is-inside-work-tree']);
  if (inside.code !== 0 || inside.stdout.trim() !== 'true') {
    throw environmentError('the workspace is not a git repository: run actions/checkout before this step');
  }
  const shallow = git(['rev-parse', '--is-shallow-repository']).stdout.trim() === 'true';
  const head = git(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']).stdout.trim();
  if (!head) throw environmentError('the repository has no commit checked out: run actions/checkout before this step');
  const fetched: string[] = [];
  const resolve = () => git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${base}^{commit}`]).stdout.trim();
  const joined = (commit: string) => git(['merge-base', '--end-of-options', commit, head]).code === 0;

  let commit = resolve();
  if (commit && joined(commit)) return { commit, fetched };
  if (!shallow && commit) {
    throw environmentError(`the base ${base} shares no history with HEAD: check the 'base' input`);
  }
  if (!shallow && !commit && !/^[0-9a-f]{40}$/i.test(base)) {
    throw environmentError(`the base ${base} is not a commit of this repository: check the 'base' input`);
  }
  // A full clone only lacks the base commit (a force-pushed base, a fork's branch): fetch it alone. A shallow
  // one lacks history too: fetch the base and HEAD's history together, deeper each time.
  const attempts: (number | null)[] = shallow ? DEPTHS : [null];
  for (const depth of attempts) {
    const args = ['fetch', '--no-tags', '--no-recurse-submodules', ...(depth ? [`--depth=${depth}`] : []), 'origin', '--', base, ...(depth ? [head] : [])];
    log(depth ? `Fetching ${base} and the last ${depth} commits of HEAD (the checkout is shallow)` : `Fetching ${base} (the checkout lacks it)`);
    const r = git(args);
    fetched.push(depth ? `depth ${depth}` : 'base');
    if (r.code !== 0) {
      throw environmentError(`cannot fetch the base ${base} into this ${shallow ? 'shallow ' : ''}checkout (${r.stderr || `git exit code ${r.code}`}): ${FIX}`);
    }
    commit = commit || resolve();
    if (commit && joined(commit)) return { commit, fetched };
  }
  if (!shallow) throw environmentError(`the base ${base} shares no history with HEAD: check the 'base' input`);
  throw environmentError(`the base ${base} is more than ${DEPTHS[DEPTHS.length - 1]} commits behind HEAD in this shallow checkout: ${FIX}`);
}
