import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { fixtureDir, lintDir } from './helpers.js';
import { byId, lintFixtureIds } from './message-ids.js';
import { copyTree } from '../orm/support.js';

const RULE = 'model-not-imported';

fixtureSuite(RULE);

describe(`${RULE}: positions in the fixtures`, () => {
  const cases: Record<string, { file: string; line: number; column: number; endLine: number; endColumn: number; messageId: string; data: Record<string, string | number>; source?: string }[]> = {
  bad: [{ file: 'models/team.py', line: 6, column: 7, endLine: 6, endColumn: 11, messageId: 'droppedFix', data: { model: 'Team', table: 'team', where: 'models/__init__.py' }, source: 'Team(SQLModel' }],
  };
  it.each(Object.keys(cases))('%s', (kase) => {
    expect(lintFixtureIds(RULE, kase)).toEqual(cases[kase]!.map(({ source: _s, messageId, data, ...at }) => ({ rule: RULE, ...at, ...byId(RULE, messageId, data) })));
  });
});

describe(`${RULE}: --fix`, () => {
  it('adds the import to the models package, keeps every other byte, and is idempotent', () => {
    const dir = copyTree(fixtureDir(RULE, 'bad'));
    const init = path.join(dir, 'models/__init__.py');
    const before = fs.readFileSync(init, 'utf8').replace(/\n/g, '\r\n');
    fs.writeFileSync(init, before);
    const result = lintDir(dir, {}, { fix: true });
    expect(result.fixed).toEqual([{ file: 'models/__init__.py', description: 'import the model in models/__init__.py' }]);
    expect(result.diagnostics.filter((d) => d.rule === RULE || d.rule === 'model-drift')).toEqual([]);
    const after = fs.readFileSync(init, 'utf8');
    expect(after).toBe(before.replace('from .hero import Hero  # noqa: F401', 'from .hero import Hero  # noqa: F401\r\nfrom .team import Team'));
    lintDir(dir, {}, { fix: true });
    expect(fs.readFileSync(init, 'utf8')).toBe(after);
  });

  it('imports into env.py when no package above the model is reached', () => {
    const dir = copyTree(fixtureDir(RULE, 'bad'));
    fs.mkdirSync(path.join(dir, 'extra'));
    fs.writeFileSync(path.join(dir, 'extra/__init__.py'), '');
    fs.renameSync(path.join(dir, 'models/team.py'), path.join(dir, 'extra/team.py'));
    const found = lintDir(dir, {}, { fix: true });
    expect(found.fixed).toEqual([{ file: 'alembic/env.py', description: 'import the model in alembic/env.py' }]);
    expect(fs.readFileSync(path.join(dir, 'alembic/env.py'), 'utf8')).toContain('from models import SQLModel  # importing the models registers their tables\nfrom extra.team import Team  # noqa: F401\n');
    expect(found.diagnostics.filter((d) => d.rule === RULE)).toEqual([]);
  });
  it('finds the models package by `from . import hero`, the other way a package registers its modules', () => {
    const dir = copyTree(fixtureDir(RULE, 'bad'));
    const init = path.join(dir, 'models/__init__.py');
    fs.writeFileSync(init, fs.readFileSync(init, 'utf8').replace('from .hero import Hero  # noqa: F401', 'from . import hero  # noqa: F401'));
    const found = lintDir(dir, {}, { fix: true });
    expect(found.fixed).toEqual([{ file: 'models/__init__.py', description: 'import the model in models/__init__.py' }]);
    expect(fs.readFileSync(init, 'utf8')).toContain('from . import hero  # noqa: F401\nfrom .team import Team\n');
  });

  it('imports into env.py, not into a package that registers no models (the FastAPI template: app/models.py under app/)', () => {
    const dir = copyTree(fixtureDir(RULE, 'bad'));
    // app/ is reached through app.core.config, as in the template, but its __init__.py imports no model module.
    fs.mkdirSync(path.join(dir, 'app/core'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'app/__init__.py'), '');
    fs.writeFileSync(path.join(dir, 'app/core/__init__.py'), '');
    fs.writeFileSync(path.join(dir, 'app/core/config.py'), 'settings = object()\n');
    fs.renameSync(path.join(dir, 'models/team.py'), path.join(dir, 'app/models.py'));
    const env = path.join(dir, 'alembic/env.py');
    fs.writeFileSync(env, fs.readFileSync(env, 'utf8').replace('from models import SQLModel  # importing the models registers their tables', '$&\nfrom app.core.config import settings  # noqa: F401'));
    const found = lintDir(dir, {}, { fix: true });
    expect(found.fixed).toEqual([{ file: 'alembic/env.py', description: 'import the model in alembic/env.py' }]);
    expect(fs.readFileSync(path.join(dir, 'app/__init__.py'), 'utf8')).toBe('');
    expect(fs.readFileSync(env, 'utf8')).toContain('from app.core.config import settings  # noqa: F401\nfrom app.models import Team  # noqa: F401\n');
    expect(found.diagnostics.filter((d) => d.rule === RULE)).toEqual([]);
  });
});
