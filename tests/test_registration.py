"""Registering career seekers: duplicates, capacity and the waitlist, referrals, survey answers."""

import threading
import unicodedata
from datetime import timedelta

import pytest
from hypothesis import given, strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.database import writing
from app.models import (
    Candidate,
    Event,
    EventStatus,
    Language,
    Partnership,
    Referral,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    Response,
)
from app.models.registration import name_key
from app.services import registration as registrations
from app.services.errors import DomainError
from app.services.registration import RegistrationDetails
from app.services.surveys import add_default_surveys
from tests import factories

NOW = factories.EVENT_START - timedelta(days=7)


def details(**overrides) -> RegistrationDetails:
    fields = {
        "first_name": "María", "last_name": "García", "email": "Maria.Garcia@Example.com",
        "phone": "(312) 555-0142", "zip_code": "60608", "consent_share_profile": True,
        "survey_answers": {"employment_status": "unemployed"},  # the one required pre-survey answer
    }
    return RegistrationDetails(**{**fields, **overrides})


@pytest.fixture
def event(db):
    event = factories.make_event(db.session, capacity=None)
    add_default_surveys(db.session, event)
    return event


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_registration_gets_a_badge_a_manage_link_and_keeps_the_survey_answers(db, event):
    answers = {
        "employment_status": "unemployed",
        "sectors": ["hospitality", "tdl"],
        "barriers": ["childcare"],
        "how_heard": "job_center",
    }
    outcome = registrations.register(db.session, event, details(survey_answers=answers), NOW)

    registration = outcome.registration
    assert outcome.created and registration.status == RegistrationStatus.REGISTERED
    assert len(registration.badge_code) >= 22
    assert registrations.find_by_manage_token(db.session, outcome.manage_token) == registration
    candidate = registration.candidate
    assert (candidate.email, candidate.phone, candidate.zip_code) == (
        "maria.garcia@example.com",
        "+13125550142",
        "60608",
    )
    assert registration.employment_status == "unemployed"
    assert registration.sectors_of_interest == ["hospitality", "tdl"]
    response = db.session.scalar(select(Response).where(Response.registration_id == registration.id))
    assert {a.question.key: a.choices for a in response.answers}["barriers"] == ["childcare"]


@pytest.mark.parametrize(
    "again",
    [
        {"email": "MARIA.GARCIA@example.com", "phone": ""},
        {"email": "", "phone": "+1 312 555 0142"},
        {"email": "someone.else@example.com", "phone": "312.555.0142"},
        {"first_name": "maria", "last_name": "  GARCIA "},
    ],
    ids=[
        "same email, other case",
        "same phone, other format",
        "same phone, other email",
        "name without accents",
    ],
)
def test_the_same_person_is_never_registered_twice_and_keeps_their_first_link(db, event, again):
    first = registrations.register(db.session, event, details(), NOW)
    second = registrations.register(db.session, event, details(**again), NOW)

    assert not second.created
    assert second.registration.id == first.registration.id
    assert count(db, Registration) == 1 and count(db, Candidate) == 1
    # Every link works: the first e-mail's, and the additional one sent to the address on file.
    assert registrations.find_by_manage_token(db.session, first.manage_token) == first.registration
    assert registrations.find_by_manage_token(db.session, second.manage_token) == first.registration
    assert len(registrations.live_links(first.registration)) == 2


def test_a_household_sharing_one_phone_and_email_registers_each_person(db, event):
    jose = registrations.register(db.session, event, details(first_name="José", last_name="Núñez"), NOW)
    guadalupe = registrations.register(
        db.session, event, details(first_name="Guadalupe", last_name="Núñez"), NOW
    )

    assert jose.created and guadalupe.created
    assert jose.registration.candidate_id != guadalupe.registration.candidate_id
    assert jose.registration.badge_code != guadalupe.registration.badge_code
    assert (jose.registration.checkin_number, guadalupe.registration.checkin_number) == (1, 2)
    assert registrations.find_by_manage_token(db.session, guadalupe.manage_token) == guadalupe.registration
    assert registrations.find_by_manage_token(db.session, jose.manage_token) == jose.registration
    # José again, typed another way: still José, and Guadalupe's registration is untouched.
    again = registrations.register(
        db.session, event, details(first_name="jose", last_name="NUNEZ", email=""), NOW
    )
    assert (again.created, again.registration) == (False, jose.registration)
    assert registrations.household(db.session, jose.registration.candidate) == [
        guadalupe.registration.candidate
    ]


