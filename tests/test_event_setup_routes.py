"""The staff set-up pages over HTTP, with CSRF on: who may open them, what a form keeps when it is
refused, and what each successful POST leaves behind."""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.models import (
    AccessToken,
    Event,
    EventStatus,
    Organization,
    OrganizationKind,
    Participation,
    Partnership,
    Position,
    Role,
    TokenScope,
    User,
)
from app.services.tokens import find_usable_token, hash_secret
from tests import factories
from tests.conftest import csrf_token

#: Before the test event (10 December 2026), so its links are still issuable whenever the suite runs.
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock():
    """A known "now" (ticking, as sessions need), set before anyone signs in."""
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def staff(db, login):
    user = factories.make_user(db.session, Role.STAFF)
    db.session.commit()
    login(user)
    return user


@pytest.fixture
def setup(db):
    """An event with an employer (and a job order) and a partner, for the pages that need them."""
    event = factories.make_event(db.session, slug="techapalooza-fall-2026", name="Techapalooza Fall 2026")
    booth = factories.make_participation(
        db.session, event, factories.make_organization(db.session, name="Midwest Cloud Co."), table_number="7"
    )
    position = factories.make_position(db.session, booth, title="Help Desk Technician")
    partnership = factories.make_partnership(db.session, event, referral_code="K7PX3MQA")
    # Saved before any request, as in real use: a refused request undoes only its own writes.
    db.session.commit()
    return {"event": event, "booth": booth, "position": position, "partnership": partnership}


def post(client: FlaskClient, path: str, data: dict, form_page: str | None = None, **kwargs):
    """POST like a browser: with the CSRF token found in the form at ``form_page`` (default ``path``)."""
    return client.post(path, data=data | {"csrf_token": csrf_token(client, form_page or path)}, **kwargs)


def page_text(response) -> str:
    return response.get_data(as_text=True)


def field_error(response, field_id: str) -> str:
    match = re.search(rf'id="{field_id}-error">([^<]*)<', page_text(response))
    assert match, f"no error next to {field_id}"
    return html.unescape(match.group(1))


# --- Who may open these pages ---------------------------------------------------------------------


def staff_pages(s: dict) -> list[tuple[str, str]]:
    slug, booth, position, partnership = s["event"].slug, s["booth"].id, s["position"].id, s["partnership"].id
    return [
        ("GET", "/staff/events/new"),
        ("GET", "/staff/events/new?template=techapalooza"),
        ("POST", "/staff/events/new?template=techapalooza"),
        ("GET", "/staff/events/slug-suggestion?name=x"),
        ("GET", f"/staff/events/{slug}/"),
        ("GET", f"/staff/events/{slug}/edit"),
        ("POST", f"/staff/events/{slug}/edit"),
        ("POST", f"/staff/events/{slug}/status"),
        ("GET", f"/staff/events/{slug}/copy"),
        ("POST", f"/staff/events/{slug}/copy"),
        ("GET", f"/staff/events/{slug}/employers/add"),
        ("POST", f"/staff/events/{slug}/employers/add"),
        ("GET", f"/staff/events/{slug}/employers/{booth}/edit"),
        ("POST", f"/staff/events/{slug}/employers/{booth}/edit"),
        ("GET", f"/staff/events/{slug}/employers/{booth}/remove"),
        ("POST", f"/staff/events/{slug}/employers/{booth}/remove"),
        ("POST", f"/staff/events/{slug}/employers/{booth}/booth-link"),
        ("GET", f"/staff/events/{slug}/employers/{booth}/positions/new"),
        ("POST", f"/staff/events/{slug}/employers/{booth}/positions/new"),
        ("GET", f"/staff/events/{slug}/positions/{position}/edit"),
        ("POST", f"/staff/events/{slug}/positions/{position}/edit"),
        ("GET", f"/staff/events/{slug}/positions/{position}/remove"),
        ("POST", f"/staff/events/{slug}/positions/{position}/remove"),
        ("GET", f"/staff/events/{slug}/partners/add"),
        ("POST", f"/staff/events/{slug}/partners/add"),
        ("GET", f"/staff/events/{slug}/partners/{partnership}/remove"),
        ("POST", f"/staff/events/{slug}/partners/{partnership}/remove"),
        ("POST", f"/staff/events/{slug}/partners/{partnership}/link"),
        ("POST", f"/staff/events/{slug}/devices"),
        ("POST", f"/staff/events/{slug}/links/1/revoke"),
        ("GET", "/staff/employers/"),
        ("GET", "/staff/employers/new"),
        ("POST", "/staff/employers/new"),
        ("GET", f"/staff/employers/{s['booth'].organization_id}/edit"),
        ("GET", "/staff/partners/"),
        ("GET", "/staff/partners/new"),
        ("GET", f"/staff/partners/{s['partnership'].organization_id}/edit"),
        ("GET", "/staff/accounts/"),
        ("GET", "/staff/accounts/new"),
        ("POST", "/staff/accounts/new"),
        ("POST", "/staff/accounts/1/deactivate"),
    ]


