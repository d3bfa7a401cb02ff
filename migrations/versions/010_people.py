"""people, not contacts: a person is a contact and a name; several live manage links per
registration; a short check-in number per event; the calendar entry's SEQUENCE

Revision ID: 010_people
Revises: 009_hostile_input
Create Date: 2026-11-30 09:00:00

Every registration is kept: its one manage-link hash becomes its first ``manage_links`` row (so
every link already e-mailed keeps working), each person gets the folded name that identifies
them with their contact, and each event's registrations are numbered in the order they came.

"""
import hashlib
import secrets
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '010_people'
down_revision = '009_hostile_input'
branch_labels = None
depends_on = None


def _name_key(first_name: str, last_name: str) -> str:
    """``app.models.registration.name_key`` as it is today (a migration must not change with the app)."""
    text = f"{first_name} {last_name}".casefold()
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(plain.split())


#: 008_badge_codes_any_case's unique index on lower(badge_code). SQLite's batch mode rebuilds ``registrations`` from
#: its reflection, which cannot see an expression index: dropped before, made again after.
_FOLDED_BADGE_CODE = 'uq_registrations_badge_code_folded'


def _without_folded_badge_code_index():
    op.drop_index(_FOLDED_BADGE_CODE, table_name='registrations')


def _with_folded_badge_code_index():
    op.create_index(_FOLDED_BADGE_CODE, 'registrations', [sa.text('lower(badge_code)')], unique=True)


def upgrade():
    connection = op.get_bind()

    manage_links = op.create_table(
        'manage_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('reason', sa.Enum('registered', 'resent', 'promoted', 'event_changed', 'staff',
                                    name='manage_link_reason', native_enum=False, create_constraint=True, length=13),
                  nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint('length(token_hash) = 64', name=op.f('ck_manage_links_token_hash_is_sha256')),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'],
                                name=op.f('fk_manage_links_registration_id_registrations'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_manage_links')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_manage_links_token_hash')),
    )
    op.create_index(op.f('ix_manage_links_registration_id'), 'manage_links', ['registration_id'], unique=False)
    registrations = sa.table(
        'registrations', sa.column('id', sa.Integer), sa.column('event_id', sa.Integer),
        sa.column('manage_token_hash', sa.String), sa.column('created_at', sa.DateTime(timezone=True)),
        sa.column('checkin_number', sa.Integer),
    )
    connection.execute(
        manage_links.insert().from_select(
            ['registration_id', 'token_hash', 'reason', 'created_at'],
            sa.select(registrations.c.id, registrations.c.manage_token_hash, sa.literal('registered'),
                      registrations.c.created_at),
        )
    )

    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=201), nullable=True))
    candidates = sa.table('candidates', sa.column('id', sa.Integer), sa.column('first_name', sa.String),
                          sa.column('last_name', sa.String), sa.column('name_key', sa.String))
    keys = [
        {'candidate_id': id_, 'key': _name_key(first, last)}
        for id_, first, last in connection.execute(sa.select(candidates.c.id, candidates.c.first_name,
                                                             candidates.c.last_name))
    ]
    if keys:
        connection.execute(
            candidates.update().where(candidates.c.id == sa.bindparam('candidate_id'))
            .values(name_key=sa.bindparam('key')),
            keys,
        )
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.alter_column('name_key', existing_type=sa.String(length=201), nullable=False)
        batch_op.drop_constraint(op.f('uq_candidates_email'), type_='unique')
        batch_op.drop_constraint(op.f('uq_candidates_phone'), type_='unique')
        batch_op.create_unique_constraint(op.f('uq_candidates_email_name_key'), ['email', 'name_key'])
        batch_op.create_unique_constraint(op.f('uq_candidates_phone_name_key'), ['phone', 'name_key'])

    _without_folded_badge_code_index()
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checkin_number', sa.Integer(), nullable=True))
    numbered = sa.select(
        registrations.c.id,
        sa.func.row_number().over(partition_by=registrations.c.event_id,
                                  order_by=(registrations.c.created_at, registrations.c.id)).label('n'),
    ).subquery()
    connection.execute(
        registrations.update()
        .values(checkin_number=sa.select(numbered.c.n).where(numbered.c.id == registrations.c.id).scalar_subquery())
    )
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.alter_column('checkin_number', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(op.f('uq_registrations_event_id_checkin_number'), ['event_id', 'checkin_number'])
        batch_op.create_check_constraint(op.f('ck_registrations_checkin_number_positive'), 'checkin_number > 0')
        batch_op.drop_constraint(op.f('uq_registrations_manage_token_hash'), type_='unique')
        batch_op.drop_column('manage_token_hash')
    _with_folded_badge_code_index()

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ics_sequence', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    connection = op.get_bind()
    candidates = sa.table('candidates', sa.column('email', sa.String), sa.column('phone', sa.String))
    for column in (candidates.c.email, candidates.c.phone):
        shared = connection.execute(
            sa.select(sa.func.count()).select_from(
                sa.select(column).where(column.is_not(None)).group_by(column).having(sa.func.count() > 1).subquery()
            )
        ).scalar()
        if shared:
            raise RuntimeError(
                f"{shared} {column.name} values are shared by household members; the schema before 010_people "
                "allows one person per contact. Merge or separate them before downgrading."
            )

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('ics_sequence')

    _without_folded_badge_code_index()
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('manage_token_hash', sa.String(length=64), nullable=True))
    registrations = sa.table('registrations', sa.column('id', sa.Integer), sa.column('manage_token_hash', sa.String))
    links = sa.table('manage_links', sa.column('id', sa.Integer), sa.column('registration_id', sa.Integer),
                     sa.column('token_hash', sa.String), sa.column('revoked_at', sa.DateTime(timezone=True)))
    # One link per registration before 010_people: its first live one (else its first, which stays dead
    # as far as the person is concerned: nobody holds a revoked link's secret any more).
    first_link = (
        sa.select(links.c.token_hash).where(links.c.registration_id == registrations.c.id)
        .order_by(links.c.revoked_at.is_not(None), links.c.id).limit(1).scalar_subquery()
    )
    connection.execute(registrations.update().values(manage_token_hash=first_link))
    missing = connection.execute(
        sa.select(registrations.c.id).where(registrations.c.manage_token_hash.is_(None))
    ).scalars().all()
    for registration_id in missing:  # no link at all: a dead one (the hash of nothing anybody holds)
        dead = hashlib.sha256(secrets.token_urlsafe(32).encode()).hexdigest()
        connection.execute(registrations.update().where(registrations.c.id == registration_id)
                           .values(manage_token_hash=dead))
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.alter_column('manage_token_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(op.f('uq_registrations_manage_token_hash'), ['manage_token_hash'])
        batch_op.drop_constraint(op.f('ck_registrations_checkin_number_positive'), type_='check')
        batch_op.drop_constraint(op.f('uq_registrations_event_id_checkin_number'), type_='unique')
        batch_op.drop_column('checkin_number')
    _with_folded_badge_code_index()

    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('uq_candidates_phone_name_key'), type_='unique')
        batch_op.drop_constraint(op.f('uq_candidates_email_name_key'), type_='unique')
        batch_op.create_unique_constraint(op.f('uq_candidates_phone'), ['phone'])
        batch_op.create_unique_constraint(op.f('uq_candidates_email'), ['email'])
        batch_op.drop_column('name_key')

    op.drop_index(op.f('ix_manage_links_registration_id'), table_name='manage_links')
    op.drop_table('manage_links')
