import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../src/facts/extract.js';

/** Alembic's multidb template with an empty engine name: `upgrade(engine_name='')` calls `upgrade_()`. */
const TEXT = `from alembic import op
import sqlalchemy as sa

revision = 'a1'
down_revision = None


def upgrade(engine_name: str = "") -> None:
    globals()[f"upgrade_{engine_name}"]()


def downgrade(engine_name: str = "") -> None:
    globals()[f"downgrade_{engine_name}"]()


def upgrade_() -> None:
    op.drop_column('hero', 'power')


def downgrade_() -> None:
    op.add_column('hero', sa.Column('power', sa.Integer()))
`;

describe('multidb dispatcher with an empty engine name', () => {
  it('reads upgrade_() and downgrade_() as bodies, and upgrade()/downgrade() as their dispatchers', () => {
    const facts = extractFacts(TEXT);
    expect(facts.functions.map((f) => [f.name, f.kind, !!f.dispatcher])).toEqual([
      ['upgrade', 'upgrade', true],
      ['downgrade', 'downgrade', true],
      ['upgrade_', 'upgrade', false],
      ['downgrade_', 'downgrade', false],
    ]);
    // Their operations reach the rules and the summary.
    expect(facts.operations.map((o) => [o.fn, o.table, o.name])).toEqual([
      ['upgrade', 'hero', 'power'],
      ['downgrade', 'hero', 'power'],
    ]);
  });
});
