"""survey links

Revision ID: 002_survey_links
Revises: 001_initial_schema
Create Date: 2026-11-21 06:50:27.610922

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '002_survey_links'
down_revision = '001_initial_schema'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.Enum('invitation', 'reminder', 'entry', name='survey_link_purpose', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(token_hash) = 64', name=op.f('ck_survey_links_token_hash_is_sha256')),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_survey_links_registration_id_registrations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_links_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_survey_links_token_hash'))
    )
    with op.batch_alter_table('survey_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_links_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index('ix_survey_links_survey_id_registration_id', ['survey_id', 'registration_id'], unique=False)


def downgrade():
    with op.batch_alter_table('survey_links', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_links_survey_id_registration_id')
        batch_op.drop_index(batch_op.f('ix_survey_links_registration_id'))

    op.drop_table('survey_links')
