"""Setting an event up, at the service level: templates, slugs, times, status, copies, employers and
their tables, job orders, partners, and the links that are stored only as hashes."""

from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.models import (
    AccessToken,
    Audience,
    AuditEntry,
    EmploymentType,
    EventKind,
    EventStatus,
    Interview,
    InterviewSource,
    OrganizationKind,
    Participation,
    Phase,
    Position,
    Referral,
    Response,
    Sector,
    Survey,
    TokenScope,
    WageUnit,
)
from app.services import event_setup, events, job_orders, links, organizations, participations, partnerships
from app.services.errors import DomainError
from app.services.event_templates import template_for
from app.services.organizations import OrganizationDetails
from app.services.tokens import find_usable_token, hash_secret
from tests import factories
from tests.test_constraints import make_booking, make_slot

CHICAGO = ZoneInfo("America/Chicago")
#: A Thursday in December (standard time: Chicago is UTC-6).
DAY = date(2026, 12, 10)


def details(**overrides) -> event_setup.EventDetails:
    fields: dict[str, Any] = {
        "name": "Techapalooza Winter 2026",
        "slug": "",
        "venue": "Harold Washington Library Center",
        "address": "400 S. State St., Chicago, IL 60605",
        "day": DAY,
        "start": time(16, 0),
        "end": time(19, 0),
        "timezone": "America/Chicago",
        "sectors": ("it",),
    }
    return event_setup.EventDetails(**(fields | overrides))


@contextmanager
def refused(code: str, field: str | None = None):
    """``with refused("slug_taken", "slug"):`` the block raises that DomainError, on that field."""
    with pytest.raises(DomainError) as info:
        yield info
    assert info.value.code == code, info.value.message
    if field is not None:
        assert info.value.field == field


# --- Templates and creating an event ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "series", "sector", "start"),
    [
        (EventKind.HOSPITALITY_HIRES, "hospitality-hires", Sector.HOSPITALITY, time(10)),
        (EventKind.TECHAPALOOZA, "techapalooza", Sector.IT, time(16)),
        (EventKind.REGIONAL, None, Sector.TDL, time(10)),
    ],
)
def test_each_template_prefills_its_sector_hours_and_series(kind, series, sector, start):
    template = template_for(kind)
    assert template.sectors == (sector,)
    assert template.start == start and template.end > template.start
    assert template.series == series
    assert template.name and template.description and template.capacity


def test_the_blank_template_prefills_nothing_and_unknown_names_fall_back_to_it():
    blank = template_for("blank")
    assert (blank.name, blank.sectors, blank.start, blank.capacity) == ("", (), None, None)
    assert template_for("no-such-template") is blank
    assert template_for(None) is blank


def test_a_new_event_is_a_draft_of_its_templates_series_with_the_default_surveys(db):
    staff = factories.make_user(db.session)
    event = event_setup.create_event(db.session, details(), EventKind.TECHAPALOOZA, actor=staff)

    assert event.status == EventStatus.DRAFT
    assert (event.kind, event.series) == (EventKind.TECHAPALOOZA, "techapalooza")
    assert event.slug == "techapalooza-winter-2026"
    surveys = db.session.scalars(select(Survey).where(Survey.event_id == event.id)).all()
    assert {(s.audience, s.phase) for s in surveys} == {
        (Audience.CANDIDATE, Phase.PRE), (Audience.CANDIDATE, Phase.POST),
        (Audience.EMPLOYER, Phase.PRE), (Audience.EMPLOYER, Phase.POST),
    }
    assert all(s.questions for s in surveys)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "event.create"))
    assert (entry.actor_user_id, entry.object_id, entry.details) == (
        staff.id,
        event.id,
        {"kind": "techapalooza"},
    )


def test_local_times_are_stored_in_utc_on_either_side_of_daylight_saving(db):
    winter = event_setup.create_event(db.session, details(name="Winter"))
    summer = event_setup.create_event(db.session, details(name="Summer", day=date(2027, 7, 15)))

    assert winter.starts_at == datetime(2026, 12, 10, 22, 0, tzinfo=UTC)  # 16:00 CST = UTC-6
    assert summer.starts_at == datetime(2027, 7, 15, 21, 0, tzinfo=UTC)  # 16:00 CDT = UTC-5
    assert summer.ends_at == datetime(2027, 7, 16, 0, 0, tzinfo=UTC)
    new_york = event_setup.create_event(db.session, details(name="East", timezone="America/New_York"))
    assert new_york.starts_at == datetime(2026, 12, 10, 21, 0, tzinfo=UTC)


