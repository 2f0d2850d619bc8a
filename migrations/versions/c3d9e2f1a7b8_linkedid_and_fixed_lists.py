"""the PBX's Linkedid named linkedid; contact type, phone kind, address and anniversary type
as fixed lists of codes

Revision ID: c3d9e2f1a7b8
Revises: b7e3c1a2d4f5
Create Date: 2026-12-02 13:00:00

calls.call_id held Asterisk's Linkedid (a string) while every other call_id is the calls
table's row id: it is renamed. The contact's lists were free words ("Client", "Mobile"):
known words become their codes, anything else "other" (the word is then lost: the old
values were only ever the demo's and the new-contact form's, which offered the known ones).
"""
from alembic import op
import sqlalchemy as sa

revision = 'c3d9e2f1a7b8'
down_revision = 'b7e3c1a2d4f5'
branch_labels = None
depends_on = None

# table, column: the words stored so far -> codes
LISTS = {
    ("contacts", "contact_type"): {"Client": "client", "Partner": "partner",
                                   "Employee": "employee", "Supplier": "supplier"},
    ("contact_phones", "kind"): {"Mobile": "mobile", "Work": "work", "Home": "home"},
    ("addresses", "kind"): {"Delivery": "delivery", "Legal": "legal", "Actual": "actual",
                            "Home": "home"},
    ("anniversaries", "kind"): {"Birthday": "birthday", "Wedding anniversary": "wedding",
                                "Company day": "company_day"},
}


def upgrade():
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.alter_column('call_id', new_column_name='linkedid',
                              existing_type=sa.String(length=40), existing_nullable=False)
    for (table, column), codes in LISTS.items():
        _recode(table, column, codes, "other")
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, type_=sa.String(length=20),
                                  existing_type=sa.String(length=40), existing_nullable=False)


def downgrade():
    for (table, column), codes in LISTS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, type_=sa.String(length=40),
                                  existing_type=sa.String(length=20), existing_nullable=False)
        _recode(table, column, {code: word for word, code in codes.items()}, "Other")
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.alter_column('linkedid', new_column_name='call_id',
                              existing_type=sa.String(length=40), existing_nullable=False)


def _recode(table: str, column: str, codes: dict, rest: str) -> None:
    """Every value by the mapping; values not in it become `rest`."""
    t = sa.table(table, sa.column(column, sa.String))
    col = t.c[column]
    op.execute(t.update().values({column: sa.case(codes, value=col, else_=rest)}))
