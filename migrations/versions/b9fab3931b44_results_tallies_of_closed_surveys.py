"""results tallies of closed surveys

A closed survey's answers never change, so a questionnaire's results count them once into
tallies (models/tallies.py); nothing to fill here: the first reading of a version's results
(or the nightly `flask surveys close-stale`) counts its past surveys.

Revision ID: b9fab3931b44
Revises: 70e2a567dba4
Create Date: 2026-12-07 21:51:55.749985

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b9fab3931b44'
down_revision = '70e2a567dba4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('path_tallies',
    sa.Column('questionnaire_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=400), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['questionnaires.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('questionnaire_id', 'path')
    )
    op.create_table('results_watermarks',
    sa.Column('questionnaire_id', sa.Integer(), nullable=False),
    sa.Column('upto', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['questionnaires.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('questionnaire_id')
    )
    op.create_table('survey_tallies',
    sa.Column('questionnaire_id', sa.Integer(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('backs', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['operator_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['questionnaires.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('questionnaire_id', 'operator_id', 'status', 'step', 'seconds')
    )
    op.create_table('answer_tallies',
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('answer', sa.String(length=24), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('question_id', 'answer')
    )
    op.create_table('answer_time_tallies',
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('question_id', 'seconds')
    )
    with op.batch_alter_table('customer_surveys', schema=None) as batch_op:
        batch_op.create_index('ix_customer_surveys_questionnaire_finished', ['questionnaire_id', 'finished_at'], unique=False)


def downgrade():
    with op.batch_alter_table('customer_surveys', schema=None) as batch_op:
        batch_op.drop_index('ix_customer_surveys_questionnaire_finished')

    op.drop_table('answer_time_tallies')
    op.drop_table('answer_tallies')
    op.drop_table('survey_tallies')
    op.drop_table('results_watermarks')
    op.drop_table('path_tallies')