def test_a_repeat_attempt_sends_links_only_to_the_address_on_file_and_only_so_often(db, event):
    first = registrations.register(db.session, event, details(), NOW)
    sent = [registrations.register(db.session, event, details(email=""), NOW + timedelta(minutes=i))
            for i in range(registrations.RESEND_LIMIT + 1)]
    assert [o.manage_token is not None for o in sent] == [True] * registrations.RESEND_LIMIT + [False]
    assert sent[-1].resend_limited
    later = registrations.register(
        db.session, event, details(email=""), NOW + registrations.RESEND_WINDOW + timedelta(minutes=5)
    )
    assert later.manage_token is not None
    assert registrations.find_by_manage_token(db.session, first.manage_token) == first.registration

    phone_only = registrations.register(db.session, event, details(first_name="Rosa", email=""), NOW)
    repeat = registrations.register(db.session, event, details(first_name="Rosa", email=""), NOW)
    assert (repeat.created, repeat.manage_token, repeat.resend_limited) == (
        False,
        None,
        False,
    )  # nowhere to send
    assert registrations.find_by_manage_token(db.session, phone_only.manage_token) == phone_only.registration


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "maria@", "phone": ""}, "email"),
        ({"phone": "555-01"}, "phone"),
        ({"zip_code": "6060"}, "zip_code"),
        ({"email": "", "phone": ""}, "email"),
        ({"first_name": "  "}, "first_name"),
        ({"consent_share_profile": False}, "consent_share_profile"),
        ({"position_ids": [999_999]}, "position_ids"),
        ({"survey_answers": {"employment_status": "astronaut"}}, "q_employment_status"),
        ({"survey_answers": {}}, "q_employment_status"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(db, event, overrides, field):
    with pytest.raises(DomainError) as error:
        registrations.register(db.session, event, details(**overrides), NOW)
    assert error.value.field == field
    assert count(db, Registration) == 0 and count(db, Candidate) == 0


def test_a_zip_plus_four_keeps_its_first_five_digits(db, event):
    outcome = registrations.register(db.session, event, details(zip_code="60608-1234"), NOW)
    assert outcome.registration.candidate.zip_code == "60608"


def test_registration_only_while_the_event_is_open(db):
    draft = factories.make_event(db.session, status=EventStatus.DRAFT)
    with pytest.raises(DomainError, match="registration_closed"):
        registrations.register(db.session, draft, details(), NOW)
    window = factories.make_event(db.session, registration_closes_at=NOW - timedelta(hours=1))
    with pytest.raises(DomainError, match="registration_closed"):
        registrations.register(db.session, window, details(), NOW)


def test_past_capacity_people_wait_and_a_cancellation_promotes_the_first_in_line(db):
    event = factories.make_event(db.session, capacity=2)
    people = [
        registrations.register(
            db.session,
            event,
            details(email=f"p{i}@example.com", phone=f"31255501{i:02d}"),
            NOW + timedelta(minutes=i),
        ).registration
        for i in range(4)
    ]
    assert [p.status for p in people] == [RegistrationStatus.REGISTERED] * 2 + [
        RegistrationStatus.WAITLISTED
    ] * 2
    assert [registrations.waitlist_position(db.session, p) for p in people] == [None, None, 1, 2]

    promoted = registrations.cancel(db.session, people[0], NOW + timedelta(days=1))
    assert [person for person, _ in promoted] == [people[2]]
    assert registrations.find_by_manage_token(db.session, promoted[0][1]) == people[2]
    assert people[2].status == RegistrationStatus.REGISTERED
    assert registrations.waitlist_position(db.session, people[3]) == 1
    assert registrations.cancel(db.session, people[0], NOW + timedelta(days=2)) == []  # twice is harmless


def test_a_cancelled_person_can_register_again(db, event):
    first = registrations.register(db.session, event, details(), NOW)
    registrations.cancel(db.session, first.registration, NOW)
    again = registrations.register(db.session, event, details(), NOW + timedelta(hours=1))
    assert again.created and again.registration.id == first.registration.id
    assert (
        again.registration.status == RegistrationStatus.REGISTERED and again.registration.cancelled_at is None
    )


def test_two_partners_referring_one_person_both_get_credit(db, event):
    north = factories.make_partnership(db.session, event, referral_code="NORTH001")
    south = factories.make_partnership(db.session, event, referral_code="SOUTH001")
    registrations.register(db.session, event, details(referral_code="north001"), NOW)
    # The second partner's staff import the same person: staff may attach a partner.
    registrations.register(db.session, event, details(referral_code="SOUTH001"), NOW,
                           source=RegistrationSource.PARTNER_IMPORT, send_link_if_registered=False)
    registrations.register(
        db.session,
        event,
        details(referral_code="SOUTH001"),
        NOW,
        source=RegistrationSource.PARTNER_IMPORT,
        send_link_if_registered=False,
    )  # adds nothing
    credited = db.session.scalars(select(Referral.partnership_id).order_by(Referral.id)).all()
    assert credited == [north.id, south.id]


def test_a_public_referral_link_does_not_attach_a_partner_to_someone_already_registered(db, event):
    factories.make_partnership(db.session, event, referral_code="NORTH001")
    factories.make_partnership(db.session, event, referral_code="SOUTH001")
    registrations.register(db.session, event, details(referral_code="NORTH001"), NOW)
    # Someone who knows her e-mail re-enters it through another partner's public link: that
    # partner must not start seeing her interviews and offers.
    again = registrations.register(db.session, event, details(referral_code="SOUTH001"), NOW)
    assert not again.created
    codes = db.session.scalars(
        select(Partnership.referral_code).join(Referral, Referral.partnership_id == Partnership.id)
    ).all()
    assert codes == ["NORTH001"]


def test_a_returning_person_is_the_same_candidate_at_the_next_event(db, event):
    first = registrations.register(db.session, event, details(), NOW)
    later = factories.make_event(db.session, starts_at=factories.EVENT_START + timedelta(days=90))
    second = registrations.register(db.session, later, details(language=Language.ES, zip_code="60623"), NOW)
    assert second.created and second.registration.candidate_id == first.registration.candidate_id
    assert second.registration.candidate.zip_code == "60623"


def test_updating_details_may_share_a_phone_but_not_become_another_person(db, event):
    mine = registrations.register(db.session, event, details(), NOW).registration
    registrations.register(
        db.session, event, details(first_name="Rosa", email="other@example.com", phone="3125550199"), NOW
    )
    update = registrations.DetailsUpdate(
        first_name="Rosa", last_name="García", phone="312-555-0199", zip_code="60609",
        language=Language.ES, accessibility_needs="", consent_email=True, consent_sms=False,
    )
    with pytest.raises(DomainError) as error:  # Rosa García on that phone is someone else
        registrations.update_details(db.session, mine, update)
    assert error.value.code == "person_taken"
    update.first_name = "María"  # her sister's phone, shared: fine
    registrations.update_details(db.session, mine, update)
    assert (mine.candidate.first_name, mine.candidate.phone, mine.language) == (
        "María",
        "+13125550199",
        Language.ES,
    )


def test_concurrent_duplicate_submits_make_one_registration(app, committed):
    """Eight browsers submitting the same person at once (a double tap on bad Wi-Fi, times four)."""
    engine = committed.engine
    event = factories.make_event(committed.session, capacity=None)
    committed.session.commit()
    event_id = event.id
    barrier = threading.Barrier(8)
    outcomes, errors = [], []

    def submit():
        # Each submit is a request of its own that writes, as in production (on SQLite its
        # transaction takes the write lock when it begins).
        with app.test_request_context(), writing(), Session(engine) as session:
            barrier.wait()
            try:
                outcome = registrations.register(session, session.get(Event, event_id), details(), NOW)
                session.commit()
                outcomes.append(outcome.created)
            except Exception as exc:  # collected and asserted below
                errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(outcomes) == [False] * 7 + [True]
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Registration)) == 1
        assert session.scalar(select(func.count()).select_from(Candidate)) == 1


