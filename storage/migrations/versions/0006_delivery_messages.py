"""which message carried a delivery (split Slack digests); a figure's quantity as written

Revision ID: 0006
Revises: 0005a
Create Date: 2026-11-26 17:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005a'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message', sa.String(length=250), nullable=True))
    with op.batch_alter_table('figures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('original', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('figures', schema=None) as batch_op:
        batch_op.drop_column('original')
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_column('message')
