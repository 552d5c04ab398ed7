import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { fixtureDir, lintDir } from './helpers.js';
import { byId, lintFixtureIds } from './message-ids.js';
import { copyTree } from '../orm/support.js';

const RULE = 'target-metadata-missing';

fixtureSuite(RULE);

describe(`${RULE}: positions in the fixtures`, () => {
  const cases: Record<string, { file: string; line: number; column: number; endLine: number; endColumn: number; messageId: string; data: Record<string, string | number>; source?: string }[]> = {
  bad: [{ file: 'alembic/env.py', line: 19, column: 19, endLine: 19, endColumn: 23, messageId: 'none', data: { count: 1, s: '', models: 'Hero', file: 'models.py' }, source: 'None' }],
  };
  it.each(Object.keys(cases))('%s', (kase) => {
    expect(lintFixtureIds(RULE, kase)).toEqual(cases[kase]!.map(({ source: _s, messageId, data, ...at }) => ({ rule: RULE, ...at, ...byId(RULE, messageId, data) })));
  });
});

describe(`${RULE}: when env.py never sets it`, () => {
  it('points at context.configure(...) when target_metadata is never assigned', () => {
    const dir = copyTree(fixtureDir(RULE, 'good'));
    const env = path.join(dir, 'alembic/env.py');
    fs.writeFileSync(env, fs.readFileSync(env, 'utf8').replace('target_metadata = SQLModel.metadata\n', '').replace(/target_metadata=target_metadata,\n/g, ''));
    const found = lintDir(dir).diagnostics.filter((d) => d.rule === RULE);
    expect(found.map((d) => [d.file, d.messageId])).toEqual([['alembic/env.py', 'unset']]);
    expect(fs.readFileSync(env, 'utf8').split('\n')[found[0]!.line - 1]).toContain('context.configure(');
  });

  it('is silent in a project without table models', () => {
    const dir = copyTree(fixtureDir(RULE, 'bad'));
    fs.writeFileSync(path.join(dir, 'models.py'), 'from sqlmodel import SQLModel\n\n\nclass HeroRead(SQLModel):\n    name: str\n');
    expect(lintDir(dir).diagnostics.filter((d) => d.rule === RULE)).toEqual([]);
  });
});
