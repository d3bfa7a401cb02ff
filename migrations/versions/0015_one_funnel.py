"""one funnel: an offer made after the event is recorded with its hire (later_offer_at), so a hire
can be confirmed for a second interview or a not-selected walk-up that became a job; interviews
the event day closed without an outcome (not_recorded); the booth window staff can widen

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
HIRE_PATH_WITHOUT_OFFER = "outcome IN ('not_selected', 'second_interview', 'not_recorded')"
OUTCOMES_BEFORE = "outcome IN ('no_show', 'not_selected', 'second_interview', 'conditional_offer', 'hired_on_the_spot')"
OUTCOMES_AFTER = ("outcome IN ('no_show', 'not_selected', 'second_interview', 'conditional_offer', 'hired_on_the_spot',"
                  " 'not_recorded')")


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('booth_opens_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('booth_closes_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('later_offer_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(op.f('ck_interviews_outcome'), type_='check')
        batch_op.create_check_constraint(op.f('ck_interviews_outcome'), OUTCOMES_AFTER)
        batch_op.drop_constraint(op.f('ck_interviews_hire_status_needs_offer'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_interviews_hire_status_needs_offer'),
            f"hire_status IS NULL OR {OFFERS} OR later_offer_at IS NOT NULL",
        )
        batch_op.create_check_constraint(
            op.f('ck_interviews_later_offer_on_hire_path'), f"later_offer_at IS NULL OR {HIRE_PATH_WITHOUT_OFFER}",
        )


def downgrade():
    # The old schema has no place for a hire after a later offer, nor for an interview closed by the
    # end of the day: the hire is taken back (the audit trail keeps what staff recorded), and an
    # interview closed without an outcome is open again.
    op.execute("UPDATE interviews SET hire_status = NULL, hired_start_date = NULL, hire_confirmed_at = NULL"
               f" WHERE later_offer_at IS NOT NULL AND NOT ({OFFERS})")
    op.execute("UPDATE interviews SET outcome = NULL, recorded_at = NULL WHERE outcome = 'not_recorded'")
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_interviews_later_offer_on_hire_path'), type_='check')
        batch_op.drop_constraint(op.f('ck_interviews_hire_status_needs_offer'), type_='check')
        batch_op.create_check_constraint(op.f('ck_interviews_hire_status_needs_offer'), f"hire_status IS NULL OR {OFFERS}")
        batch_op.drop_constraint(op.f('ck_interviews_outcome'), type_='check')
        batch_op.create_check_constraint(op.f('ck_interviews_outcome'), OUTCOMES_BEFORE)
        batch_op.drop_column('later_offer_at')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('booth_closes_at')
        batch_op.drop_column('booth_opens_at')
