/**
 * Failures, as opposed to findings: each becomes exit 2 and one line on stderr at the edge (CLI, hook,
 * Action). Findings, including unparseable files, are diagnostics and never go through here.
 */
export class MigrationLintError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly kind: 'usage' | 'config' | 'environment',
  ) {
    super(message);
    this.name = 'MigrationLintError';
  }
}

export const usageError = (message: string) => new MigrationLintError(message, 'usage');
export const configError = (message: string) => new MigrationLintError(message, 'config');
export const environmentError = (message: string) => new MigrationLintError(message, 'environment');

/** The closest candidate by edit distance, for "did you mean" hints; null when nothing is close. */
export function closest(input: string, candidates: Iterable<string>): string | null {
  let best: string | null = null;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = editDistance(input.toLowerCase(), c.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return best !== null && bestDist <= Math.max(2, Math.floor(input.length / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

export function didYouMean(input: string, candidates: Iterable<string>): string {
  const c = closest(input, candidates);
  return c ? ` (did you mean '${c}'?)` : '';
}
