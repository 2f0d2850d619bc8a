"""questionnaire versions, keys that stay across versions, and refusals

Revision ID: b8d4e7f6a5c3
Revises: a7c3d6e5f4b2
Create Date: 2026-12-03 08:00:00

Each existing questionnaire becomes version 1 of its own (a new key); its edit counter,
`version` until now, is renamed `revision`. Each question and option gets its key; a question
with a way per option or range is marked as branching on its answer. The name
is no longer unique per campaign in the schema (the versions of one questionnaire share it):
the editor keeps names apart. Going down, the versions stay as separate rows and keep their
names unique only if they were.
"""
import uuid

from alembic import op
import sqlalchemy as sa

revision = 'b8d4e7f6a5c3'
down_revision = 'a7c3d6e5f4b2'
branch_labels = None
depends_on = None

OLD_UNIQUE = 'questionnaires_campaign_id_name_key'  # PostgreSQL's name for the unnamed one
# SQLite names none: the batch copy finds it by this convention
CONVENTION = {'uq': '%(table_name)s_%(column_0_name)s_name_key'}


def _fill_keys(table: str) -> None:
    """A new key for every row, in Python: neither database has a uuid function the other has."""
    connection = op.get_bind()
    rows = sa.table(table, sa.column('id'), sa.column('key'))
    ids = connection.execute(sa.select(rows.c.id)).scalars().all()
    for row_id in ids:
        connection.execute(rows.update().where(rows.c.id == row_id).values(key=uuid.uuid4().hex))


def upgrade():
    with op.batch_alter_table('questionnaires', naming_convention=CONVENTION) as batch_op:
        batch_op.drop_constraint(OLD_UNIQUE, type_='unique')
        batch_op.alter_column('version', new_column_name='revision')
    with op.batch_alter_table('questionnaires') as batch_op:
        batch_op.add_column(sa.Column('key', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1',
                                      nullable=False))
        batch_op.add_column(sa.Column('published_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('published_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_questionnaires_published_by_id_users', 'users',
                                    ['published_by_id'], ['id'])
    for table in ('questionnaires', 'questions', 'answer_options'):
        if table != 'questionnaires':
            with op.batch_alter_table(table) as batch_op:
                batch_op.add_column(sa.Column('key', sa.String(length=32), nullable=True))
        _fill_keys(table)
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column('key', existing_type=sa.String(length=32), nullable=False)
    with op.batch_alter_table('questionnaires') as batch_op:
        batch_op.create_unique_constraint('questionnaires_key_version_key', ['key', 'version'])
    with op.batch_alter_table('questions') as batch_op:
        batch_op.add_column(sa.Column('allows_refusal', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('branches', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='1',
                                      nullable=False))
    op.execute(sa.text(  # a question with a way per option or range branches on its answer
        "UPDATE questions SET branches = :yes WHERE id IN (SELECT source_id FROM transitions "
        "WHERE option_id IS NOT NULL OR range_low IS NOT NULL OR range_high IS NOT NULL)"
    ).bindparams(yes=True))
    with op.batch_alter_table('customer_answers') as batch_op:
        batch_op.add_column(sa.Column('refused', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('customer_answers') as batch_op:
        batch_op.drop_column('refused')
    with op.batch_alter_table('questions') as batch_op:
        batch_op.drop_column('revision')
        batch_op.drop_column('branches')
        batch_op.drop_column('allows_refusal')
        batch_op.drop_column('key')
    with op.batch_alter_table('answer_options') as batch_op:
        batch_op.drop_column('key')
    with op.batch_alter_table('questionnaires') as batch_op:
        batch_op.drop_constraint('questionnaires_key_version_key', type_='unique')
        batch_op.drop_constraint('fk_questionnaires_published_by_id_users', type_='foreignkey')
        batch_op.drop_column('published_by_id')
        batch_op.drop_column('published_at')
        batch_op.drop_column('version')
        batch_op.drop_column('key')
        batch_op.alter_column('revision', new_column_name='version')
        batch_op.create_unique_constraint(OLD_UNIQUE, ['campaign_id', 'name'])