def test_the_registration_window_is_read_in_the_events_time_zone(db):
    event = event_setup.create_event(
        db.session,
        details(
            registration_opens=datetime(2026, 10, 20, 9, 0), registration_closes=datetime(2026, 12, 10, 16, 0)
        ),
    )
    assert event.registration_opens_at == datetime(2026, 10, 20, 14, 0, tzinfo=UTC)  # CDT in October: UTC-5
    assert event.registration_closes_at == event.starts_at


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"name": "   "}, "name_required", "name"),
        ({"venue": ""}, "venue_required", "venue"),
        ({"end": time(15, 0)}, "ends_before_start", "end"),
        ({"end": time(16, 0)}, "ends_before_start", "end"),
        ({"timezone": "Mars/Olympus_Mons"}, "invalid_timezone", "timezone"),
        (
            {"registration_opens": datetime(2026, 12, 1, 9), "registration_closes": datetime(2026, 11, 1, 9)},
            "registration_window_order",
            "registration_closes",
        ),
        (
            {"registration_closes": datetime(2026, 12, 11, 9)},
            "registration_closes_too_late",
            "registration_closes",
        ),
        (
            {"registration_opens": datetime(2026, 12, 11, 9)},
            "registration_opens_too_late",
            "registration_opens",
        ),
        ({"capacity": 0}, "capacity_positive", "capacity"),
        ({"max_bookings_per_candidate": -1}, "max_bookings_range", "max_bookings_per_candidate"),
        ({"sectors": ("it", "space_travel")}, "invalid_sector", "sectors"),
    ],
)
def test_bad_event_details_are_refused_on_the_field_concerned(db, overrides, code, field):
    with refused(code, field):
        event_setup.create_event(db.session, details(**overrides))
    assert db.session.scalar(select(func.count()).select_from(Survey)) == 0


# --- Slugs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "slug",
    ["Techapalooza", "techapalooza spring", "-spring", "spring-", "tech--spring", "café", "a" * 81, "new"],
)
def test_a_slug_must_be_lowercase_letters_digits_and_single_hyphens(db, slug):
    with refused("slug_taken" if slug == "new" else "invalid_slug", "slug"):
        event_setup.check_slug(db.session, slug)


def test_a_slug_taken_by_another_event_is_refused_but_an_event_keeps_its_own(db):
    event = factories.make_event(db.session, slug="techapalooza-spring-2027")
    with refused("slug_taken", "slug"):
        event_setup.create_event(db.session, details(slug="techapalooza-spring-2027"))
    assert event_setup.check_slug(db.session, "techapalooza-spring-2027", exclude_event_id=event.id)


def test_the_suggested_slug_comes_from_the_name_and_is_always_free(db):
    assert (
        event_setup.suggest_slug(db.session, "Día de Empleo: Pilsen & Little Village!")
        == "dia-de-empleo-pilsen-little-village"
    )
    factories.make_event(db.session, slug="techapalooza")
    factories.make_event(db.session, slug="techapalooza-2")
    assert event_setup.suggest_slug(db.session, "Techapalooza") == "techapalooza-3"
    assert event_setup.suggest_slug(db.session, "!!!") == "event"
    assert len(event_setup.suggest_slug(db.session, "x" * 300)) <= 80


# --- Status ---------------------------------------------------------------------------------------


def test_an_event_goes_draft_published_closed_archived_and_closed_can_reopen(db):
    event = event_setup.create_event(db.session, details())
    for status in ("published", "closed", "published", "closed", "archived"):
        events.change_status(db.session, event, status)
        assert event.status == status
    actions = db.session.scalars(
        select(AuditEntry.details).where(AuditEntry.action == "event.status").order_by(AuditEntry.id)
    ).all()
    assert actions[0] == {"from_status": "draft", "to_status": "published"}
    assert len(actions) == 5


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("draft", "closed"), ("draft", "archived"), ("draft", "draft"), ("published", "draft"),
        ("published", "archived"), ("closed", "draft"), ("archived", "published"), ("archived", "closed"),
    ],
)
def test_other_status_changes_are_refused(db, start, target):
    event = factories.make_event(db.session, status=EventStatus(start))
    with refused("status_change_not_allowed"):
        events.change_status(db.session, event, target)
    assert event.status == start


def test_an_unknown_status_is_refused(db):
    event = factories.make_event(db.session, status=EventStatus.DRAFT)
    with refused("invalid_status"):
        events.change_status(db.session, event, "cancelled")


