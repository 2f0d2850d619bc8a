"""a version per user, against an admin's stale form

Revision ID: a7c3d6e5f4b2
Revises: f6a2b5c4d3e1
Create Date: 2026-12-02 22:30:00

Every existing user starts at version 1, as a new one does.
"""
from alembic import op
import sqlalchemy as sa

revision = 'a7c3d6e5f4b2'
down_revision = 'f6a2b5c4d3e1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('version')
