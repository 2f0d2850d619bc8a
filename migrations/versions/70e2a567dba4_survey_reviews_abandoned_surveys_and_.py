"""survey reviews, abandoned surveys and the surveys list's indexes

A survey may now be abandoned (status is a plain string column: no constraint to change); a
supervisor's review is stored on the survey; the Surveys list reads by operator, by
questionnaire or all surveys newest first, and the stale ones by their last step.

Revision ID: 70e2a567dba4
Revises: d1f6a9b8c7e5
Create Date: 2026-12-07 20:49:26.172271

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '70e2a567dba4'
down_revision = 'd1f6a9b8c7e5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('customer_surveys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_score', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('review_comment', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(), nullable=True))
        batch_op.drop_index(batch_op.f('ix_customer_surveys_operator_id'))
        batch_op.create_index('ix_customer_surveys_operator_started', ['operator_id', 'started_at'], unique=False)
        batch_op.create_index('ix_customer_surveys_questionnaire_started', ['questionnaire_id', 'started_at'], unique=False)
        batch_op.create_index('ix_customer_surveys_started', ['started_at'], unique=False)
        batch_op.create_index('ix_customer_surveys_status_shown', ['status', 'current_shown_at'], unique=False)
        batch_op.create_foreign_key('fk_customer_surveys_reviewed_by_id_users', 'users', ['reviewed_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('customer_surveys', schema=None) as batch_op:
        batch_op.drop_constraint('fk_customer_surveys_reviewed_by_id_users', type_='foreignkey')
        batch_op.drop_index('ix_customer_surveys_status_shown')
        batch_op.drop_index('ix_customer_surveys_started')
        batch_op.drop_index('ix_customer_surveys_questionnaire_started')
        batch_op.drop_index('ix_customer_surveys_operator_started')
        batch_op.create_index(batch_op.f('ix_customer_surveys_operator_id'), ['operator_id'], unique=False)
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('reviewed_by_id')
        batch_op.drop_column('review_comment')
        batch_op.drop_column('review_score')
