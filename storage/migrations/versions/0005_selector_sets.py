"""selector sets: which set of a source's selectors parsed each page, and what the others lacked

Revision ID: 0005a
Revises: 0004
Create Date: 2026-11-26 18:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0005a'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('pages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('selector_set', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('selector_misses', sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('pages', schema=None) as batch_op:
        batch_op.drop_column('selector_misses')
        batch_op.drop_column('selector_set')