def test_a_household_registering_at_once_gets_one_registration_each(app, committed):
    """José and Guadalupe share a phone and submit at the same moment, each twice (a double tap)."""
    engine = committed.engine
    event = factories.make_event(committed.session, capacity=None)
    committed.session.commit()
    event_id = event.id
    names = ["José", "Guadalupe"] * 4
    barrier = threading.Barrier(len(names))
    outcomes, errors = [], []

    def submit(first_name: str):
        with app.test_request_context(), writing(), Session(engine) as session:
            barrier.wait()
            try:
                outcome = registrations.register(
                    session,
                    session.get_one(Event, event_id),
                    details(first_name=first_name, last_name="Núñez"),
                    NOW,
                )
                session.commit()
                outcomes.append((first_name, outcome.created))
            except Exception as exc:  # collected and asserted below
                errors.append(exc)

    threads = [threading.Thread(target=submit, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(outcomes) == sorted(
        [("Guadalupe", True), ("José", True)] + [("Guadalupe", False), ("José", False)] * 3
    )
    with Session(engine) as session:
        people = session.execute(
            select(Candidate.first_name, Registration.checkin_number)
            .join(Registration.candidate)
            .order_by(Candidate.first_name)
        ).all()
        assert [first for first, _ in people] == ["Guadalupe", "José"]
        assert sorted(number for _, number in people) == [1, 2]


_WORDS = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzáéíóúñü", min_size=1, max_size=12), min_size=2, max_size=4
)


@given(
    words=_WORDS,
    upper=st.lists(st.booleans(), min_size=4, max_size=4),
    gaps=st.lists(st.integers(1, 3), min_size=4, max_size=4),
)
def test_a_name_typed_with_other_case_accents_or_spacing_is_the_same_name(words, upper, gaps):
    first, last = words[0], " ".join(words[1:])
    plain = unicodedata.normalize("NFKD", f"{first} {last}")
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    retyped = "".join(
        (word.upper() if upper[i % 4] else word) + " " * gaps[i % 4] for i, word in enumerate(plain.split())
    )
    assert name_key(retyped, "") == name_key(first, last)
    assert name_key(first + "x", last) != name_key(first, last)  # another first name: another person
