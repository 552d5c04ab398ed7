"""add item title index

Revision ID: 6e0e29136622
Revises: 9f880c76005f
Create Date: 2024-01-08 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6e0e29136622'
down_revision = '9f880c76005f'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_item_title", "item", ["title"])


def downgrade() -> None:
    op.drop_index("ix_item_title", table_name="item")
