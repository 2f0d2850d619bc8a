"""a contact's words indexed by the contact and the word: a search checks a contact's words
from the index alone

Revision ID: d1f6a9b8c7e5
Revises: c9e5f8a7b6d4
Create Date: 2026-12-04 19:00:00

A search by a common first name walks the contacts in alphabetical order and asks, for each,
whether one of its words begins so; with the word in the index that is one read of the index,
not a read of the table too (it halves the search on a million contacts). The index also
serves the foreign key, as the one on contact_id alone did.
"""
from alembic import op

revision = 'd1f6a9b8c7e5'
down_revision = 'c9e5f8a7b6d4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contact_words', schema=None) as batch_op:
        batch_op.create_index('ix_contact_words_contact_id_word', ['contact_id', 'word'],
                              unique=True)
        batch_op.drop_index('ix_contact_words_contact_id')


def downgrade():
    with op.batch_alter_table('contact_words', schema=None) as batch_op:
        batch_op.create_index('ix_contact_words_contact_id', ['contact_id'], unique=False)
        batch_op.drop_index('ix_contact_words_contact_id_word')
