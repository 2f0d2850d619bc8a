"""the contact's name in parts (last, first, middle), a version per card against stale
forms, and an account's name key (one account per name however it is typed)

Revision ID: e5f1a4b3c2d0
Revises: d4e0f3a2b9c1
Create Date: 2026-12-02 14:30:00

An existing full name is split on spaces: the first word is the last name, the second the
first name, the rest the middle name ("Уляненко Олександра" has no middle name).
"""
from alembic import op
import sqlalchemy as sa

from survey_app.names import search_key

revision = 'e5f1a4b3c2d0'
down_revision = 'd4e0f3a2b9c1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_name', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('first_name', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('middle_name', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1',
                                      nullable=False))
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f('ix_accounts_name_key'), ['name_key'], unique=False)
    connection = op.get_bind()
    contacts = sa.table('contacts', sa.column('id'), sa.column('full_name'),
                        sa.column('last_name'), sa.column('first_name'),
                        sa.column('middle_name'))
    for row in connection.execute(sa.select(contacts.c.id, contacts.c.full_name)).all():
        words = (row.full_name or "").split()
        connection.execute(contacts.update().where(contacts.c.id == row.id).values(
            last_name=words[0] if words else None,
            first_name=words[1] if len(words) > 1 else None,
            middle_name=" ".join(words[2:]) or None))
    accounts = sa.table('accounts', sa.column('id'), sa.column('name'), sa.column('name_key'))
    for row in connection.execute(sa.select(accounts.c.id, accounts.c.name)).all():
        connection.execute(accounts.update().where(accounts.c.id == row.id)
                           .values(name_key=search_key(row.name)))


def downgrade():
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounts_name_key'))
        batch_op.drop_column('name_key')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_column('version')
        batch_op.drop_column('middle_name')
        batch_op.drop_column('first_name')
        batch_op.drop_column('last_name')
