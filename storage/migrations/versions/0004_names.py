"""one name per idea: a figure's identity is `figure_key`; a notifier holds a delivery's lease

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 16:00:00.000000
"""
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('figures', schema=None) as batch_op:
        batch_op.drop_index('ix_figures_claim_key')
        batch_op.alter_column('claim_key', new_column_name='figure_key')
    op.create_index('ix_figures_figure_key', 'figures', ['figure_key'], unique=False)
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.alter_column('claimed_by', new_column_name='lease_owner')
        batch_op.alter_column('claimed_at', new_column_name='leased_at')


def downgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.alter_column('leased_at', new_column_name='claimed_at')
        batch_op.alter_column('lease_owner', new_column_name='claimed_by')
    op.drop_index('ix_figures_figure_key', table_name='figures')
    with op.batch_alter_table('figures', schema=None) as batch_op:
        batch_op.alter_column('figure_key', new_column_name='claim_key')
    op.create_index('ix_figures_claim_key', 'figures', ['claim_key'], unique=False)
