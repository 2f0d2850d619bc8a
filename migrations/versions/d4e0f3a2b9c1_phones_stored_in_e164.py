"""phones stored in E.164: every screen shows a number one way

Revision ID: d4e0f3a2b9c1
Revises: c3d9e2f1a7b8
Create Date: 2026-12-02 14:00:00

A contact's phone kept the number as typed ("068 302-08-45", "380951811097"); from now on
it is stored as its E.164 (which was already kept beside it for the caller lookup), and the
screens format it. A number that is not a valid phone number (no E.164) is left as it is.
The downgrade keeps the E.164 numbers: the typed forms are not kept anywhere.
"""
from alembic import op

revision = 'd4e0f3a2b9c1'
down_revision = 'c3d9e2f1a7b8'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE contact_phones SET number = e164 WHERE e164 IS NOT NULL")


def downgrade():
    pass
