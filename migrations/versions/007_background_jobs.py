"""background jobs: outbound messages, files made by jobs, reminder plans

Revision ID: 007_background_jobs
Revises: 006_one_funnel
Create Date: 2026-11-30 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '007_background_jobs'
down_revision = '006_one_funnel'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'outbound_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.Enum('email', 'sms', name='channel', native_enum=False, create_constraint=True,
                                     length=5), nullable=False),
        sa.Column('status', sa.Enum('queued', 'sent', 'failed', 'withdrawn', name='message_status',
                                    native_enum=False, create_constraint=True, length=9), nullable=False),
        sa.Column('recipient', sa.String(length=254), nullable=False),
        sa.Column('purpose', sa.String(length=40), nullable=False),
        sa.Column('body', sa.LargeBinary(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=True),
        sa.Column('once_key', sa.String(length=80), nullable=True),
        sa.Column('send_after', sa.DateTime(timezone=True), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('attempted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.String(length=200), nullable=True),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('provider_id', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('(status = \'sent\') = (sent_at IS NOT NULL)',
                           name=op.f('ck_outbound_messages_sent_at_iff_sent')),
        sa.CheckConstraint('attempts >= 0', name=op.f('ck_outbound_messages_attempts_not_negative')),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'],
                                name=op.f('fk_outbound_messages_registration_id_registrations'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbound_messages')),
        sa.UniqueConstraint('once_key', name=op.f('uq_outbound_messages_once_key')),
    )
    op.create_index('ix_outbound_messages_status_created_at', 'outbound_messages', ['status', 'created_at'])
    op.create_index(op.f('ix_outbound_messages_registration_id'), 'outbound_messages', ['registration_id'])

    op.create_table(
        'file_jobs',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum('queued', 'running', 'finished', 'failed', name='file_job_status',
                                    native_enum=False, create_constraint=True, length=8), nullable=False),
        sa.Column('options', sa.JSON(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('error', sa.String(length=200), nullable=True),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('filename', sa.String(length=120), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('done >= 0 AND done <= total', name=op.f('ck_file_jobs_done_within_total')),
        sa.CheckConstraint('(status = \'finished\') = (content IS NOT NULL)',
                           name=op.f('ck_file_jobs_content_iff_finished')),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_file_jobs_event_id_events'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_file_jobs')),
    )
    op.create_index('ix_file_jobs_event_id_kind_finished_at', 'file_jobs', ['event_id', 'kind', 'finished_at'])

    op.create_table(
        'reminder_plans',
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('two_days_enabled', sa.Boolean(), nullable=False),
        sa.Column('two_days_at', sa.Time(), nullable=False),
        sa.Column('morning_enabled', sa.Boolean(), nullable=False),
        sa.Column('morning_at', sa.Time(), nullable=False),
        sa.Column('sms_enabled', sa.Boolean(), nullable=False),
        sa.Column('bring_en', sa.String(length=300), nullable=False),
        sa.Column('bring_es', sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_reminder_plans_event_id_events'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('event_id', name=op.f('pk_reminder_plans')),
    )


def downgrade():
    # New tables only: nothing else is altered, so no batch copy of a table others refer to.
    op.drop_table('reminder_plans')
    op.drop_index('ix_file_jobs_event_id_kind_finished_at', table_name='file_jobs')
    op.drop_table('file_jobs')
    op.drop_index(op.f('ix_outbound_messages_registration_id'), table_name='outbound_messages')
    op.drop_index('ix_outbound_messages_status_created_at', table_name='outbound_messages')
    op.drop_table('outbound_messages')