def test_a_volunteer_gets_403_on_every_staff_setup_page(client, db, login, setup):
    login(factories.make_user(db.session, Role.VOLUNTEER))
    token = csrf_token(client, "/door/")
    for method, path in staff_pages(setup):
        response = client.open(path, method=method, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == 403, (method, path)
    assert db.session.scalar(select(func.count()).select_from(AccessToken)) == 0


def test_someone_signed_out_is_sent_to_sign_in(client, db, setup):
    for method, path in staff_pages(setup):
        response = client.open(path, method=method)
        if method == "GET":
            assert response.status_code == 302 and response.headers["Location"].startswith("/login"), path
        else:
            assert response.status_code in (302, 400), path  # no session, so no CSRF token either


def test_a_post_without_the_csrf_token_is_refused(client, db, staff, setup):
    slug = setup["event"].slug
    assert client.post(f"/staff/events/{slug}/status", data={"status": "closed"}).status_code == 400
    assert client.post(f"/staff/events/{slug}/employers/{setup['booth'].id}/booth-link").status_code == 400
    assert setup["event"].status == EventStatus.PUBLISHED
    assert db.session.scalar(select(func.count()).select_from(AccessToken)) == 0


# --- The event list and the staff event page -----------------------------------------------------


def test_the_event_list_links_to_the_staff_page_and_the_public_page(client, db, staff, setup):
    factories.make_event(db.session, slug="draft-event", name="Draft Event", status=EventStatus.DRAFT)
    page = page_text(client.get("/staff/"))
    assert 'href="/staff/events/techapalooza-fall-2026/">Techapalooza Fall 2026</a>' in page
    assert 'href="/events/techapalooza-fall-2026/">public page' in page
    assert 'href="/staff/events/draft-event/">Draft Event</a>' in page
    assert 'href="/events/draft-event/"' not in page  # a draft has no public page yet
    assert 'href="/staff/events/new"' in page


def test_archived_events_leave_the_table_but_stay_reachable(client, db, staff):
    factories.make_event(db.session, slug="techapalooza-spring-2025", name="Techapalooza Spring 2025",
                         status=EventStatus.ARCHIVED)
    page = page_text(client.get("/staff/"))
    assert 'href="/staff/events/techapalooza-spring-2025/">Techapalooza Spring 2025</a>' in page
    assert "<th scope=\"row\"><a href=\"/staff/events/techapalooza-spring-2025/" not in page
    archived = page_text(client.get("/staff/events/techapalooza-spring-2025/"))
    assert "Archived: kept for reports" in archived and "/edit" not in archived


def test_the_staff_event_page_shows_counts_employers_positions_and_referral_links(client, db, staff, setup):
    event = setup["event"]
    factories.make_registration(db.session, event)
    factories.make_registration(db.session, event, status="waitlisted")
    page = page_text(client.get(f"/staff/events/{event.slug}/"))
    assert "Midwest Cloud Co." in page and "Help Desk Technician" in page
    assert "$18.00–$22.00 an hour" in page
    assert "https://hireday.test/events/techapalooza-fall-2026/register?ref=K7PX3MQA" in page
    numbers = {
        label: value for value, label in
        re.findall(r'stat__value">([^<]+)</span>\s*<span class="stat__label">([^<]+)<', page)
    }
    assert numbers == {
        "Registered": "1",
        "Waitlist": "1",
        "Employers": "1",
        "Job orders": "1",
        "Openings": "1",
    }
    assert f'href="/staff/events/{event.slug}/edit"' in page


def test_a_draft_events_staff_page_works_and_an_unknown_slug_is_404(client, db, staff):
    event = factories.make_event(db.session, status=EventStatus.DRAFT)
    assert client.get(f"/staff/events/{event.slug}/").status_code == 200
    assert client.get("/staff/events/no-such-event/").status_code == 404


# --- Creating an event ----------------------------------------------------------------------------


def test_the_template_prefills_the_form(client, db, staff):
    chooser = page_text(client.get("/staff/events/new"))
    assert 'href="/staff/events/new?template=techapalooza"' in chooser
    page = page_text(client.get("/staff/events/new?template=techapalooza"))
    assert 'value="Techapalooza"' in page
    assert re.search(r'<input[^>]*checked[^>]*value="it"|<input[^>]*value="it"[^>]*checked', page)
    assert 'value="16:00"' in page and 'value="19:00"' in page and 'value="150"' in page
    assert "An evening IT job fair" in page
    assert '<option selected value="America/Chicago">' in page
    assert 'hx-get="/staff/events/slug-suggestion"' in page


def new_event_form(**overrides) -> dict:
    return {
        "name": "Techapalooza Winter 2027",
        "slug": "",
        "sectors": ["it"],
        "venue": "Harold Washington Library",
        "address": "400 S. State St., Chicago, IL 60605",
        "day": "2027-02-11",
        "start": "16:00",
        "end": "19:00",
        "timezone": "America/Chicago",
        "registration_opens": "",
        "registration_closes": "2027-02-11T16:00",
        "capacity": "150",
        "description": "Evening IT job fair.",
        "max_bookings_per_candidate": "3",
    } | overrides


def test_staff_create_a_draft_event_from_a_template(client, db, staff):
    path = "/staff/events/new?template=techapalooza"
    response = post(client, path, new_event_form())
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/events/techapalooza-winter-2027/"

    event = db.session.scalar(select(Event).where(Event.slug == "techapalooza-winter-2027"))
    assert (event.status, event.series, event.sectors) == (EventStatus.DRAFT, "techapalooza", ["it"])
    assert event.starts_at == datetime(2027, 2, 11, 22, 0, tzinfo=UTC)
    assert event.registration_closes_at == event.starts_at
    page = page_text(client.get(response.headers["Location"]))
    assert "is saved as a draft" in page


def test_a_bad_slug_is_explained_next_to_the_field_and_nothing_typed_is_lost(client, db, staff):
    response = post(client, "/staff/events/new?template=techapalooza",
                    new_event_form(slug="Techapalooza Winter!", description="Bring your resume."))
    assert response.status_code == 200
    assert "lowercase letters, digits" in field_error(response, "slug")
    page = page_text(response)
    assert 'value="Techapalooza Winter!"' in page
    assert 'value="Techapalooza Winter 2027"' in page
    assert "Bring your resume." in page
    assert 'value="2027-02-11"' in page and 'value="2027-02-11T16:00"' in page
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0


def test_an_event_that_ends_before_it_starts_is_refused_on_the_end_time(client, db, staff):
    response = post(client, "/staff/events/new?template=blank", new_event_form(end="15:00"))
    assert field_error(response, "end") == "The event must end after it starts."
    assert 'value="15:00"' in page_text(response)


def test_missing_required_fields_are_each_explained(client, db, staff):
    response = post(client, "/staff/events/new?template=blank", new_event_form(name="", venue="", day=""))
    assert field_error(response, "name") == "Give the event a name."
    assert field_error(response, "venue") == "Say where the event takes place."
    assert field_error(response, "day") == "Enter the event's date."


def test_the_slug_hint_suggests_a_free_slug(client, db, staff):
    factories.make_event(db.session, slug="techapalooza")
    response = client.get("/staff/events/slug-suggestion?name=Techapalooza", headers={"HX-Request": "true"})
    assert "techapalooza-2" in page_text(response) and "<html" not in page_text(response)


# --- Editing, status, copying ---------------------------------------------------------------------


def test_editing_an_event_keeps_the_local_times_and_a_new_slug_moves_the_page(client, db, staff, setup):
    event = setup["event"]
    path = f"/staff/events/{event.slug}/edit"
    page = page_text(client.get(path))
    assert 'value="Techapalooza Fall 2026"' in page and 'value="10:00"' in page  # 16:00 UTC in Chicago

    response = post(client, path, new_event_form(name="Techapalooza Fall 2026", slug="techapalooza-fall-26",
                                                 day="2026-12-10", start="10:00", end="15:00",
                                                 registration_closes=""))
    assert response.headers["Location"] == "/staff/events/techapalooza-fall-26/"
    db.session.refresh(event)
    assert event.slug == "techapalooza-fall-26" and event.starts_at == datetime(
        2026, 12, 10, 16, 0, tzinfo=UTC
    )


def test_a_refusal_that_names_no_field_stands_above_the_form_with_everything_typed(client, db, staff):
    """An archived event cannot change: the reason heads the form's error summary (as on every other
    form; it used to be a banner only on the event pages) and what staff typed is still there."""
    event = factories.make_event(db.session, slug="techapalooza-spring-2025", name="Techapalooza Spring 2025",
                                 status=EventStatus.ARCHIVED)
    db.session.commit()
    response = post(client, f"/staff/events/{event.slug}/edit",
                    new_event_form(name="Techapalooza Renamed", slug=event.slug))
    page = page_text(response)
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "This event is archived; it can no longer be changed." in summary
    assert 'value="Techapalooza Renamed"' in page
    db.session.refresh(event)
    assert event.name == "Techapalooza Spring 2025"


def test_status_buttons_move_the_event_along(client, db, staff):
    event = factories.make_event(db.session, status=EventStatus.DRAFT)
    page_path = f"/staff/events/{event.slug}/"
    page = page_text(client.get(page_path))
    assert 'name="status" value="published"' in page and 'value="archived"' not in page

    response = post(
        client, f"/staff/events/{event.slug}/status", {"status": "published"}, form_page=page_path
    )
    assert response.headers["Location"] == page_path
    assert event.status == EventStatus.PUBLISHED
    assert "is now published" in page_text(client.get(page_path))

    post(client, f"/staff/events/{event.slug}/status", {"status": "archived"}, form_page=page_path)
    assert event.status == EventStatus.PUBLISHED
    assert "A published event cannot become archived." in page_text(client.get(page_path))


def test_copying_an_event_from_its_page(client, db, staff, setup):
    path = f"/staff/events/{setup['event'].slug}/copy"
    assert 'value="Techapalooza Fall 2026"' in page_text(client.get(path))
    response = post(client, path, {"name": "Techapalooza Winter 2027", "slug": "", "day": "2027-02-11"})
    assert response.headers["Location"] == "/staff/events/techapalooza-winter-2027/"
    copy = db.session.scalar(select(Event).where(Event.slug == "techapalooza-winter-2027"))
    assert [p.organization.name for p in copy.participations] == ["Midwest Cloud Co."]
    assert [p.referral_code != "K7PX3MQA" for p in copy.partnerships] == [True]


# --- Employers at an event ------------------------------------------------------------------------


def test_adding_a_directory_employer_with_its_table_and_interviews(client, db, staff, setup):
    event = setup["event"]
    employer = factories.make_organization(db.session, name="Lakeshore Grand Hotel")
    path = f"/staff/events/{event.slug}/employers/add"
    page = page_text(client.get(path))
    assert f'<option value="{employer.id}">Lakeshore Grand Hotel</option>' in page
    assert "Midwest Cloud Co.</option>" not in page  # already there
    assert 'value="10"' in page and 'name="interviewers" type="number" value="1"' in page.replace(
        "required ", ""
    )

    response = post(
        client,
        path,
        {
            "organization": employer.id,
            "new_name": "",
            "table_number": "8",
            "interview_minutes": "15",
            "interview_start": "10:30",
            "interview_end": "14:00",
            "interviewers": "2",
        },
    )
    participation = db.session.scalar(
        select(Participation).where(Participation.organization_id == employer.id)
    )
    assert response.headers["Location"] == f"/staff/events/{event.slug}/#employer-{participation.id}"
    assert (participation.table_number, participation.interview_minutes, participation.interviewers) == (
        "8",
        15,
        2,
    )
    assert participation.interview_starts_at == datetime(2026, 12, 10, 16, 30, tzinfo=UTC)


def test_adding_a_new_employer_inline_puts_it_in_the_directory(client, db, staff, setup):
    path = f"/staff/events/{setup['event'].slug}/employers/add"
    post(client, path, {"organization": "0", "new_name": "Windy City Logistics", "new_sector": "tdl",
                        "table_number": "", "interview_minutes": "10", "interviewers": "1"})
    employer = db.session.scalar(select(Organization).where(Organization.name == "Windy City Logistics"))
    assert employer.kind == OrganizationKind.EMPLOYER and employer.sector == "tdl"
    assert db.session.scalar(select(func.count()).where(Participation.organization_id == employer.id)) == 1


def test_a_taken_table_keeps_everything_typed_and_adds_no_employer(client, db, staff, setup):
    path = f"/staff/events/{setup['event'].slug}/employers/add"
    response = post(
        client,
        path,
        {
            "organization": "0",
            "new_name": "Windy City Logistics",
            "new_sector": "tdl",
            "table_number": "7",
            "interview_minutes": "20",
            "interviewers": "3",
        },
    )
    assert response.status_code == 200
    assert field_error(response, "table_number") == "Midwest Cloud Co. already has table 7 at this event."
    page = page_text(response)
    assert 'value="Windy City Logistics"' in page and 'value="20"' in page and 'value="3"' in page
    # The inline employer was not kept without its table (it can be added again, once fixed).
    assert db.session.scalar(select(Organization).where(Organization.name == "Windy City Logistics")) is None
    response = post(
        client,
        path,
        {
            "organization": "0",
            "new_name": "Windy City Logistics",
            "new_sector": "tdl",
            "table_number": "9",
            "interview_minutes": "20",
            "interviewers": "3",
        },
    )
    assert response.status_code == 302


def test_picking_nobody_and_typing_no_name_is_explained(client, db, staff, setup):
    response = post(client, f"/staff/events/{setup['event'].slug}/employers/add",
                    {"organization": "0", "new_name": "", "interview_minutes": "10", "interviewers": "1"})
    assert "type the new employer's name" in field_error(response, "new_name")


def test_an_interview_window_outside_the_event_is_refused(client, db, staff, setup):
    booth = setup["booth"]
    path = f"/staff/events/{setup['event'].slug}/employers/{booth.id}/edit"
    response = post(client, path, {"table_number": "7", "interview_minutes": "10", "interview_start": "08:00",
                                   "interview_end": "11:00", "interviewers": "1"})
    assert (
        field_error(response, "interview_start")
        == "Interviews must fall within the event's hours (10:00–15:00)."
    )
    assert 'value="08:00"' in page_text(response)


def test_removing_an_employer_asks_first_and_is_refused_once_it_interviewed(client, db, staff, setup):
    from app.models import Interview, InterviewSource

    event, booth = setup["event"], setup["booth"]
    path = f"/staff/events/{event.slug}/employers/{booth.id}/remove"
    assert "Remove Midwest Cloud Co. from Techapalooza Fall 2026?" in page_text(client.get(path))
    db.session.add(Interview(registration=factories.make_registration(db.session, event), participation=booth,
                             source=InterviewSource.WALK_UP))
    db.session.commit()

    response = post(client, path, {}, follow_redirects=True)
    assert "Midwest Cloud Co. cannot be removed: 1 interview with it" in page_text(response)
    assert db.session.get(Participation, booth.id) is not None


def test_removing_an_employer_without_history(client, db, staff, setup):
    event, booth = setup["event"], setup["booth"]
    response = post(client, f"/staff/events/{event.slug}/employers/{booth.id}/remove", {})
    assert response.headers["Location"] == f"/staff/events/{event.slug}/#employers"
    assert db.session.scalar(select(func.count()).where(Participation.event_id == event.id)) == 0


def test_another_events_employer_is_404(client, db, staff, setup):
    other = factories.make_participation(db.session, factories.make_event(db.session))
    assert client.get(f"/staff/events/{setup['event'].slug}/employers/{other.id}/edit").status_code == 404


# --- Job orders -----------------------------------------------------------------------------------


def test_a_job_order_with_a_wage_in_dollars(client, db, staff, setup):
    booth = setup["booth"]
    path = f"/staff/events/{setup['event'].slug}/employers/{booth.id}/positions/new"
    post(client, path, {"title": "Cloud Support Associate", "openings": "2", "wage_min": "$52,000",
                        "wage_max": "61000.50", "wage_unit": "year", "employment_type": "full_time",
                        "sector": "it", "requirements": "AWS Cloud Practitioner"})
    position = db.session.scalar(select(Position).where(Position.title == "Cloud Support Associate"))
    assert (position.wage_min_cents, position.wage_max_cents, position.wage_unit) == (
        5_200_000,
        6_100_050,
        "year",
    )


@pytest.mark.parametrize(
    ("wages", "field", "message"),
    [
        ({"wage_min": "22", "wage_max": "18", "wage_unit": "hour"}, "wage_max",
         "The highest wage must be at least the lowest."),
        ({"wage_min": "18", "wage_max": "", "wage_unit": ""}, "wage_unit",
         "Say whether the wage is per hour or per year."),
        ({"wage_min": "-5", "wage_max": "", "wage_unit": "hour"}, "wage_min", "A wage cannot be negative."),
        ({"wage_min": "eighteen", "wage_max": "", "wage_unit": "hour"}, "wage_min",
         "Enter an amount in dollars, e.g. 18.50."),
    ],
)
def test_a_bad_wage_is_explained_and_the_job_order_form_keeps_its_values(
    client, db, staff, setup, wages, field, message
):
    booth = setup["booth"]
    path = f"/staff/events/{setup['event'].slug}/employers/{booth.id}/positions/new"
    response = post(
        client,
        path,
        {
            "title": "Cloud Support Associate",
            "openings": "2",
            "employment_type": "contract",
            "sector": "it",
            "requirements": "AWS",
        }
        | wages,
    )
    assert field_error(response, field) == message
    page = page_text(response)
    assert 'value="Cloud Support Associate"' in page and '<option selected value="contract">' in page
    assert db.session.scalar(select(func.count()).where(Position.title == "Cloud Support Associate")) == 0


def test_editing_a_job_order_shows_dollars(client, db, staff, setup):
    position = setup["position"]
    path = f"/staff/events/{setup['event'].slug}/positions/{position.id}/edit"
    page = page_text(client.get(path))
    assert 'value="18.00"' in page and 'value="22.00"' in page
    post(
        client,
        path,
        {
            "title": "Help Desk Technician II",
            "openings": "3",
            "wage_min": "24",
            "wage_max": "28",
            "wage_unit": "hour",
            "employment_type": "full_time",
            "sector": "",
            "requirements": "",
        },
    )
    assert (position.title, position.openings, position.wage_min_cents) == (
        "Help Desk Technician II",
        3,
        2400,
    )


# --- Partners and links ---------------------------------------------------------------------------


def test_adding_a_partner_gives_it_a_referral_link(client, db, staff, setup):
    event = setup["event"]
    partner = factories.make_organization(
        db.session, OrganizationKind.COMMUNITY_ORG, name="Code Forward Chicago"
    )
    response = post(
        client,
        f"/staff/events/{event.slug}/partners/add",
        {"organization": partner.id, "new_name": "", "new_kind": "job_center"},
    )
    assert response.headers["Location"] == f"/staff/events/{event.slug}/#partners"
    partnership = db.session.scalar(select(Partnership).where(Partnership.organization_id == partner.id))
    page = page_text(client.get(f"/staff/events/{event.slug}/"))
    assert f"https://hireday.test/events/{event.slug}/register?ref={partnership.referral_code}" in page


def _shown_secret(response, prefix: str) -> str:
    match = re.search(rf'value="{re.escape(prefix)}([A-Za-z0-9_\-]+)"', page_text(response))
    assert match, "the new link is not on the page"
    return match.group(1)


@pytest.mark.parametrize("kind", ["booth", "partner", "device"])
def test_a_new_link_is_shown_once_and_stored_hashed(client, db, staff, setup, kind):
    event = setup["event"]
    page_path = f"/staff/events/{event.slug}/"
    path, data, prefix, scope = {
        "booth": (f"/staff/events/{event.slug}/employers/{setup['booth'].id}/booth-link", {},
                  "https://hireday.test/booth/", TokenScope.BOOTH),
        "partner": (f"/staff/events/{event.slug}/partners/{setup['partnership'].id}/link", {},
                    "https://hireday.test/partner/", TokenScope.PARTNER),
        "device": (f"/staff/events/{event.slug}/devices", {"name": "Door 2"}, "", TokenScope.DEVICE),
    }[kind]

    response = post(client, path, data, form_page=page_path)

    assert response.status_code == 200
    assert "only time it is shown" in page_text(response)
    assert response.headers["Cache-Control"] == "no-store"
    secret = _shown_secret(response, prefix)
    token = find_usable_token(db.session, secret, scope, event.starts_at)
    assert token is not None and token.token_hash == hash_secret(secret)
    assert secret not in page_text(client.get(page_path))  # never again
    assert secret not in str(response.headers)


def test_a_booth_link_for_a_long_past_event_is_refused_with_the_reason(client, db, staff):
    event = factories.make_event(db.session, starts_at=NOW - timedelta(days=60), status=EventStatus.CLOSED)
    booth = factories.make_participation(db.session, event)
    page_path = f"/staff/events/{event.slug}/"
    response = post(
        client,
        f"/staff/events/{event.slug}/employers/{booth.id}/booth-link",
        {},
        form_page=page_path,
        follow_redirects=True,
    )
    assert "This event is too long over: a new booth link would not work anymore." in page_text(response)
    assert db.session.scalar(select(func.count()).select_from(AccessToken)) == 0


def test_a_device_without_a_name_gets_a_message_and_no_token(client, db, staff, setup):
    page_path = f"/staff/events/{setup['event'].slug}/"
    response = post(client, f"/staff/events/{setup['event'].slug}/devices", {"name": ""}, form_page=page_path,
                    follow_redirects=True)
    assert "Name the device, e.g. Door 2." in page_text(response)
    assert db.session.scalar(select(func.count()).select_from(AccessToken)) == 0


def test_revoking_a_link(client, db, staff, setup):
    event = setup["event"]
    page_path = f"/staff/events/{event.slug}/"
    response = post(client, f"/staff/events/{event.slug}/devices", {"name": "Door 2"}, form_page=page_path)
    secret = _shown_secret(response, "")
    token = db.session.scalar(select(AccessToken))
    post(client, f"/staff/events/{event.slug}/links/{token.id}/revoke", {}, form_page=page_path)
    assert find_usable_token(db.session, secret, TokenScope.DEVICE, event.starts_at) is None
    assert "Revoked" in page_text(client.get(page_path))


# --- The directory --------------------------------------------------------------------------------


def test_the_employer_directory_search_ignores_case_and_works_with_and_without_htmx(client, db, staff):
    for name in ("Hilton Chicago", "Palmer House Hilton", "Hyatt Regency"):
        factories.make_organization(db.session, name=name)

    page = page_text(client.get("/staff/employers/?q=hilton"))
    assert "<html" in page and 'hx-trigger="input changed delay:300ms, search"' in page
    assert "Hilton Chicago" in page and "Palmer House Hilton" in page and "Hyatt Regency" not in page
    assert 'value="hilton"' in page

    partial = client.get("/staff/employers/?q=HYATT", headers={"HX-Request": "true"})
    assert "<html" not in page_text(partial) and "Hyatt Regency" in page_text(partial)
    assert "Hilton" not in page_text(partial)
    assert "HX-Request" in partial.headers["Vary"]


def test_creating_an_employer_with_bad_contact_details_keeps_what_was_typed(client, db, staff):
    form = {
        "name": "Hilton Chicago",
        "sector": "hospitality",
        "website": "hilton.com",
        "contact_name": "Ana Ruiz",
        "contact_email": "ana.ruiz@",
        "contact_phone": "(312) 555-0147",
    }
    response = post(client, "/staff/employers/new", form)
    assert field_error(response, "contact_email") == "Enter an email address like name@example.com."
    page = page_text(response)
    assert 'value="ana.ruiz@"' in page and 'value="(312) 555-0147"' in page and 'value="Ana Ruiz"' in page

    response = post(client, "/staff/employers/new", form | {"contact_email": "Ana.Ruiz@hilton.com"})
    assert response.status_code == 302
    employer = db.session.scalar(select(Organization).where(Organization.name == "Hilton Chicago"))
    assert (employer.contact_email, employer.contact_phone) == ("ana.ruiz@hilton.com", "+13125550147")

    response = post(client, "/staff/employers/new", form | {"name": "HILTON CHICAGO", "contact_email": ""})
    assert "already has Hilton Chicago; pick it instead" in field_error(
        response, "name"
    )  # names the entry to pick


def test_a_bad_phone_number_is_explained(client, db, staff):
    response = post(client, "/staff/employers/new", {"name": "Acme", "sector": "", "contact_phone": "12"})
    assert field_error(response, "contact_phone") == "That phone number is not valid; check the digits."


def test_editing_a_partner_in_the_directory(client, db, staff):
    partner = factories.make_organization(db.session, OrganizationKind.JOB_CENTER, name="AJC Pilsen")
    path = f"/staff/partners/{partner.id}/edit"
    assert 'value="AJC Pilsen"' in page_text(client.get(path))
    post(client, path, {"name": "American Job Center – Pilsen", "kind": "community_org", "website": "",
                        "contact_name": "", "contact_email": "", "contact_phone": "773 555 0199"})
    assert (partner.name, partner.kind, partner.contact_phone) == (
        "American Job Center – Pilsen", OrganizationKind.COMMUNITY_ORG, "+17735550199")
    assert client.get(f"/staff/employers/{partner.id}/edit").status_code == 404  # not an employer


# --- Accounts -------------------------------------------------------------------------------------


def test_staff_create_a_volunteer_account(client, db, staff):
    response = post(client, "/staff/accounts/new", {"name": "Dee Volunteer", "email": "Dee@Example.org",
                                                    "role": "volunteer", "password": "door-duty-2026"})
    assert response.headers["Location"] == "/staff/accounts/"
    volunteer = db.session.scalar(select(User).where(User.email == "dee@example.org"))
    assert volunteer.role == Role.VOLUNTEER and volunteer.check_password("door-duty-2026")
    assert "Dee Volunteer" in page_text(client.get("/staff/accounts/"))


def test_a_short_password_or_a_taken_email_is_explained(client, db, staff):
    response = post(
        client,
        "/staff/accounts/new",
        {"name": "Dee", "email": "dee@example.org", "role": "volunteer", "password": "short"},
    )
    assert "at least 10 characters" in field_error(response, "password")
    assert 'value="dee@example.org"' in page_text(response)
    response = post(client, "/staff/accounts/new", {"name": "Me again", "email": staff.email, "role": "staff",
                                                    "password": "long enough password"})
    assert field_error(response, "email") == "An account with this email already exists."


def test_deactivating_a_volunteer_ends_their_session_and_reactivating_lets_them_back(client, db, login):
    volunteer = factories.make_user(db.session, Role.VOLUNTEER)
    login(volunteer)
    assert client.get("/door/").status_code == 200
    volunteers_session = client.get_cookie("session").value
    client.delete_cookie("session")  # the same browser now serves a staff member
    login(factories.make_user(db.session, Role.STAFF))

    response = post(client, f"/staff/accounts/{volunteer.id}/deactivate", {}, form_page="/staff/accounts/")
    assert response.headers["Location"] == "/staff/accounts/"
    assert volunteer.is_active is False
    staffs_session = client.get_cookie("session").value

    client.set_cookie("session", volunteers_session)  # the volunteer's phone, still signed in
    assert client.get("/door/").status_code == 302  # signed out at once

    client.set_cookie("session", staffs_session)
    post(client, f"/staff/accounts/{volunteer.id}/reactivate", {}, form_page="/staff/accounts/")
    assert volunteer.is_active is True
    client.delete_cookie("session")
    assert login(volunteer).headers["Location"] == "/door/"


def test_staff_cannot_deactivate_themselves(client, db, staff):
    response = post(client, f"/staff/accounts/{staff.id}/deactivate", {}, form_page="/staff/accounts/",
                    follow_redirects=True)
    assert "You cannot deactivate your own account." in page_text(response)
    assert staff.is_active


def test_staff_links_are_in_the_navigation(client, db, staff):
    page = page_text(client.get("/staff/"))
    for href in ("/staff/employers/", "/staff/partners/", "/staff/accounts/"):
        assert f'href="{href}"' in page


def test_an_event_in_a_time_zone_outside_the_list_keeps_it_when_edited(client, db, staff):
    event = factories.make_event(db.session, timezone="Europe/Madrid")
    page = page_text(client.get(f"/staff/events/{event.slug}/edit"))
    assert '<option selected value="Europe/Madrid">' in page
    assert 'value="17:00"' in page  # 16:00 UTC in Madrid
