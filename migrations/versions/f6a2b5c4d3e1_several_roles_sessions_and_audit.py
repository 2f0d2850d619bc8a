"""several roles per user, a session key per user, the last login, and the audit log

Revision ID: f6a2b5c4d3e1
Revises: e5f1a4b3c2d0
Create Date: 2026-12-02 19:00:00

Every user keeps the role they had, as their one row in user_roles. Going down, a user with
several roles keeps the one that allows the most (admin, supervisor, marketer, operator).
"""
import secrets

from alembic import op
import sqlalchemy as sa

revision = 'f6a2b5c4d3e1'
down_revision = 'e5f1a4b3c2d0'
branch_labels = None
depends_on = None

ROLES = ('operator', 'supervisor', 'marketer', 'admin')  # least to most allowed
ACTIONS = ('user_created', 'user_changed', 'roles_changed', 'password_reset',
           'password_changed', 'user_disabled', 'user_enabled', 'contacts_merged',
           'questionnaire_published', 'questionnaire_archived')


def upgrade():
    op.create_table(
        'user_roles',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.Enum(*ROLES, name='role', native_enum=False, length=20),
                  nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'role'))
    op.create_index('ix_user_roles_role', 'user_roles', ['role'])
    op.create_table(
        'audit_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('action', sa.Enum(*ACTIONS, name='auditaction', native_enum=False,
                                    length=40), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('subject_user_id', sa.Integer(), nullable=True),
        sa.Column('details', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id']),
        sa.ForeignKeyConstraint(['subject_user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_audit_events_at', 'audit_events', ['at'])
    op.create_index('ix_audit_events_action', 'audit_events', ['action'])
    connection = op.get_bind()
    users = sa.table('users', sa.column('id'), sa.column('role'), sa.column('session_key'))
    user_roles = sa.table('user_roles', sa.column('user_id'), sa.column('role'))
    rows = connection.execute(sa.select(users.c.id, users.c.role)).all()
    if rows:
        connection.execute(user_roles.insert(), [{'user_id': r.id, 'role': r.role} for r in rows])
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_key', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('last_login_at', sa.DateTime(), nullable=True))
    for row in rows:
        connection.execute(users.update().where(users.c.id == row.id)
                           .values(session_key=secrets.token_hex(8)))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('session_key', existing_type=sa.String(length=32), nullable=False)
        batch_op.drop_column('role')


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.String(length=20), nullable=True))
    connection = op.get_bind()
    users = sa.table('users', sa.column('id'), sa.column('role'))
    user_roles = sa.table('user_roles', sa.column('user_id'), sa.column('role'))
    held: dict[int, str] = {}
    for user_id, role in connection.execute(sa.select(user_roles.c.user_id, user_roles.c.role)):
        if ROLES.index(role) >= ROLES.index(held.get(user_id, 'operator')):
            held[user_id] = role
    for user_id, in connection.execute(sa.select(users.c.id)).all():
        connection.execute(users.update().where(users.c.id == user_id)
                           .values(role=held.get(user_id, 'operator')))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('role', existing_type=sa.String(length=20), nullable=False)
        batch_op.drop_column('last_login_at')
        batch_op.drop_column('session_key')
    op.drop_index('ix_audit_events_action', table_name='audit_events')
    op.drop_index('ix_audit_events_at', table_name='audit_events')
    op.drop_table('audit_events')
    op.drop_index('ix_user_roles_role', table_name='user_roles')
    op.drop_table('user_roles')
