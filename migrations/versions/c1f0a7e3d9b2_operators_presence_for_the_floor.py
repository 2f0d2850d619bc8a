"""operators' presence for the floor; the caller's wait in a queue

When an operator's agent state was set, when a page of theirs last beat over its socket, and
since when they have had a page open (cleared after a minute without one): the live floor
reads them. Nothing to fill: everyone starts offline until a page opens. And how long a
queue call's caller waited before an operator took it (AgentConnect's HoldTime): unknown for
the calls before.

Revision ID: c1f0a7e3d9b2
Revises: b9fab3931b44
Create Date: 2026-12-07 23:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c1f0a7e3d9b2'
down_revision = 'b9fab3931b44'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agent_state_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('page_seen_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('online_since', sa.DateTime(), nullable=True))
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queue_wait_seconds', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_column('queue_wait_seconds')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('online_since')
        batch_op.drop_column('page_seen_at')
        batch_op.drop_column('agent_state_at')
