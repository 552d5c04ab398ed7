/** Runs the CLI in-process, with its output captured, as `migration-lint ARGS` in `cwd` would. */
import { main } from '../../src/cli/main.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export async function run(argv: string[], cwd: string, env: Record<string, string | undefined> = {}, isTTY = false): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    cwd,
    env,
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    isTTY,
  });
  return { code, stdout, stderr };
}
