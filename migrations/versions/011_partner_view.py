"""partner view: a person's consent, per referral, to share job offers' terms with the partner that
referred them (referrals.shares_offers, off for every referral made before); when an interview last
changed (interviews.updated_at), so a partner polling for changes sees a correction; partner API
tokens (access_tokens.scope 'partner_api', which belongs to an organization like a partner link)

Revision ID: 011_partner_view
Revises: 010_people
Create Date: 2026-11-30 13:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '011_partner_view'
down_revision = '010_people'
branch_labels = None
depends_on = None

SCOPES_BEFORE = "scope IN ('booth', 'partner', 'device')"
SCOPES_AFTER = "scope IN ('booth', 'partner', 'device', 'partner_api')"
PARTNER_BEFORE = "scope <> 'partner' OR organization_id IS NOT NULL"
PARTNER_AFTER = "scope NOT IN ('partner', 'partner_api') OR organization_id IS NOT NULL"
#: An interview's last change before this column existed: the latest of the times it recorded.
LAST_KNOWN_CHANGE = {
    'sqlite': "max(queued_at, coalesce(started_at, queued_at), coalesce(recorded_at, queued_at),"
              " coalesce(later_offer_at, queued_at), coalesce(hire_confirmed_at, queued_at))",
    'postgresql': "greatest(queued_at, started_at, recorded_at, later_offer_at, hire_confirmed_at)",
}


def _add_interviews_updated_at(dialect: str) -> None:
    """Filled from each interview's own times. SQLite cannot make a column NOT NULL after adding
    it without copying the table (which would drop the partial unique index's condition), so there
    it is added NOT NULL with a constant default the UPDATE replaces at once; the app always sets it."""
    if dialect == 'sqlite':
        with op.batch_alter_table('interviews', schema=None, recreate='never') as batch_op:
            batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False,
                                          server_default='1970-01-01 00:00:00.000000'))
    else:
        op.add_column('interviews', sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
    op.execute(f"UPDATE interviews SET updated_at = {LAST_KNOWN_CHANGE[dialect]}")
    if dialect != 'sqlite':
        op.alter_column('interviews', 'updated_at', existing_type=sa.DateTime(timezone=True), nullable=False)


def upgrade():
    # Columns are added and dropped in place (recreate='never', as in 005_spanish_text and 009_hostile_input).
    with op.batch_alter_table('referrals', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('shares_offers', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('shares_offers_changed_at', sa.DateTime(timezone=True), nullable=True))
    _add_interviews_updated_at(op.get_context().dialect.name)
    with op.batch_alter_table('access_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_access_tokens_token_scope'), type_='check')
        batch_op.drop_constraint(op.f('ck_access_tokens_partner_has_organization'), type_='check')
        batch_op.alter_column('scope', existing_type=sa.String(length=7), type_=sa.String(length=11),
                              existing_nullable=False)
        batch_op.create_check_constraint(op.f('ck_access_tokens_token_scope'), SCOPES_AFTER)
        batch_op.create_check_constraint(op.f('ck_access_tokens_partner_has_organization'), PARTNER_AFTER)


def downgrade():
    # The old schema has no partner API: its tokens go (a partner's page links stay).
    op.execute("DELETE FROM access_tokens WHERE scope = 'partner_api'")
    with op.batch_alter_table('access_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_access_tokens_partner_has_organization'), type_='check')
        batch_op.drop_constraint(op.f('ck_access_tokens_token_scope'), type_='check')
        batch_op.alter_column('scope', existing_type=sa.String(length=11), type_=sa.String(length=7),
                              existing_nullable=False)
        batch_op.create_check_constraint(op.f('ck_access_tokens_token_scope'), SCOPES_BEFORE)
        batch_op.create_check_constraint(op.f('ck_access_tokens_partner_has_organization'), PARTNER_BEFORE)
    with op.batch_alter_table('interviews', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('updated_at')
    with op.batch_alter_table('referrals', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('shares_offers_changed_at')
        batch_op.drop_column('shares_offers')
