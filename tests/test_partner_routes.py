"""A referring partner's page: its own referrals only, how far each got, and shared placements."""

from datetime import timedelta

import pytest

from app.models import HireStatus, Outcome, Referral, TokenScope, utcnow
from app.services import interviews
from app.services.tokens import issue_token, revoke_token
from tests import factories


@pytest.fixture
def setup(db):
    now = utcnow()
    event = factories.make_event(db.session, name="Techapalooza", starts_at=now - timedelta(hours=2),
                                 ends_at=now + timedelta(hours=2), timezone="UTC")
    booth = factories.make_participation(
        db.session, event, factories.make_organization(db.session, name="Loop Logic")
    )
    factories.make_position(db.session, booth)
    center = factories.make_partnership(db.session, event, organization=factories.make_organization(
        db.session, factories.OrganizationKind.JOB_CENTER, name="Pilsen Job Center"))
    church = factories.make_partnership(db.session, event, organization=factories.make_organization(
        db.session, factories.OrganizationKind.COMMUNITY_ORG, name="St. Agnes Outreach"))
    shared = factories.make_registration(
        db.session, event, factories.make_candidate(db.session, first_name="Ana", last_name="Ruiz")
    )
    theirs = factories.make_registration(
        db.session, event, factories.make_candidate(db.session, first_name="Ben", last_name="Okafor")
    )
    for registration, partnership in [(shared, center), (shared, church), (theirs, church)]:
        db.session.add(Referral(registration=registration, partnership_id=partnership.id))
    interview = interviews.start(db.session, booth, shared, now)
    interviews.record_outcome(db.session, interview, interviews.OutcomeDetails(
        Outcome.CONDITIONAL_OFFER, position_id=booth.positions[0].id, wage_cents=2400, wage_unit="hour"), now)
    interviews.confirm_hire(db.session, interview, HireStatus.HIRED, now, start_date=now.date())
    center_token, center_secret = issue_token(db.session, TokenScope.PARTNER, "Pilsen", event=event,
                                              organization=center.organization)
    _, church_secret = issue_token(
        db.session, TokenScope.PARTNER, "St. Agnes", event=event, organization=church.organization
    )
    db.session.commit()
    return {
        "center": f"/partner/{center_secret}",
        "church": f"/partner/{church_secret}",
        "center_token": center_token,
    }


def test_both_partners_get_credit_for_a_shared_placement(client, setup):
    center = client.get(setup["center"]).get_data(as_text=True)
    church = client.get(setup["church"]).get_data(as_text=True)
    for page, other in [(center, "St. Agnes Outreach"), (church, "Pilsen Job Center")]:
        assert "Ana Ruiz" in page
        assert "1 of the placements are shared" in page and '<span class="pill">Shared</span>' in page
        assert "<strong>Loop Logic</strong>" in page  # hired by
        # Who else serves the person is theirs to tell, not ours: no other partner is ever named.
        assert other not in page


def test_a_partner_sees_only_its_own_referrals(client, setup):
    assert "Ben Okafor" not in client.get(setup["center"]).get_data(as_text=True)
    assert "Ben Okafor" in client.get(setup["church"]).get_data(as_text=True)


def test_a_revoked_partner_link_gets_403(client, db, setup):
    revoke_token(db.session, setup["center_token"], utcnow())
    db.session.commit()
    assert client.get(setup["center"]).status_code == 403
    assert client.get("/partner/no-such-link").status_code == 404
