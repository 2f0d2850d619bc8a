"""a user's saved language; names sorted in the Ukrainian alphabet, searched apostrophe-blind

Revision ID: b7e3c1a2d4f5
Revises: 8d2695374519
Create Date: 2026-12-02 08:10:00

Each listed table gets `sort_name`, the bytes of survey_app.names.sort_key(name), filled here
for the rows that exist (the app keeps it from then on), and the contacts' search key is
recomputed with the apostrophes folded into one.
"""
from alembic import op
import sqlalchemy as sa

from survey_app.names import search_key, sort_key

revision = 'b7e3c1a2d4f5'
down_revision = '8d2695374519'
branch_labels = None
depends_on = None

SORTED = {"users": "full_name", "contacts": "full_name", "campaigns": "name",
          "questionnaires": "name"}


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
    for table, column in SORTED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('sort_name', sa.LargeBinary(), nullable=True))
        _fill(table, column)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('sort_name', existing_type=sa.LargeBinary(), nullable=False)
            batch_op.create_index(batch_op.f(f'ix_{table}_sort_name'), ['sort_name'],
                                  unique=False)


def _fill(table: str, column: str) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text(f"SELECT id, {column} FROM {table}")).all()
    keys = sa.text(f"UPDATE {table} SET sort_name = :sort" +
                   (", name_key = :search" if table == "contacts" else "") + " WHERE id = :id")
    values = [{"id": id_, "sort": sort_key(name or ""), "search": search_key(name or "")}
              for id_, name in rows]
    if values:
        connection.execute(keys, values)


def downgrade():
    for table in SORTED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_sort_name'))
            batch_op.drop_column('sort_name')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('language')
