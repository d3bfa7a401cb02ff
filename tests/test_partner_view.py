"""What a referring partner sees of one referral (``services.partner_view``): its stage and times,
offer terms only with the person's consent for that partner, nothing about other partners; and
the consent itself, asked on the registration form and changed on the person's own page."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.models import (
    Audience,
    CheckInKind,
    HireStatus,
    Outcome,
    Phase,
    Referral,
    RegistrationSource,
    RegistrationStatus,
    Survey,
    TokenScope,
    utcnow,
)
from app.services import checkin, interviews, referrals, registration as registrations
from app.services.partner_view import Stage, as_json, referral_statuses
from app.services.surveys import record_response
from app.services.tokens import issue_token
from tests import factories


@pytest.fixture
def day(db):
    """An event under way, one employer with a position, two partners who both referred Ana (only
    the job center with her consent to share offers) and a church that alone referred Ben."""
    now = utcnow()
    event = factories.make_event(db.session, name="Techapalooza", starts_at=now - timedelta(hours=2),
                                 ends_at=now + timedelta(hours=2), timezone="UTC")
    booth = factories.make_participation(
        db.session, event, factories.make_organization(db.session, name="Loop Logic")
    )
    position = factories.make_position(db.session, booth, title="Help desk analyst")
    center = factories.make_partnership(db.session, event, organization=factories.make_organization(
        db.session, factories.OrganizationKind.JOB_CENTER, name="Pilsen Job Center"))
    church = factories.make_partnership(db.session, event, organization=factories.make_organization(
        db.session, factories.OrganizationKind.COMMUNITY_ORG, name="St. Agnes Outreach"))
    ana = factories.make_registration(
        db.session, event, factories.make_candidate(db.session, first_name="Ana", last_name="Ruiz")
    )
    ben = factories.make_registration(
        db.session, event, factories.make_candidate(db.session, first_name="Ben", last_name="Okafor")
    )
    db.session.add_all([
        Referral(registration=ana, partnership_id=center.id, shares_offers=True),
        Referral(registration=ana, partnership_id=church.id),
        Referral(registration=ben, partnership_id=church.id),
    ])
    db.session.flush()
    return {"event": event, "booth": booth, "position": position, "center": center, "church": church,
            "ana": ana, "ben": ben}


def _status(db, partnership, registration):
    return next(
        s
        for s in referral_statuses(db.session, partnership.organization)
        if s.name == registration.candidate.full_name
    )


def _hire(db, day, now):
    interview = interviews.start(db.session, day["booth"], day["ana"], now)
    interviews.record_outcome(db.session, interview, interviews.OutcomeDetails(
        Outcome.CONDITIONAL_OFFER, position_id=day["position"].id, wage_cents=2400, wage_unit="hour"), now)
    interviews.confirm_hire(
        db.session, interview, HireStatus.HIRED, now, start_date=now.date() + timedelta(days=7)
    )
    return interview


def test_offer_terms_only_for_the_partner_the_person_consented_to(db, day):
    now = utcnow()
    _hire(db, day, now)
    center, church = _status(db, day["center"], day["ana"]), _status(db, day["church"], day["ana"])
    assert center.stage == church.stage == Stage.HIRED
    assert [o.employer for o in center.offers] == [o.employer for o in church.offers] == ["Loop Logic"]
    terms = center.offers[0].terms
    assert (terms.position, terms.wage_cents, terms.wage_unit.value, terms.start_date) == (
        "Help desk analyst", 2400, "hour", now.date() + timedelta(days=7))
    assert church.offers[0].terms is None
    assert center.shared and church.shared


def test_the_json_leaves_terms_out_without_consent(db, day):
    _hire(db, day, utcnow())
    center, church = (
        as_json(_status(db, day["center"], day["ana"])),
        as_json(_status(db, day["church"], day["ana"])),
    )
    assert center["stage"] == church["stage"] == "hired"
    assert center["offers"][0]["terms"] == {
        "position": "Help desk analyst",
        "wage": "24.00",
        "wage_unit": "hour",
        "start_date": (utcnow().date() + timedelta(days=7)).isoformat(),
    }
    assert "terms" not in church["offers"][0] and church["shares_offers"] is False
    assert center["updated_at"].endswith("Z") and church["shared_credit"] is True
    assert "Pilsen" not in str(church) and "St. Agnes" not in str(center)


def test_a_partner_sees_nothing_of_another_partners_referrals(db, day):
    center = referral_statuses(db.session, day["center"].organization)
    assert [s.name for s in center] == ["Ana Ruiz"]
    church_names = sorted(s.name for s in referral_statuses(db.session, day["church"].organization))
    assert church_names == ["Ana Ruiz", "Ben Okafor"]
    ben = _status(db, day["church"], day["ben"])
    assert not ben.shared and ben.stage == Stage.REGISTERED


def test_each_stage_change_moves_updated_at(db, day):
    ana, center, event = day["ana"], day["center"], day["event"]
    seen = [_status(db, center, ana)]

    def moved(stage):
        status = _status(db, center, ana)
        assert status.stage == stage
        assert status.updated_at > seen[-1].updated_at, stage
        seen.append(status)

    door = checkin.Scanner.of_device(issue_token(db.session, TokenScope.DEVICE, "Door 1", event=event)[0])
    entry = checkin.check_in(db.session, event.id, checkin.Scan(ana.badge_code, "n-1"), door, utcnow())
    moved(Stage.ATTENDED)
    checkin.undo(db.session, event, entry.checkin.id, "n-2", door, utcnow())
    moved(Stage.REGISTERED)
    interview = interviews.start(db.session, day["booth"], ana, utcnow())
    interviews.record_outcome(
        db.session, interview, interviews.OutcomeDetails(Outcome.NOT_SELECTED), utcnow()
    )
    moved(Stage.INTERVIEWED)
    interviews.record_outcome(
        db.session,
        interview,
        interviews.OutcomeDetails(
            Outcome.CONDITIONAL_OFFER, position_id=day["position"].id, wage_cents=2400, wage_unit="hour"
        ),
        utcnow(),
    )
    moved(Stage.OFFERED)
    interviews.confirm_hire(db.session, interview, HireStatus.HIRED, utcnow(), start_date=utcnow().date())
    moved(Stage.HIRED)
    interviews.confirm_hire(db.session, interview, HireStatus.PENDING, utcnow(), reason="entered_in_error")
    moved(Stage.OFFERED)  # a hire taken back is a change too, though it clears the hire's time
    post = Survey(
        event=event, audience=Audience.CANDIDATE, phase=Phase.POST, title_en="After", title_es="Después"
    )
    db.session.add(post)
    db.session.flush()
    record_response(db.session, post, {}, registration=ana)
    moved(Stage.OFFERED)
    assert seen[-1].survey_completed_at is not None
    referral = db.session.scalar(select(Referral).where(Referral.registration_id == ana.id,
                                                        Referral.partnership_id == center.id))
    referrals.set_offer_sharing(db.session, ana, referral.id, False, utcnow())
    moved(Stage.OFFERED)
    assert seen[-1].offers[0].terms is None
    registrations.cancel(db.session, ana, utcnow())
    moved(Stage.OFFERED)  # a cancelled registration keeps the offer it had; the cancellation shows
    assert seen[-1].registration_status == RegistrationStatus.CANCELLED


def test_a_waitlisted_person_promoted_moves_updated_at(db, day):
    ben, church = day["ben"], day["church"]
    ben.status = RegistrationStatus.WAITLISTED
    db.session.flush()
    before = _status(db, church, ben)
    assert before.stage == Stage.WAITLISTED
    ben.status = RegistrationStatus.REGISTERED
    db.session.flush()
    after = _status(db, church, ben)
    assert after.stage == Stage.REGISTERED and after.updated_at > before.updated_at


def _open_event(db):
    now = utcnow()
    event = factories.make_event(
        db.session, starts_at=now + timedelta(days=10), ends_at=now + timedelta(days=10, hours=4)
    )
    partnership = factories.make_partnership(db.session, event, organization=factories.make_organization(
        db.session, factories.OrganizationKind.JOB_CENTER, name="Pilsen Job Center"))
    db.session.commit()
    return event, partnership


def _form(client, event, **fields):
    page = client.get(f"/events/{event.slug}/register")
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    return {"csrf_token": token, "first_name": "Rosa", "last_name": "Díaz", "email": "rosa@example.com",
            "zip_code": "60608", "language": "en", "consent_share_profile": "y", **fields}


def test_the_form_asks_by_name_unticked_and_keeps_the_answer(client, db):
    event, partnership = _open_event(db)
    page = client.get(f"/events/{event.slug}/register?ref={partnership.referral_code}").get_data(as_text=True)
    assert "May we tell Pilsen Job Center about job offers you receive: position, wage, start date?" in page
    assert (
        'name="consent_share_offers"' in page
        and 'name="consent_share_offers" type="checkbox" value="y" checked' not in page
    )
    response = client.post(f"/events/{event.slug}/register", data=_form(
        client, event, referral_code=partnership.referral_code, consent_share_offers="y"))
    assert response.status_code == 302
    assert db.session.scalar(select(Referral.shares_offers)) is True


def test_the_question_in_spanish(client, db):
    event, partnership = _open_event(db)
    page = client.get(f"/events/{event.slug}/register?ref={partnership.referral_code}&lang=es").get_data(
        as_text=True
    )
    assert "¿Podemos contarle a Pilsen Job Center sobre las ofertas de trabajo que reciba" in page


def test_without_the_tick_the_referral_shares_nothing(client, db):
    event, partnership = _open_event(db)
    client.post(
        f"/events/{event.slug}/register", data=_form(client, event, referral_code=partnership.referral_code)
    )
    assert db.session.scalar(select(Referral.shares_offers)) is False


def test_imported_referrals_start_without_consent(db):
    event, partnership = _open_event(db)
    details = registrations.RegistrationDetails(first_name="Rosa", last_name="Díaz", email="rosa@example.com",
                                                zip_code="60608", referral_code=partnership.referral_code,
                                                consent_share_profile=True, consent_share_offers=True)
    registrations.register(db.session, event, details, utcnow(), source=RegistrationSource.PARTNER_IMPORT)
    assert db.session.scalar(select(Referral.shares_offers)) is False


def test_the_person_changes_the_consent_on_their_own_page(client, db, day):
    ana = day["ana"]
    path = f"/r/{factories.make_manage_link(db.session, ana)}"
    db.session.commit()
    page = client.get(path).get_data(as_text=True)
    assert (
        "May we tell Pilsen Job Center about job offers" in page and "May we tell St. Agnes Outreach" in page
    )
    church = db.session.scalar(select(Referral).where(Referral.registration_id == ana.id,
                                                      Referral.partnership_id == day["church"].id))
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(f"{path}/referrals/{church.id}/offers", data={"csrf_token": token, "share": "yes"})
    assert response.status_code == 302
    db.session.refresh(church)
    assert church.shares_offers and church.shares_offers_changed_at is not None
    assert "will see the job offers you receive" in client.get(path).get_data(as_text=True)
    other = db.session.scalar(select(Referral).where(Referral.registration_id == day["ben"].id))
    assert (
        client.post(
            f"{path}/referrals/{other.id}/offers", data={"csrf_token": token, "share": "yes"}
        ).status_code
        == 404
    )
    db.session.refresh(other)
    assert not other.shares_offers


def test_the_partner_page_shows_terms_only_with_consent(client, db, day):
    _hire(db, day, utcnow())
    _, center_secret = issue_token(
        db.session, TokenScope.PARTNER, "Pilsen", organization=day["center"].organization
    )
    _, church_secret = issue_token(
        db.session, TokenScope.PARTNER, "St. Agnes", organization=day["church"].organization
    )
    db.session.commit()
    center = client.get(f"/partner/{center_secret}").get_data(as_text=True)
    church = client.get(f"/partner/{church_secret}").get_data(as_text=True)
    assert "Help desk analyst" in center and "$24.00 an hour" in center
    assert "Help desk analyst" not in church and "$24.00" not in church
    assert "Loop Logic" in church  # who hired stays visible, as before


def test_kinds_of_scan_that_are_not_arrivals_leave_the_stage(db, day):
    door = checkin.Scanner.of_device(
        issue_token(db.session, TokenScope.DEVICE, "Door 1", event=day["event"])[0]
    )
    checkin.check_in(
        db.session,
        day["event"].id,
        checkin.Scan(day["ben"].badge_code, "x-1", kind=CheckInKind.EXIT),
        door,
        utcnow(),
    )
    assert _status(db, day["church"], day["ben"]).stage == Stage.REGISTERED
