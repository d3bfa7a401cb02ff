"""initial schema

Revision ID: 001_initial_schema
Revises:
Create Date: 2026-11-21 06:13:15.238903

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '001_initial_schema'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('candidates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('zip_code', sa.String(length=5), nullable=True),
    sa.Column('language', sa.Enum('en', 'es', name='language', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("first_name <> ''", name=op.f('ck_candidates_first_name_not_empty')),
    sa.CheckConstraint("phone LIKE '+%' AND length(phone) BETWEEN 8 AND 16", name=op.f('ck_candidates_phone_e164')),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_candidates_email_lowercase')),
    sa.CheckConstraint('email IS NOT NULL OR phone IS NOT NULL', name=op.f('ck_candidates_has_contact')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidates')),
    sa.UniqueConstraint('email', name=op.f('uq_candidates_email')),
    sa.UniqueConstraint('phone', name=op.f('uq_candidates_phone'))
    )
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('hospitality_hires', 'techapalooza', 'regional', 'blank', name='event_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('series', sa.String(length=80), nullable=True),
    sa.Column('sectors', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'closed', 'archived', name='event_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('venue', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('registration_opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('registration_closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('max_bookings_per_candidate', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("slug <> ''", name=op.f('ck_events_slug_not_empty')),
    sa.CheckConstraint('capacity IS NULL OR capacity > 0', name=op.f('ck_events_capacity_positive')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_events_ends_after_start')),
    sa.CheckConstraint('max_bookings_per_candidate >= 0', name=op.f('ck_events_max_bookings_not_negative')),
    sa.CheckConstraint('registration_opens_at IS NULL OR registration_closes_at IS NULL OR registration_closes_at > registration_opens_at', name=op.f('ck_events_registration_window_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    sa.UniqueConstraint('slug', name=op.f('uq_events_slug'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_series'), ['series'], unique=False)

    op.create_table('organizations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('employer', 'job_center', 'community_org', name='organization_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('sector', sa.Enum('hospitality', 'it', 'healthcare', 'tdl', 'construction', 'manufacturing', 'clean_energy', name='sector', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('contact_name', sa.String(length=200), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('contact_phone', sa.String(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organizations')),
    sa.UniqueConstraint('kind', 'name', name=op.f('uq_organizations_kind_name'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.Enum('staff', 'volunteer', name='role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('session_generation', sa.Integer(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("name <> ''", name=op.f('ck_users_name_not_empty')),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_users_email_lowercase')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('participations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('table_number', sa.String(length=20), nullable=True),
    sa.Column('interview_minutes', sa.Integer(), nullable=False),
    sa.Column('interview_starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('interview_ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('interviewers', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('interview_minutes BETWEEN 1 AND 240', name=op.f('ck_participations_interview_minutes_range')),
    sa.CheckConstraint('interview_starts_at IS NULL OR interview_ends_at IS NULL OR interview_ends_at > interview_starts_at', name=op.f('ck_participations_interview_window_order')),
    sa.CheckConstraint('interviewers >= 1', name=op.f('ck_participations_interviewers_positive')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_participations_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_participations_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participations')),
    sa.UniqueConstraint('event_id', 'organization_id', name=op.f('uq_participations_event_id_organization_id')),
    sa.UniqueConstraint('event_id', 'table_number', name=op.f('uq_participations_event_id_table_number'))
    )
    op.create_table('partnerships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('referral_code', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_partnerships_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_partnerships_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partnerships')),
    sa.UniqueConstraint('event_id', 'organization_id', name=op.f('uq_partnerships_event_id_organization_id')),
    sa.UniqueConstraint('id', 'event_id', name=op.f('uq_partnerships_id_event_id')),
    sa.UniqueConstraint('referral_code', name=op.f('uq_partnerships_referral_code'))
    )
    op.create_table('registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('registered', 'waitlisted', 'cancelled', name='registration_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('source', sa.Enum('online', 'walk_in', 'partner_import', 'staff', name='registration_source', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('badge_code', sa.String(length=43), nullable=False),
    sa.Column('manage_token_hash', sa.String(length=64), nullable=False),
    sa.Column('language', sa.Enum('en', 'es', name='language', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('employment_status', sa.String(length=40), nullable=True),
    sa.Column('sectors_of_interest', sa.JSON(), nullable=False),
    sa.Column('how_heard', sa.String(length=80), nullable=True),
    sa.Column('accessibility_needs', sa.Text(), nullable=False),
    sa.Column('consent_share_profile', sa.Boolean(), nullable=False),
    sa.Column('consent_email', sa.Boolean(), nullable=False),
    sa.Column('consent_sms', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(status = 'cancelled') = (cancelled_at IS NOT NULL)", name=op.f('ck_registrations_cancelled_at_iff_cancelled')),
    sa.CheckConstraint('consent_share_profile', name=op.f('ck_registrations_profile_sharing_consented')),
    sa.CheckConstraint('length(badge_code) >= 22', name=op.f('ck_registrations_badge_code_long_enough')),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_registrations_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_registrations_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registrations')),
    sa.UniqueConstraint('badge_code', name=op.f('uq_registrations_badge_code')),
    sa.UniqueConstraint('event_id', 'candidate_id', name=op.f('uq_registrations_event_id_candidate_id')),
    sa.UniqueConstraint('id', 'event_id', name=op.f('uq_registrations_id_event_id')),
    sa.UniqueConstraint('manage_token_hash', name=op.f('uq_registrations_manage_token_hash'))
    )
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registrations_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index('ix_registrations_event_id_status_created_at', ['event_id', 'status', 'created_at'], unique=False)

    op.create_table('surveys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('audience', sa.Enum('candidate', 'employer', name='audience', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('phase', sa.Enum('pre', 'post', name='phase', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('title_es', sa.String(length=200), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('opens_at IS NULL OR closes_at IS NULL OR closes_at > opens_at', name=op.f('ck_surveys_window_order')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_surveys_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_surveys')),
    sa.UniqueConstraint('event_id', 'audience', 'phase', name=op.f('uq_surveys_event_id_audience_phase'))
    )
    op.create_table('access_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('scope', sa.Enum('booth', 'partner', 'device', name='token_scope', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('participation_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("name <> ''", name=op.f('ck_access_tokens_name_not_empty')),
    sa.CheckConstraint("scope <> 'booth' OR participation_id IS NOT NULL", name=op.f('ck_access_tokens_booth_has_participation')),
    sa.CheckConstraint("scope <> 'device' OR event_id IS NOT NULL", name=op.f('ck_access_tokens_device_has_event')),
    sa.CheckConstraint("scope <> 'partner' OR organization_id IS NOT NULL", name=op.f('ck_access_tokens_partner_has_organization')),
    sa.CheckConstraint('length(token_hash) = 64', name=op.f('ck_access_tokens_token_hash_is_sha256')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_access_tokens_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_access_tokens_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_access_tokens_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participation_id'], ['participations.id'], name=op.f('fk_access_tokens_participation_id_participations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_access_tokens_token_hash'))
    )
    with op.batch_alter_table('access_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_tokens_event_id'), ['event_id'], unique=False)

    op.create_table('interview_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participation_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('is_blocked', sa.Boolean(), nullable=False),
    sa.CheckConstraint('capacity >= 1', name=op.f('ck_interview_slots_capacity_positive')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_interview_slots_ends_after_start')),
    sa.ForeignKeyConstraint(['participation_id'], ['participations.id'], name=op.f('fk_interview_slots_participation_id_participations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interview_slots')),
    sa.UniqueConstraint('id', 'capacity', name=op.f('uq_interview_slots_id_capacity')),
    sa.UniqueConstraint('participation_id', 'starts_at', name=op.f('uq_interview_slots_participation_id_starts_at'))
    )
    op.create_table('positions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('sector', sa.Enum('hospitality', 'it', 'healthcare', 'tdl', 'construction', 'manufacturing', 'clean_energy', name='sector', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('openings', sa.Integer(), nullable=False),
    sa.Column('wage_min_cents', sa.Integer(), nullable=True),
    sa.Column('wage_max_cents', sa.Integer(), nullable=True),
    sa.Column('wage_unit', sa.Enum('hour', 'year', name='wage_unit', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('employment_type', sa.Enum('full_time', 'part_time', 'seasonal', 'temporary', 'contract', name='employment_type', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('requirements', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("title <> ''", name=op.f('ck_positions_title_not_empty')),
    sa.CheckConstraint('(wage_min_cents IS NULL AND wage_max_cents IS NULL) OR wage_unit IS NOT NULL', name=op.f('ck_positions_wage_has_unit')),
    sa.CheckConstraint('openings >= 1', name=op.f('ck_positions_openings_positive')),
    sa.CheckConstraint('wage_max_cents IS NULL OR wage_max_cents >= 0', name=op.f('ck_positions_wage_max_not_negative')),
    sa.CheckConstraint('wage_min_cents IS NULL OR wage_max_cents IS NULL OR wage_max_cents >= wage_min_cents', name=op.f('ck_positions_wage_range_order')),
    sa.CheckConstraint('wage_min_cents IS NULL OR wage_min_cents >= 0', name=op.f('ck_positions_wage_min_not_negative')),
    sa.ForeignKeyConstraint(['participation_id'], ['participations.id'], name=op.f('fk_positions_participation_id_participations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_positions'))
    )
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_positions_participation_id'), ['participation_id'], unique=False)

    op.create_table('questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('single_choice', 'multiple_choice', 'scale_5', 'recommend', 'short_text', 'long_text', name='question_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('prompt_en', sa.Text(), nullable=False),
    sa.Column('prompt_es', sa.Text(), nullable=False),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.CheckConstraint('position >= 0', name=op.f('ck_questions_position_not_negative')),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_questions_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questions')),
    sa.UniqueConstraint('survey_id', 'key', name=op.f('uq_questions_survey_id_key'))
    )
    op.create_table('referrals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_referrals_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partnership_id', 'event_id'], ['partnerships.id', 'partnerships.event_id'], name=op.f('fk_referrals_partnership_id_partnerships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id', 'event_id'], ['registrations.id', 'registrations.event_id'], name=op.f('fk_referrals_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referrals')),
    sa.UniqueConstraint('registration_id', 'partnership_id', name=op.f('uq_referrals_registration_id_partnership_id'))
    )
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_index('ix_referrals_partnership_id', ['partnership_id'], unique=False)

    op.create_table('responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('participation_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.Enum('en', 'es', name='language', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(registration_id IS NULL) <> (participation_id IS NULL)', name=op.f('ck_responses_exactly_one_respondent')),
    sa.ForeignKeyConstraint(['participation_id'], ['participations.id'], name=op.f('fk_responses_participation_id_participations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_responses_registration_id_registrations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_responses_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_responses')),
    sa.UniqueConstraint('survey_id', 'participation_id', name=op.f('uq_responses_survey_id_participation_id')),
    sa.UniqueConstraint('survey_id', 'registration_id', name=op.f('uq_responses_survey_id_registration_id'))
    )
    op.create_table('answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.CheckConstraint('number IS NULL OR number BETWEEN 0 AND 10', name=op.f('ck_answers_number_range')),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_answers_question_id_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_answers_response_id_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answers')),
    sa.UniqueConstraint('response_id', 'question_id', name=op.f('uq_answers_response_id_question_id'))
    )
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answers_question_id'), ['question_id'], unique=False)

    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('actor_user_id', sa.Integer(), nullable=True),
    sa.Column('actor_token_id', sa.Integer(), nullable=True),
    sa.Column('object_type', sa.String(length=40), nullable=True),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_token_id'], ['access_tokens.id'], name=op.f('fk_audit_entries_actor_token_id_access_tokens'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['actor_user_id'], ['users.id'], name=op.f('fk_audit_entries_actor_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_audit_entries_event_id_events'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_at', ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_event_id'), ['event_id'], unique=False)

    op.create_table('bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('slot_capacity', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('seat', sa.Integer(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('seat <= slot_capacity', name=op.f('ck_bookings_seat_within_capacity')),
    sa.CheckConstraint('seat >= 1', name=op.f('ck_bookings_seat_positive')),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_bookings_registration_id_registrations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id', 'slot_capacity'], ['interview_slots.id', 'interview_slots.capacity'], name=op.f('fk_bookings_slot_id_interview_slots'), onupdate='CASCADE', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings'))
    )
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index('ix_bookings_registration_id', ['registration_id'], unique=False)
        batch_op.create_index('uq_bookings_slot_id_registration_id_active', ['slot_id', 'registration_id'], unique=True, sqlite_where=sa.text('cancelled_at IS NULL'), postgresql_where=sa.text('cancelled_at IS NULL'))
        batch_op.create_index('uq_bookings_slot_id_seat_active', ['slot_id', 'seat'], unique=True, sqlite_where=sa.text('cancelled_at IS NULL'), postgresql_where=sa.text('cancelled_at IS NULL'))

    op.create_table('checkins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('raw_code', sa.String(length=120), nullable=True),
    sa.Column('device_token_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('scanned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.Enum('entry', 'exit', 'undo', name='check_in_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('successful', sa.Boolean(), nullable=False),
    sa.Column('error_code', sa.String(length=40), nullable=True),
    sa.Column('is_offline', sa.Boolean(), nullable=False),
    sa.Column('is_duplicate', sa.Boolean(), nullable=False),
    sa.Column('undoes_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(kind = 'undo') = (undoes_id IS NOT NULL)", name=op.f('ck_checkins_undo_names_its_scan')),
    sa.CheckConstraint("nonce <> ''", name=op.f('ck_checkins_nonce_not_empty')),
    sa.CheckConstraint('registration_id IS NOT NULL OR raw_code IS NOT NULL', name=op.f('ck_checkins_identifies_something')),
    sa.CheckConstraint('successful = (error_code IS NULL)', name=op.f('ck_checkins_error_code_iff_failed')),
    sa.ForeignKeyConstraint(['device_token_id'], ['access_tokens.id'], name=op.f('fk_checkins_device_token_id_access_tokens'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_checkins_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id', 'event_id'], ['registrations.id', 'registrations.event_id'], name=op.f('fk_checkins_registration_id_registrations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['undoes_id'], ['checkins.id'], name=op.f('fk_checkins_undoes_id_checkins')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_checkins_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkins')),
    sa.UniqueConstraint('nonce', name=op.f('uq_checkins_nonce')),
    sa.UniqueConstraint('undoes_id', name=op.f('uq_checkins_undoes_id'))
    )
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.create_index('ix_checkins_event_id_received_at', ['event_id', 'received_at'], unique=False)
        batch_op.create_index('ix_checkins_registration_id_scanned_at', ['registration_id', 'scanned_at'], unique=False)

    op.create_table('position_interests',
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_position_interests_position_id_positions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_position_interests_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('registration_id', 'position_id', name=op.f('pk_position_interests'))
    )
    op.create_table('interviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('participation_id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=True),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.Enum('booked', 'walk_up', name='interview_source', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('client_nonce', sa.String(length=64), nullable=True),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.Enum('no_show', 'not_selected', 'second_interview', 'conditional_offer', 'hired_on_the_spot', name='outcome', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('recorded_by_token_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_user_id', sa.Integer(), nullable=True),
    sa.Column('offer_wage_cents', sa.Integer(), nullable=True),
    sa.Column('offer_wage_unit', sa.Enum('hour', 'year', name='wage_unit', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('offer_start_date', sa.Date(), nullable=True),
    sa.Column('offer_conditions', sa.JSON(), nullable=False),
    sa.Column('second_interview_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('second_interview_place', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('hire_status', sa.Enum('pending', 'hired', 'declined', name='hire_status', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('hired_start_date', sa.Date(), nullable=True),
    sa.Column('hire_confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(source = 'booked') = (booking_id IS NOT NULL)", name=op.f('ck_interviews_booked_iff_booking')),
    sa.CheckConstraint("hire_status IS NULL OR outcome IN ('conditional_offer', 'hired_on_the_spot')", name=op.f('ck_interviews_hire_status_needs_offer')),
    sa.CheckConstraint("outcome NOT IN ('conditional_offer', 'hired_on_the_spot') OR (offer_wage_cents IS NOT NULL AND offer_wage_unit IS NOT NULL)", name=op.f('ck_interviews_offer_has_wage')),
    sa.CheckConstraint('offer_wage_cents IS NULL OR offer_wage_cents >= 0', name=op.f('ck_interviews_offer_wage_not_negative')),
    sa.CheckConstraint('outcome IS NULL OR recorded_at IS NOT NULL', name=op.f('ck_interviews_outcome_has_time')),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_interviews_booking_id_bookings')),
    sa.ForeignKeyConstraint(['participation_id'], ['participations.id'], name=op.f('fk_interviews_participation_id_participations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_interviews_position_id_positions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recorded_by_token_id'], ['access_tokens.id'], name=op.f('fk_interviews_recorded_by_token_id_access_tokens'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recorded_by_user_id'], ['users.id'], name=op.f('fk_interviews_recorded_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_interviews_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interviews')),
    sa.UniqueConstraint('booking_id', name=op.f('uq_interviews_booking_id')),
    sa.UniqueConstraint('client_nonce', name=op.f('uq_interviews_client_nonce'))
    )
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.create_index('ix_interviews_participation_id_queued_at', ['participation_id', 'queued_at'], unique=False)
        batch_op.create_index('ix_interviews_registration_id', ['registration_id'], unique=False)


def downgrade():
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.drop_index('ix_interviews_registration_id')
        batch_op.drop_index('ix_interviews_participation_id_queued_at')

    op.drop_table('interviews')
    op.drop_table('position_interests')
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_index('ix_checkins_registration_id_scanned_at')
        batch_op.drop_index('ix_checkins_event_id_received_at')

    op.drop_table('checkins')
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index('uq_bookings_slot_id_seat_active', sqlite_where=sa.text('cancelled_at IS NULL'), postgresql_where=sa.text('cancelled_at IS NULL'))
        batch_op.drop_index('uq_bookings_slot_id_registration_id_active', sqlite_where=sa.text('cancelled_at IS NULL'), postgresql_where=sa.text('cancelled_at IS NULL'))
        batch_op.drop_index('ix_bookings_registration_id')

    op.drop_table('bookings')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entries_event_id'))
        batch_op.drop_index('ix_audit_entries_at')

    op.drop_table('audit_entries')
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answers_question_id'))

    op.drop_table('answers')
    op.drop_table('responses')
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index('ix_referrals_partnership_id')

    op.drop_table('referrals')
    op.drop_table('questions')
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_positions_participation_id'))

    op.drop_table('positions')
    op.drop_table('interview_slots')
    with op.batch_alter_table('access_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_tokens_event_id'))

    op.drop_table('access_tokens')
    op.drop_table('surveys')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_registrations_event_id_status_created_at')
        batch_op.drop_index(batch_op.f('ix_registrations_candidate_id'))

    op.drop_table('registrations')
    op.drop_table('partnerships')
    op.drop_table('participations')
    op.drop_table('users')
    op.drop_table('organizations')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_series'))

    op.drop_table('events')
    op.drop_table('candidates')