def test_an_archived_event_can_no_longer_be_changed(db):
    event = factories.make_event(db.session, status=EventStatus.ARCHIVED)
    employer = factories.make_organization(db.session)
    with refused("event_archived"):
        event_setup.update_event(db.session, event, details())
    with refused("event_archived"):
        participations.add_employer(db.session, event, employer, participations.BoothSettings())


# --- Editing an event -----------------------------------------------------------------------------


def test_moving_an_event_to_another_day_moves_the_interview_windows_and_slots_with_it(db):
    event = event_setup.create_event(db.session, details())
    booth = participations.add_employer(
        db.session,
        event,
        factories.make_organization(db.session),
        participations.BoothSettings(
            table_number="1", interview_start=time(16, 30), interview_end=time(18, 30)
        ),
    )
    slots = [
        make_slot(
            db.session, participation=booth, starts_at=booth.interview_starts_at + timedelta(minutes=10 * i)
        )
        for i in range(3)
    ]

    event_setup.update_event(db.session, event, details(day=date(2027, 4, 8)))  # into daylight saving time

    assert event.starts_at.astimezone(CHICAGO) == datetime(2027, 4, 8, 16, 0, tzinfo=CHICAGO)
    assert booth.interview_starts_at.astimezone(CHICAGO) == datetime(2027, 4, 8, 16, 30, tzinfo=CHICAGO)
    assert booth.interview_ends_at.astimezone(CHICAGO) == datetime(2027, 4, 8, 18, 30, tzinfo=CHICAGO)
    assert [s.starts_at.astimezone(CHICAGO).time() for s in slots] == [
        time(16, 30),
        time(16, 40),
        time(16, 50),
    ]
    assert {s.starts_at.astimezone(CHICAGO).date() for s in slots} == {date(2027, 4, 8)}


def test_changing_the_time_zone_keeps_the_local_hours_of_interview_slots(db):
    event = event_setup.create_event(db.session, details())
    booth = participations.add_employer(
        db.session, event, factories.make_organization(db.session),
        participations.BoothSettings(interview_start=time(16, 0), interview_end=time(17, 0)),
    )
    from tests.test_constraints import make_slot

    # Slots an hour apart: moving them one at a time in the wrong order would collide.
    slots = [
        make_slot(db.session, participation=booth, starts_at=event.starts_at + timedelta(hours=i))
        for i in range(3)
    ]

    event_setup.update_event(db.session, event, details(timezone="America/New_York"))

    new_york = ZoneInfo("America/New_York")
    assert [s.starts_at.astimezone(new_york).time() for s in slots] == [time(16), time(17), time(18)]


# --- Copying a past event -------------------------------------------------------------------------


