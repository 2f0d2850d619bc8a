"""the Surveys list sorted by duration from an index

How long a finished survey took is computed from its start and end, so the list sorted by
it read and sorted every survey (over 200 ms at 100,000). An index on that expression lets
the first page be read in order. PostgreSQL needs a second one for longest first with the
open surveys last (see models/surveys.py).

Revision ID: d7c3b1a9e4f2
Revises: c1f0a7e3d9b2
Create Date: 2026-12-08 01:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd7c3b1a9e4f2'
down_revision = 'c1f0a7e3d9b2'
branch_labels = None
depends_on = None

_SECONDS = {"postgresql": "EXTRACT(EPOCH FROM finished_at - started_at)",
            "sqlite": "((julianday(finished_at) - julianday(started_at)) * 86400.0)"}


def upgrade():
    dialect = op.get_bind().dialect.name
    seconds = _SECONDS[dialect]
    op.execute(f"CREATE INDEX ix_customer_surveys_duration ON customer_surveys ({seconds}, id)")
    if dialect == "postgresql":
        op.execute("CREATE INDEX ix_customer_surveys_duration_longest ON customer_surveys "
                   f"({seconds} DESC NULLS LAST, id DESC)")


def downgrade():
    op.execute("DROP INDEX IF EXISTS ix_customer_surveys_duration_longest")
    op.execute("DROP INDEX ix_customer_surveys_duration")
