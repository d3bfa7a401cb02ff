"""one funnel: an offer made after the event is recorded with its hire (later_offer_at), so a hire
can be confirmed for a second interview or a not-selected walk-up that became a job; interviews
the event day closed without an outcome (not_recorded); the booth window staff can widen; one
live booking per person per employer (bookings.participation_id); one directory entry per
organization name, compared folded whatever the kind (organizations.name_key); the booth
tablet's sequence number of the outcome saved (interviews.outcome_seq)

Revision ID: 006_one_funnel
Revises: 005_spanish_text
Create Date: 2026-11-30 09:00:00

"""
import re
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '006_one_funnel'
down_revision = '005_spanish_text'
branch_labels = None
depends_on = None

OFFERS = "outcome IN ('conditional_offer', 'hired_on_the_spot')"
HIRE_PATH_WITHOUT_OFFER = "outcome IN ('not_selected', 'second_interview', 'not_recorded')"
OUTCOMES_BEFORE = "outcome IN ('no_show', 'not_selected', 'second_interview', 'conditional_offer', 'hired_on_the_spot')"
OUTCOMES_AFTER = ("outcome IN ('no_show', 'not_selected', 'second_interview', 'conditional_offer', 'hired_on_the_spot',"
                  " 'not_recorded')")


def _name_key(name):
    """The folded name, as app.models.organization.name_key computes it today (copied: a migration
    must not change when the app does)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def upgrade():
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=200), nullable=True))
    connection = op.get_bind()
    organizations = sa.table('organizations', sa.column('id', sa.Integer), sa.column('name', sa.String),
                             sa.column('name_key', sa.String))
    seen = set()
    for organization_id, name in connection.execute(sa.select(organizations.c.id, organizations.c.name)
                                                    .order_by(organizations.c.id)).all():
        key = _name_key(name)
        # Duplicates already in the directory are kept (events point at them); each later one gets
        # a key of its own until staff retire it.
        if key in seen:
            key = f"{key} #{organization_id}"[:200]
        seen.add(key)
        connection.execute(organizations.update().where(organizations.c.id == organization_id).values(name_key=key))
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.alter_column('name_key', existing_type=sa.String(length=200), nullable=False)
        batch_op.create_unique_constraint(op.f('uq_organizations_name_key'), ['name_key'])
        # Same name, same key: the narrower (kind, name) key says nothing more.
        batch_op.drop_constraint(op.f('uq_organizations_kind_name'), type_='unique')
    with op.batch_alter_table('interview_slots', schema=None) as batch_op:
        batch_op.create_unique_constraint(op.f('uq_interview_slots_id_participation_id'), ['id', 'participation_id'])
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participation_id', sa.Integer(), nullable=True))
    op.execute("UPDATE bookings SET participation_id ="
               " (SELECT participation_id FROM interview_slots WHERE interview_slots.id = bookings.slot_id)")
    # Someone holding several live bookings with one employer keeps the first; the others give
    # their seats back (cancelled, not deleted), unless an interview already took place on them.
    op.execute(
        "UPDATE bookings SET cancelled_at = CURRENT_TIMESTAMP WHERE cancelled_at IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM interviews WHERE interviews.booking_id = bookings.id)"
        " AND EXISTS (SELECT 1 FROM bookings AS earlier WHERE earlier.cancelled_at IS NULL"
        " AND earlier.registration_id = bookings.registration_id"
        " AND earlier.participation_id = bookings.participation_id AND earlier.id < bookings.id)"
    )
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.alter_column('participation_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            'fk_bookings_slot_id_participation_id_interview_slots', 'interview_slots',
            ['slot_id', 'participation_id'], ['id', 'participation_id'], ondelete='CASCADE',
        )
        # One booking per person per booth holds one per slot too: the narrower index goes.
        batch_op.drop_index('uq_bookings_slot_id_registration_id_active')
        batch_op.create_index(
            'uq_bookings_registration_id_participation_id_active', ['registration_id', 'participation_id'],
            unique=True, sqlite_where=sa.text('cancelled_at IS NULL'), postgresql_where=sa.text('cancelled_at IS NULL'),
        )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('booth_opens_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('booth_closes_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('later_offer_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('outcome_seq', sa.BigInteger(), nullable=True))
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
        batch_op.drop_column('outcome_seq')
        batch_op.drop_column('later_offer_at')
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index('uq_bookings_registration_id_participation_id_active')
        batch_op.create_index('uq_bookings_slot_id_registration_id_active', ['slot_id', 'registration_id'], unique=True,
                              sqlite_where=sa.text('cancelled_at IS NULL'), postgresql_where=sa.text('cancelled_at IS NULL'))
        batch_op.drop_constraint('fk_bookings_slot_id_participation_id_interview_slots', type_='foreignkey')
        batch_op.drop_column('participation_id')
    with op.batch_alter_table('interview_slots', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('uq_interview_slots_id_participation_id'), type_='unique')
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('uq_organizations_name_key'), type_='unique')
        batch_op.create_unique_constraint(op.f('uq_organizations_kind_name'), ['kind', 'name'])
        batch_op.drop_column('name_key')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('booth_closes_at')
        batch_op.drop_column('booth_opens_at')