def test_copying_an_event_brings_employers_positions_partners_and_surveys_to_the_new_date(db):
    staff = factories.make_user(db.session)
    source = event_setup.create_event(
        db.session,
        details(
            name="Techapalooza Fall 2026",
            day=date(2026, 10, 15),
            capacity=150,
            registration_opens=datetime(2026, 9, 1, 9, 0),
            registration_closes=datetime(2026, 10, 15, 16, 0),
        ),
        EventKind.TECHAPALOOZA,
    )
    events.change_status(db.session, source, "published")
    booth = participations.add_employer(
        db.session, source, factories.make_organization(db.session, name="Midwest Cloud Co."),
        participations.BoothSettings(table_number="7", interview_minutes=20, interviewers=2,
                             interview_start=time(16, 15), interview_end=time(18, 45)),
    )
    job_orders.add_position(db.session, booth, job_orders.PositionDetails(
        title="Help Desk Technician", openings=3, wage_min_cents=2400, wage_max_cents=2800, wage_unit="hour",
        employment_type="full_time", sector="it", requirements="CompTIA A+ preferred",
    ))
    partnership = partnerships.add_partner(
        db.session, source, factories.make_organization(db.session, OrganizationKind.COMMUNITY_ORG)
    )
    post_survey = db.session.scalar(
        select(Survey).where(Survey.event_id == source.id, Survey.audience == Audience.CANDIDATE,
                             Survey.phase == Phase.POST)
    )
    post_survey.questions[0].prompt_en = "A reworded question staff made for this series"
    post_survey.opens_at = source.ends_at
    registration = factories.make_registration(db.session, source)
    db.session.add(Response(survey=post_survey, registration=registration))
    db.session.flush()

    # From October (daylight saving time) to February (standard time): local hours must not drift.
    copy = event_setup.copy_event(
        db.session, source, name="Techapalooza Winter 2027", slug="", day=date(2027, 2, 11), actor=staff
    )

    assert (copy.status, copy.kind, copy.series) == (
        EventStatus.DRAFT,
        EventKind.TECHAPALOOZA,
        "techapalooza",
    )
    assert copy.slug == "techapalooza-winter-2027"
    assert (copy.venue, copy.capacity, copy.sectors) == (source.venue, 150, ["it"])
    assert copy.starts_at.astimezone(CHICAGO) == datetime(2027, 2, 11, 16, 0, tzinfo=CHICAGO)
    assert copy.registration_opens_at.astimezone(CHICAGO) == datetime(
        2026, 12, 29, 9, 0, tzinfo=CHICAGO
    )  # 119 days later, as the event
    assert copy.registration_closes_at == copy.starts_at

    [new_booth] = copy.participations
    assert new_booth.id != booth.id and new_booth.organization_id == booth.organization_id
    assert (new_booth.table_number, new_booth.interview_minutes, new_booth.interviewers) == ("7", 20, 2)
    assert new_booth.interview_starts_at.astimezone(CHICAGO) == datetime(2027, 2, 11, 16, 15, tzinfo=CHICAGO)
    assert new_booth.interview_ends_at.astimezone(CHICAGO) == datetime(2027, 2, 11, 18, 45, tzinfo=CHICAGO)
    [position] = new_booth.positions
    assert (position.title, position.openings, position.wage_min_cents, position.wage_max_cents,
            position.wage_unit, position.sector, position.requirements) == (
        "Help Desk Technician", 3, 2400, 2800, WageUnit.HOUR, Sector.IT, "CompTIA A+ preferred")

    [new_partnership] = copy.partnerships
    assert new_partnership.organization_id == partnership.organization_id
    assert new_partnership.referral_code != partnership.referral_code
    assert len(new_partnership.referral_code) == 8

    surveys = db.session.scalars(select(Survey).where(Survey.event_id == copy.id)).all()
    assert len(surveys) == 4
    copied_post = next(s for s in surveys if (s.audience, s.phase) == (Audience.CANDIDATE, Phase.POST))
    assert copied_post.id != post_survey.id
    assert copied_post.questions[0].prompt_en == "A reworded question staff made for this series"
    assert [q.key for q in copied_post.questions] == [q.key for q in post_survey.questions]
    assert copied_post.opens_at == copy.ends_at
    responses = db.session.scalar(
        select(func.count()).select_from(Response).join(Survey).where(Survey.event_id == copy.id)
    )
    assert responses == 0
    assert (
        db.session.scalar(select(func.count()).where(Participation.event_id == source.id)) == 1
    )  # source intact
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "event.copy"))
    assert entry.details == {"source_event_id": source.id} and entry.actor_user_id == staff.id


def test_a_copy_needs_a_free_slug(db):
    source = factories.make_event(db.session, slug="techapalooza-fall-2026")
    with refused("slug_taken", "slug"):
        event_setup.copy_event(db.session, source, name="Again", slug="techapalooza-fall-2026", day=DAY)


# --- Employers at an event ------------------------------------------------------------------------


def test_an_employer_gets_a_table_and_an_interview_window_on_the_event_day(db):
    event = event_setup.create_event(db.session, details())
    booth = participations.add_employer(
        db.session,
        event,
        factories.make_organization(db.session),
        participations.BoothSettings(
            table_number=" 12 ", interview_start=time(16, 30), interview_end=time(18, 0)
        ),
    )
    assert booth.table_number == "12"
    assert (booth.interview_minutes, booth.interviewers) == (10, 1)  # the defaults
    assert booth.interview_starts_at == datetime(2026, 12, 10, 22, 30, tzinfo=UTC)
    assert booth.interview_ends_at == datetime(2026, 12, 11, 0, 0, tzinfo=UTC)


def test_a_taken_table_number_becomes_a_field_message_and_nothing_is_lost(db):
    event = factories.make_event(db.session)
    participations.add_employer(
        db.session,
        event,
        factories.make_organization(db.session, name="Hilton Chicago"),
        participations.BoothSettings(table_number="12"),
    )
    second = factories.make_organization(db.session, name="Palmer House")

    with refused("table_taken", "table_number") as error:
        participations.add_employer(
            db.session, event, second, participations.BoothSettings(table_number="12")
        )
    assert "Hilton Chicago" in error.value.message

    # The database refused it (the unique rule), and the session is still usable afterwards.
    booth = participations.add_employer(
        db.session, event, second, participations.BoothSettings(table_number="14")
    )
    assert db.session.scalar(select(func.count()).where(Participation.event_id == event.id)) == 2

    with refused("table_taken", "table_number"):
        participations.update_participation(
            db.session, booth, participations.BoothSettings(table_number="12")
        )
    db.session.refresh(booth)
    assert booth.table_number == "14"


