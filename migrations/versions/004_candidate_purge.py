"""candidates can be purged: purged_at, and no contact required once purged

Revision ID: 004_candidate_purge
Revises: 003_one_open_interview_per_booth
Create Date: 2026-11-21 07:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '004_candidate_purge'
down_revision = '003_one_open_interview_per_booth'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(op.f('ck_candidates_has_contact'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_candidates_has_contact'), 'email IS NOT NULL OR phone IS NOT NULL OR purged_at IS NOT NULL'
        )


def downgrade():
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_candidates_has_contact'), type_='check')
        batch_op.create_check_constraint(op.f('ck_candidates_has_contact'), 'email IS NOT NULL OR phone IS NOT NULL')
        batch_op.drop_column('purged_at')
