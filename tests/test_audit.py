"""The audit trail records ids and codes, and refuses anything that looks like personal data."""

import pytest

from app.models import AuditEntry, Role
from app.services import audit
from tests import factories


def test_an_entry_names_the_actor_and_the_object(db):
    staff = factories.make_user(db.session, Role.STAFF)
    event = factories.make_event(db.session)
    registration = factories.make_registration(db.session, event)
    entry = audit.record(
        db.session, "registration.cancel", actor_user=staff, obj=registration, reason="duplicate"
    )
    assert (entry.actor_user_id, entry.object_type, entry.object_id, entry.event_id) == (
        staff.id, "Registration", registration.id, event.id,
    )
    assert db.session.get(AuditEntry, entry.id).details == {"reason": "duplicate"}


@pytest.mark.parametrize(
    "value",
    ["maria.lopez@example.com", "Maria Lopez", "+13125550100", "3125550100", "called her back; she said yes"],
)
def test_personal_data_is_refused(db, value):
    with pytest.raises(ValueError, match="personal data"):
        audit.record(db.session, "registration.update", note=value)
    assert db.session.query(AuditEntry).count() == 0


def test_non_scalar_details_are_refused(db):
    with pytest.raises(ValueError, match="must be an id, number or code"):
        audit.record(db.session, "registration.update", fields=["email"])


def test_staff_read_the_trail_filtered_by_event_and_action(client, db, login):
    staff = factories.make_user(db.session, Role.STAFF)
    event = factories.make_event(db.session, slug="audited")
    registration = factories.make_registration(db.session, event)
    audit.record(db.session, "checkin.create", obj=registration, status="checked_in")
    login(staff)  # an auth.login entry without an event
    page = client.get("/staff/audit/").get_data(as_text=True)
    assert "auth.login" in page and "checkin.create" in page and "status=checked_in" in page
    only_event = client.get("/staff/audit/?event=audited").get_data(as_text=True)
    assert "checkin.create" in only_event and "auth.login" not in only_event
    only_auth = client.get("/staff/audit/?action=auth.").get_data(as_text=True)
    assert "auth.login" in only_auth and "checkin.create" not in only_auth
    # Staff see who it was about, looked up as the page is shown; the stored entry holds only ids.
    assert registration.candidate.full_name in page and f"Registration #{registration.id}" not in page
    stored = db.session.query(AuditEntry).filter_by(action="checkin.create").one()
    assert registration.candidate.last_name not in repr(
        (stored.object_type, stored.object_id, stored.details)
    )