def test_tables_without_a_number_do_not_clash_and_the_same_number_is_fine_at_another_event(db):
    event, other = factories.make_event(db.session), factories.make_event(db.session)
    participations.add_employer(
        db.session, event, factories.make_organization(db.session), participations.BoothSettings()
    )
    participations.add_employer(
        db.session,
        event,
        factories.make_organization(db.session),
        participations.BoothSettings(table_number=""),
    )
    employer = factories.make_organization(db.session)
    participations.add_employer(db.session, event, employer, participations.BoothSettings(table_number="3"))
    participations.add_employer(db.session, other, employer, participations.BoothSettings(table_number="3"))


def test_an_employer_comes_to_an_event_once(db):
    event, employer = factories.make_event(db.session), factories.make_organization(db.session)
    participations.add_employer(db.session, event, employer, participations.BoothSettings(table_number="1"))
    with refused("already_at_event", "organization"):
        participations.add_employer(
            db.session, event, employer, participations.BoothSettings(table_number="2")
        )


def test_only_employers_get_a_table(db):
    partner = factories.make_organization(db.session, OrganizationKind.JOB_CENTER)
    with refused("not_an_employer", "organization"):
        participations.add_employer(
            db.session, factories.make_event(db.session), partner, participations.BoothSettings()
        )


@pytest.mark.parametrize(
    ("settings", "code", "field"),
    [
        ({"interview_start": time(16, 30)}, "interview_window_incomplete", "interview_end"),
        ({"interview_end": time(17, 30)}, "interview_window_incomplete", "interview_start"),
        (
            {"interview_start": time(18, 0), "interview_end": time(17, 0)},
            "interview_window_order",
            "interview_end",
        ),
        (
            {"interview_start": time(15, 0), "interview_end": time(17, 0)},
            "interview_window_outside_event",
            "interview_start",
        ),
        (
            {"interview_start": time(17, 0), "interview_end": time(20, 0)},
            "interview_window_outside_event",
            "interview_end",
        ),
        (
            {"interview_start": time(17, 0), "interview_end": time(17, 5)},
            "interview_window_too_short",
            "interview_end",
        ),
        ({"interview_minutes": 0}, "interview_minutes_range", "interview_minutes"),
        ({"interview_minutes": 241}, "interview_minutes_range", "interview_minutes"),
        ({"interviewers": 0}, "interviewers_range", "interviewers"),
        ({"table_number": "x" * 21}, "table_number_too_long", "table_number"),
    ],
)
def test_bad_booth_settings_are_refused_on_the_field_concerned(db, settings, code, field):
    event = event_setup.create_event(db.session, details())
    with refused(code, field):
        participations.add_employer(
            db.session,
            event,
            factories.make_organization(db.session),
            participations.BoothSettings(**settings),
        )


def test_an_employer_with_interviews_cannot_be_removed(db):
    event = factories.make_event(db.session)
    booth = factories.make_participation(db.session, event)
    factories.make_position(db.session, booth)
    registration = factories.make_registration(db.session, event)
    db.session.add(Interview(registration=registration, participation=booth, source=InterviewSource.WALK_UP))
    db.session.flush()

    with refused("has_interviews") as error:
        participations.remove_participation(db.session, booth)
    assert booth.organization.name in error.value.message and "1 interview " in error.value.message
    assert db.session.get(Participation, booth.id) is not None


def test_an_employer_with_live_bookings_cannot_be_removed(db):
    booth = factories.make_participation(db.session, factories.make_event(db.session))
    make_booking(db.session, slot=make_slot(db.session, participation=booth))
    with refused("has_bookings"):
        participations.remove_participation(db.session, booth)


def test_removing_an_employer_removes_its_job_orders_but_keeps_it_in_the_directory(db):
    event = factories.make_event(db.session)
    booth = factories.make_participation(db.session, event)
    position = factories.make_position(db.session, booth)
    organization_id, position_id = booth.organization_id, position.id

    participations.remove_participation(db.session, booth)

    assert db.session.scalar(select(func.count()).where(Participation.event_id == event.id)) == 0
    assert db.session.get(Position, position_id) is None
    assert organizations.get_organization(db.session, organization_id, (OrganizationKind.EMPLOYER,))


