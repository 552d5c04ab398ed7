/** What the model rules announce they will read (git batches these under --staged): the project's modules, not its migrations. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover } from '../../src/discover/environments.js';
import { projectFiles } from '../../src/io/project-files.js';
import { modelInputs } from '../../src/orm/environment.js';
import { fixtureDir } from '../rules/helpers.js';

describe('modelInputs', () => {
  it("lists env.py, the ini and the project's modules, but no migration of the versions folders", () => {
    const root = fixtureDir('model-drift', 'bad');
    const denv = discover(root, [], null).environments[0]!;
    const files = projectFiles((abs) => (fs.existsSync(abs) && fs.statSync(abs).isFile() ? fs.readFileSync(abs, 'utf8') : null));
    const inputs = modelInputs(denv, files).map((f) => path.relative(root, f));
    expect(inputs).toContain('alembic/env.py');
    expect(inputs).toContain('models.py');
    expect(denv.files.length).toBeGreaterThan(0);
    expect(inputs.filter((f) => f.startsWith('alembic/versions/'))).toEqual([]);
  });
});
