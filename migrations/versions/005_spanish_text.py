"""Spanish text staff may add: an event's description and a position's title

Revision ID: 005_spanish_text
Revises: 004_candidate_purge
Create Date: 2026-11-30 09:00:00

Existing rows get empty text, which public pages read as "no translation": they keep showing the
English text, marked lang="en".

Both directions alter the tables in place (recreate='never': ALTER TABLE ADD/DROP COLUMN, which
SQLite has had since 3.35). Batch mode's copy-and-rename would drop ``events`` with foreign keys
enforced, and ON DELETE CASCADE would take every registration with it.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '005_spanish_text'
down_revision = '004_candidate_purge'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('description_es', sa.Text(), server_default='', nullable=False))
    with op.batch_alter_table('positions', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('title_es', sa.String(length=200), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('positions', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('title_es')
    with op.batch_alter_table('events', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('description_es')