# --- Job orders -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "cents"),
    [("18.50", 1850), ("48000", 4_800_000), ("17.555", 1756), (0, 0), (None, None), ("", None)],
)
def test_dollars_become_whole_cents(amount, cents):
    assert job_orders.dollars_to_cents(amount) == cents


def test_a_job_order_keeps_its_wage_in_cents(db):
    booth = factories.make_participation(db.session, factories.make_event(db.session))
    position = job_orders.add_position(db.session, booth, job_orders.PositionDetails(
        title="  Line   Cook ", openings=4, wage_min_cents=1800, wage_max_cents=2100, wage_unit="hour",
        employment_type="part_time",
    ))
    assert (position.title, position.wage_min_cents, position.wage_max_cents, position.wage_unit,
            position.employment_type) == ("Line Cook", 1800, 2100, WageUnit.HOUR, EmploymentType.PART_TIME)

    job_orders.update_position(
        db.session, position, job_orders.PositionDetails(title="Line Cook", wage_unit="year")
    )
    assert (position.wage_min_cents, position.wage_max_cents, position.wage_unit) == (None, None, None)


@pytest.mark.parametrize(
    ("wages", "code", "field"),
    [
        (
            {"wage_min_cents": 2000, "wage_max_cents": 1800, "wage_unit": "hour"},
            "wage_range_order",
            "wage_max",
        ),
        ({"wage_min_cents": 1800}, "wage_unit_required", "wage_unit"),
        ({"wage_max_cents": 5_000_000}, "wage_unit_required", "wage_unit"),
        ({"wage_min_cents": -100, "wage_unit": "hour"}, "wage_negative", "wage_min"),
        ({"wage_max_cents": -100, "wage_unit": "hour"}, "wage_negative", "wage_max"),
        ({"openings": 0}, "openings_range", "openings"),
        ({"title": "  "}, "title_required", "title"),
    ],
)
def test_bad_job_orders_are_refused_on_the_field_concerned(db, wages, code, field):
    booth = factories.make_participation(db.session, factories.make_event(db.session))
    with refused(code, field):
        job_orders.add_position(
            db.session, booth, job_orders.PositionDetails(**({"title": "Line Cook"} | wages))
        )
    assert db.session.scalar(select(func.count()).where(Position.participation_id == booth.id)) == 0


def test_a_job_order_named_in_an_interview_cannot_be_removed(db):
    event = factories.make_event(db.session)
    booth = factories.make_participation(db.session, event)
    position, spare = factories.make_position(db.session, booth), factories.make_position(db.session, booth)
    db.session.add(Interview(registration=factories.make_registration(db.session, event), participation=booth,
                             position=position, source=InterviewSource.WALK_UP))
    db.session.flush()

    with refused("has_interviews"):
        job_orders.remove_position(db.session, position)
    job_orders.remove_position(db.session, spare)
    assert [p.id for p in booth.positions] == [position.id]


# --- Referring partners ---------------------------------------------------------------------------


def test_a_partner_gets_an_unguessable_referral_code_without_look_alike_characters(db):
    event = factories.make_event(db.session)
    codes = {
        partnerships.add_partner(
            db.session, event, factories.make_organization(db.session, OrganizationKind.JOB_CENTER)
        ).referral_code
        for _ in range(20)
    }
    assert len(codes) == 20
    assert all(len(code) == 8 and set(code) <= set(partnerships.REFERRAL_CODE_ALPHABET) for code in codes)
    assert not set("01OI") & set(partnerships.REFERRAL_CODE_ALPHABET)


def test_a_partner_joins_an_event_once_and_must_be_a_partner(db):
    event = factories.make_event(db.session)
    partner = factories.make_organization(db.session, OrganizationKind.COMMUNITY_ORG)
    partnerships.add_partner(db.session, event, partner)
    with refused("already_a_partner", "organization"):
        partnerships.add_partner(db.session, event, partner)
    with refused("not_a_partner", "organization"):
        partnerships.add_partner(db.session, event, factories.make_organization(db.session))


def test_the_referral_link_carries_the_code(db):
    event = factories.make_event(db.session, slug="techapalooza-spring-2027")
    partnership = factories.make_partnership(db.session, event, referral_code="K7PX3MQA")
    assert partnerships.referral_link("https://hire.example.org/", event, partnership) == (
        "https://hire.example.org/events/techapalooza-spring-2027/register?ref=K7PX3MQA"
    )


