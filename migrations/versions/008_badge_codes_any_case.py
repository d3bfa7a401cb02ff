"""badge codes match in any case: a unique index on lower(badge_code)

Codes made from now on are lower-case base32; codes already printed on badges stay as they are
(mixed-case base64) and are found whatever case a scanner types them in. Upgrading stops with a
clear message if two existing codes differ only in case (never expected: 128 random bits each).

Only an index is created and dropped: the plain unique constraint stays, because dropping it on
SQLite means batch mode's copy-and-rename of ``registrations``, and with foreign keys enforced ON
DELETE CASCADE would take every check-in, booking and interview with the old table.

Revision ID: 008_badge_codes_any_case
Revises: 007_background_jobs
Create Date: 2026-11-30 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '008_badge_codes_any_case'
down_revision = '007_background_jobs'
branch_labels = None
depends_on = None


def upgrade():
    clashes = op.get_bind().scalar(sa.text(
        "SELECT count(*) FROM (SELECT lower(badge_code) FROM registrations "
        "GROUP BY lower(badge_code) HAVING count(*) > 1) AS folded"
    ))
    if clashes:
        raise RuntimeError(
            f"{clashes} badge codes differ from another only in case; reissue those badges before upgrading."
        )
    op.create_index(
        'uq_registrations_badge_code_folded', 'registrations', [sa.text('lower(badge_code)')], unique=True
    )


def downgrade():
    op.drop_index('uq_registrations_badge_code_folded', table_name='registrations')
