"""one open interview per person per booth

Revision ID: 003_one_open_interview_per_booth
Revises: 002_survey_links
Create Date: 2026-11-21 07:03:36.422549

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '003_one_open_interview_per_booth'
down_revision = '002_survey_links'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.create_index('uq_interviews_registration_id_participation_id_open', ['registration_id', 'participation_id'], unique=True, sqlite_where=sa.text('outcome IS NULL'), postgresql_where=sa.text('outcome IS NULL'))


def downgrade():
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.drop_index('uq_interviews_registration_id_participation_id_open', sqlite_where=sa.text('outcome IS NULL'), postgresql_where=sa.text('outcome IS NULL'))