def test_a_partner_that_referred_someone_cannot_be_removed(db):
    event = factories.make_event(db.session)
    partnership = factories.make_partnership(db.session, event)
    registration = factories.make_registration(db.session, event)
    registration.referrals.append(Referral(partnership=partnership))
    db.session.flush()
    with refused("has_referrals"):
        partnerships.remove_partnership(db.session, partnership, now=event.starts_at)
    quiet = factories.make_partnership(db.session, event)
    partnerships.remove_partnership(db.session, quiet, now=event.starts_at)


def test_removing_a_partner_from_an_event_ends_its_partner_links_for_that_event(db):
    event, other_event = factories.make_event(db.session), factories.make_event(db.session)
    partner = factories.make_organization(db.session, OrganizationKind.JOB_CENTER)
    here = factories.make_partnership(db.session, event, organization=partner)
    there = factories.make_partnership(db.session, other_event, organization=partner)
    _token, secret_here = links.issue_partner_link(db.session, here)
    _token, secret_there = links.issue_partner_link(db.session, there)
    now = event.starts_at

    partnerships.remove_partnership(db.session, here, now=now)

    assert find_usable_token(db.session, secret_here, TokenScope.PARTNER, now) is None
    assert find_usable_token(db.session, secret_there, TokenScope.PARTNER, now) is not None


# --- Links, stored hashed ---------------------------------------------------------------------------


def _secret_stored_anywhere(db, secret: str) -> bool:
    rows = db.session.execute(select(AccessToken.token_hash, AccessToken.name)).all()
    audit = db.session.scalars(select(AuditEntry.details)).all()
    return any(secret in str(row) for row in rows) or any(secret in str(d) for d in audit)


def test_partner_booth_and_device_links_are_stored_only_as_hashes_and_work(db):
    staff = factories.make_user(db.session)
    event = factories.make_event(db.session)
    booth = factories.make_participation(db.session, event)
    partnership = factories.make_partnership(db.session, event)
    now = event.starts_at - timedelta(days=1)

    issued = [
        (TokenScope.PARTNER, *links.issue_partner_link(db.session, partnership, actor=staff)),
        (TokenScope.BOOTH, *links.issue_booth_link(db.session, booth, valid_days=30, now=now, actor=staff)),
        (TokenScope.DEVICE, *links.issue_device_token(db.session, event, "Door 2", now=now, actor=staff)),
    ]

    for scope, token, secret in issued:
        assert len(secret) >= 43  # 256 random bits
        assert token.token_hash == hash_secret(secret)
        assert not _secret_stored_anywhere(db, secret)
        assert find_usable_token(db.session, secret, scope, now) == token
        assert token.event_id == event.id and token.created_by_id == staff.id
    partner_token, booth_token, device_token = (token for _scope, token, _secret in issued)
    assert partner_token.organization_id == partnership.organization_id and partner_token.expires_at is None
    assert booth_token.participation_id == booth.id
    assert booth_token.expires_at == event.ends_at + timedelta(days=30)
    assert device_token.name == "Door 2" and device_token.expires_at == event.ends_at + timedelta(days=2)

    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "token.issue")).all()
    assert sorted(e.details["scope"] for e in entries) == ["booth", "device", "partner"]
    assert all(e.actor_user_id == staff.id and e.event_id == event.id for e in entries)


def test_a_device_needs_a_name_and_a_revoked_link_stops_working(db):
    event = factories.make_event(db.session)
    now = event.starts_at
    with refused("name_required", "name"):
        links.issue_device_token(db.session, event, "   ", now=now)
    token, secret = links.issue_device_token(db.session, event, "Door 1", now=now)
    links.revoke_link(db.session, event, token.id, now)
    assert find_usable_token(db.session, secret, TokenScope.DEVICE, now) is None
    with refused("link_not_found"):
        links.revoke_link(db.session, factories.make_event(db.session), token.id, now)


def test_no_link_is_issued_that_would_already_have_expired(db):
    event = factories.make_event(db.session)
    booth = factories.make_participation(db.session, event)
    after_hires_are_confirmed = event.ends_at + timedelta(days=30, minutes=1)
    with refused("link_would_be_expired"):
        links.issue_booth_link(db.session, booth, valid_days=30, now=after_hires_are_confirmed)
    with refused("link_would_be_expired"):
        links.issue_device_token(db.session, event, "Door 1", now=event.ends_at + timedelta(days=2))
    links.issue_booth_link(db.session, booth, valid_days=30, now=event.ends_at + timedelta(days=29))
    assert db.session.scalar(select(func.count()).select_from(AccessToken)) == 1


