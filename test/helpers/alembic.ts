/**
 * Alembic's own files as the tests' projects hold them: the generic `script.py.mako` (the template
 * `alembic init` writes, Alembic 1.8 as Debian 12 ships it, with a final newline; alembic.test.ts holds it to
 * the installed one), and the SQLModel variant projects adopt so that every revision imports sqlmodel.
 */
export const STOCK_TEMPLATE = `"""\${message}

Revision ID: \${up_revision}
Revises: \${down_revision | comma,n}
Create Date: \${create_date}

"""
from alembic import op
import sqlalchemy as sa
\${imports if imports else ""}

# revision identifiers, used by Alembic.
revision = \${repr(up_revision)}
down_revision = \${repr(down_revision)}
branch_labels = \${repr(branch_labels)}
depends_on = \${repr(depends_on)}


def upgrade() -> None:
    \${upgrades if upgrades else "pass"}


def downgrade() -> None:
    \${downgrades if downgrades else "pass"}
`;

export const SQLMODEL_TEMPLATE = STOCK_TEMPLATE.replace('import sqlalchemy as sa\n', 'import sqlalchemy as sa\nimport sqlmodel\n');
