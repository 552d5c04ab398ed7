/**
 * What the triggering event says about the change: the base to compare with, the commit that check runs
 * and links belong to, and the pull request to comment on. Read from the webhook payload the runner saved.
 */

export interface ChangeRange {
  /** The applied baseline (a commit), or null to lint every migration. */
  base: string | null;
  /** Where the base came from, for the log. */
  baseFrom: string;
  /** The commit check runs attach to and links point into: a pull request's head, not its merge commit. */
  headSha: string;
  pullNumber: number | null;
}

interface Payload {
  pull_request?: { number?: number; base?: { sha?: string }; head?: { sha?: string } };
  before?: string;
  after?: string;
  inputs?: Record<string, unknown> | null;
  merge_group?: { base_sha?: string; head_sha?: string };
}

const NO_COMMIT = /^0+$/;

/** `baseInput` is the Action's `base` input, which wins over the event. */
export function changeRange(eventName: string, payload: Payload, sha: string, baseInput: string): ChangeRange {
  const pr = payload.pull_request;
  const out: ChangeRange = { base: null, baseFrom: 'none: every migration is linted', headSha: sha, pullNumber: null };
  if (pr && (eventName === 'pull_request' || eventName === 'pull_request_target' || eventName === 'pull_request_review')) {
    out.pullNumber = typeof pr.number === 'number' ? pr.number : null;
    if (pr.head?.sha) out.headSha = pr.head.sha;
    if (pr.base?.sha) {
      out.base = pr.base.sha;
      out.baseFrom = "the pull request's base";
    }
  } else if (eventName === 'push') {
    if (payload.after) out.headSha = payload.after;
    // A new branch has no "before": everything on it is new to this push, so lint it all.
    if (payload.before && !NO_COMMIT.test(payload.before)) {
      out.base = payload.before;
      out.baseFrom = 'the commit before the push';
    }
  } else if (eventName === 'merge_group' && payload.merge_group) {
    if (payload.merge_group.head_sha) out.headSha = payload.merge_group.head_sha;
    if (payload.merge_group.base_sha) {
      out.base = payload.merge_group.base_sha;
      out.baseFrom = "the merge group's base";
    }
  } else if (eventName === 'workflow_dispatch') {
    const b = payload.inputs?.base;
    if (typeof b === 'string' && b.trim()) {
      out.base = b.trim();
      out.baseFrom = "the workflow_dispatch input 'base'";
    }
  }
  if (baseInput.trim()) {
    out.base = baseInput.trim();
    out.baseFrom = "the input 'base'";
  }
  return out;
}