# --- Counts ---------------------------------------------------------------------------------------


def test_the_event_counts_registrations_waitlist_employers_positions_and_openings(db):
    event = factories.make_event(db.session)
    for _ in range(3):
        factories.make_registration(db.session, event)
    factories.make_registration(db.session, event, status="waitlisted")
    booth = factories.make_participation(db.session, event)
    factories.make_participation(db.session, event)
    factories.make_position(db.session, booth, openings=4)
    factories.make_position(db.session, booth, openings=2)

    assert events.event_counts(db.session, event) == events.EventCounts(
        registered=3, waitlisted=1, employers=2, positions=2, openings=6
    )


# --- The directory --------------------------------------------------------------------------------


def test_an_employers_contact_details_are_validated_and_normalized(db):
    employer = organizations.create_organization(db.session, "employer", OrganizationDetails(
        name="  Hilton   Chicago ", sector="hospitality", website="hilton.com", contact_name="Ana Ruiz",
        contact_email=" Ana.Ruiz@Hilton.COM ", contact_phone="(312) 555-0147",
    ))
    assert (employer.name, employer.sector, employer.website) == ("Hilton Chicago", Sector.HOSPITALITY, "https://hilton.com")
    assert (employer.contact_email, employer.contact_phone) == ("ana.ruiz@hilton.com", "+13125550147")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "organization.create"))
    assert "Ana" not in str(entry.details) and "555" not in str(entry.details)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("contact_email", "ana.ruiz@", "invalid_email"),
        ("contact_phone", "12", "invalid_phone"),
        ("contact_phone", "call the front desk", "invalid_phone"),
        ("website", "not a website", "invalid_website"),
        ("website", "ftp://files.example.com", "invalid_website"),
    ],
)
def test_bad_contact_details_are_refused_on_their_field(db, field, value, code):
    with refused(code, field):
        organizations.create_organization(
            db.session, "employer", OrganizationDetails(name="Acme", **{field: value})
        )


def test_contact_details_are_optional_and_an_international_number_keeps_its_country(db):
    employer = organizations.create_organization(db.session, "employer", OrganizationDetails(name="Acme"))
    assert (employer.contact_email, employer.contact_phone, employer.website) == (None, None, None)
    organizations.update_organization(
        db.session, employer, OrganizationDetails(name="Acme", contact_phone="+44 20 7946 0958")
    )
    assert employer.contact_phone == "+442079460958"


def test_a_directory_name_is_unique_whatever_the_kind_ignoring_case_accents_and_punctuation(db):
    organizations.create_organization(db.session, "employer", OrganizationDetails(name="Hilton Chicago"))
    with refused("name_taken", "name"):
        organizations.create_organization(db.session, "employer", OrganizationDetails(name="hilton chicago"))
    organizations.create_organization(
        db.session, "community_org", OrganizationDetails(name="Code Forward Chicago")
    )
    # Added again as a job center, spelled a little differently: the same partner, so its
    # referrals' credit is never split between two entries.
    for typed in ("Code Forward Chicago", "code-forward  chicago", "Códe Forward Chicago."):
        with refused("name_taken", "name"):
            organizations.create_organization(db.session, "job_center", OrganizationDetails(name=typed))


def test_a_partner_can_switch_kind_but_never_become_an_employer(db):
    partner = organizations.create_organization(
        db.session, "job_center", OrganizationDetails(name="AJC Pilsen")
    )
    organizations.update_organization(
        db.session, partner, OrganizationDetails(name="AJC Pilsen"), kind="community_org"
    )
    assert partner.kind == OrganizationKind.COMMUNITY_ORG
    with refused("kind_change", "kind"):
        organizations.update_organization(
            db.session, partner, OrganizationDetails(name="AJC Pilsen"), kind="employer"
        )


def test_searching_the_directory_ignores_case_and_kind_of_other_organizations(db):
    for name in ("Hilton Chicago", "Palmer House Hilton", "Hyatt Regency"):
        factories.make_organization(db.session, name=name)
    factories.make_organization(db.session, OrganizationKind.JOB_CENTER, name="Hilton Job Center")

    found = organizations.search_organizations(db.session, (OrganizationKind.EMPLOYER,), "HILTON")
    assert [o.name for o in found] == ["Hilton Chicago", "Palmer House Hilton"]
    assert organizations.search_organizations(db.session, (OrganizationKind.EMPLOYER,), "100%") == []
