"""search keys for a million contacts: the words of each name, a phone's digits last first

Revision ID: c9e5f8a7b6d4
Revises: b8d4e7f6a5c3
Create Date: 2026-12-03 19:00:00

A name is found by the beginnings of its words and a phone by its last digits through an
index on SQLite and PostgreSQL alike (both keys compared by code point: collation "C" on
PostgreSQL), not by a LIKE '%...%' that reads every row. The keys are filled here for the
contacts and phones there are, in Python (survey_app.names and phones, pure), in batches.
"""
from alembic import op
import sqlalchemy as sa

from survey_app.names import name_words
from survey_app.phones import reversed_digits

revision = 'c9e5f8a7b6d4'
down_revision = 'b8d4e7f6a5c3'
branch_labels = None
depends_on = None

KEY = sa.String(length=200).with_variant(sa.String(length=200, collation='C'), 'postgresql')
BATCH = 5000


def upgrade():
    op.create_table('contact_words',
                    sa.Column('word', KEY, nullable=False),
                    sa.Column('contact_id', sa.Integer(), nullable=False),
                    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], ondelete='CASCADE'),
                    sa.PrimaryKeyConstraint('word', 'contact_id'))
    with op.batch_alter_table('contact_words', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_words_contact_id'), ['contact_id'],
                              unique=False)
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_account_id'), ['account_id'], unique=False)
    with op.batch_alter_table('contact_phones', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digits_reversed', KEY, nullable=True))
    _fill()
    with op.batch_alter_table('contact_phones', schema=None) as batch_op:
        batch_op.alter_column('digits_reversed', existing_type=KEY, nullable=False)
        batch_op.create_index(batch_op.f('ix_contact_phones_digits_reversed'),
                              ['digits_reversed'], unique=False)


def _fill() -> None:
    connection = op.get_bind()
    words = sa.table('contact_words', sa.column('word'), sa.column('contact_id'))
    rows = [{'word': word, 'contact_id': id_}
            for id_, name in connection.execute(sa.text('SELECT id, full_name FROM contacts'))
            for word in name_words(name or '')]
    for start in range(0, len(rows), BATCH):
        connection.execute(words.insert(), rows[start:start + BATCH])
    keys = [{'id': id_, 'key': reversed_digits(e164 or number)} for id_, e164, number in
            connection.execute(sa.text('SELECT id, e164, number FROM contact_phones'))]
    if keys:
        connection.execute(
            sa.text('UPDATE contact_phones SET digits_reversed = :key WHERE id = :id'), keys)


def downgrade():
    with op.batch_alter_table('contact_phones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_phones_digits_reversed'))
        batch_op.drop_column('digits_reversed')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_account_id'))
    op.drop_table('contact_words')
