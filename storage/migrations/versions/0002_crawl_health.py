"""crawl health: parser health per page, syndicated duplicates, pages by source and state

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 10:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('pages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parse_missing', sa.String(length=100), nullable=True))
        batch_op.create_index('ix_pages_source_state', ['source_id', 'state'], unique=False)
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duplicate_of_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_articles_duplicate_of_id'), ['duplicate_of_id'],
                              unique=False)
        batch_op.create_foreign_key('fk_articles_duplicate_of_id_articles', 'articles',
                                    ['duplicate_of_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_constraint('fk_articles_duplicate_of_id_articles', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_articles_duplicate_of_id'))
        batch_op.drop_column('duplicate_of_id')
    with op.batch_alter_table('pages', schema=None) as batch_op:
        batch_op.drop_index('ix_pages_source_state')
        batch_op.drop_column('parse_missing')
