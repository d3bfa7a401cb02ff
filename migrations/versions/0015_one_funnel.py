"""one funnel: an offer made after the event is recorded with its hire (later_offer_at), so a hire
can be confirmed for a second interview or a not-selected walk-up that became a job

Revision ID: 0015
Revises: 0005
Create Date: 2026-11-30 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0005'
branch_labels = None
depends_on = None

OFFERS = "outcome IN ('conditional_offer', 'hired_on_the_spot')"
HIRE_PATH_WITHOUT_OFFER = "outcome IN ('not_selected', 'second_interview')"


def upgrade():
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('later_offer_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(op.f('ck_interviews_hire_status_needs_offer'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_interviews_hire_status_needs_offer'),
            f"hire_status IS NULL OR {OFFERS} OR later_offer_at IS NOT NULL",
        )
        batch_op.create_check_constraint(
            op.f('ck_interviews_later_offer_on_hire_path'), f"later_offer_at IS NULL OR {HIRE_PATH_WITHOUT_OFFER}",
        )


def downgrade():
    # A hire confirmed after a later offer has no place in the old schema: it stays an interview with
    # its booth outcome, without the hire (the audit trail keeps what staff recorded).
    op.execute("UPDATE interviews SET hire_status = NULL, hired_start_date = NULL, hire_confirmed_at = NULL"
               f" WHERE later_offer_at IS NOT NULL AND NOT ({OFFERS})")
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_interviews_later_offer_on_hire_path'), type_='check')
        batch_op.drop_constraint(op.f('ck_interviews_hire_status_needs_offer'), type_='check')
        batch_op.create_check_constraint(op.f('ck_interviews_hire_status_needs_offer'), f"hire_status IS NULL OR {OFFERS}")
        batch_op.drop_column('later_offer_at')
