"""Signing in and out, roles, and the idle / absolute session limits."""

import re
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from app.models import AuditEntry, Role
from tests import factories
from tests.conftest import csrf_token

T0 = datetime(2026, 12, 10, 15, 0, tzinfo=UTC)


def test_staff_land_on_the_event_list_and_volunteers_at_the_door(client, db, login):
    staff = factories.make_user(db.session, Role.STAFF)
    response = login(staff)
    assert response.status_code == 302 and response.headers["Location"] == "/staff/"

    client.post("/logout", data={"csrf_token": csrf_token(client, "/staff/")})
    volunteer = factories.make_user(db.session, Role.VOLUNTEER)
    response = login(volunteer)
    assert response.headers["Location"] == "/door/"


def test_email_is_matched_regardless_of_case(client, db, login):
    factories.make_user(db.session, Role.STAFF, email="ana.ruiz@example.org")
    token = csrf_token(client, "/login")
    response = client.post(
        "/login",
        data={"email": "  Ana.Ruiz@Example.org ", "password": factories.PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302


def test_wrong_password_keeps_the_email_and_says_why(client, db, login):
    staff = factories.make_user(db.session, Role.STAFF)
    response = login(staff, password="wrong password!")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "do not match an active account" in page
    assert f'value="{staff.email}"' in page
    assert client.get("/staff/").status_code == 302  # still signed out


def test_failed_and_successful_logins_are_audited_without_the_email(client, db, login):
    staff = factories.make_user(db.session, Role.STAFF)
    login(staff, password="wrong password!")
    login(staff)
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("auth.%"))).all()
    assert [e.action for e in entries] == ["auth.login_failed", "auth.login"]
    assert all(e.actor_user_id == staff.id for e in entries)
    assert all(staff.email not in str(e.details) for e in entries)


def test_a_deactivated_account_cannot_sign_in(client, db, login):
    staff = factories.make_user(db.session, Role.STAFF, is_active=False)
    response = login(staff)
    assert response.status_code == 200
    assert "do not match an active account" in response.get_data(as_text=True)


def test_volunteers_may_not_open_staff_pages(client, db, login):
    login(factories.make_user(db.session, Role.VOLUNTEER))
    assert client.get("/staff/").status_code == 403
    assert client.get("/door/").status_code == 200


def test_next_parameter_only_redirects_within_the_site(client, db):
    staff = factories.make_user(db.session, Role.STAFF)
    for target, expected in [
        ("/door/", "/door/"),
        ("https://evil.example/", "/staff/"),
        ("//evil.example", "/staff/"),
    ]:
        token = csrf_token(client, "/login")
        response = client.post(
            f"/login?next={target}",
            data={"email": staff.email, "password": factories.PASSWORD, "csrf_token": token},
        )
        assert response.headers["Location"] == expected
        client.post("/logout", data={"csrf_token": csrf_token(client, "/door/")})


def test_logout_needs_a_post_with_a_csrf_token(client, db, login):
    login(factories.make_user(db.session, Role.STAFF))
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400  # no CSRF token: refused, still signed in
    assert client.get("/staff/").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/staff/")})
    assert client.get("/staff/").status_code == 302


def test_an_idle_session_ends(client, db, login, app):
    with time_machine.travel(T0, tick=False) as traveller:
        login(factories.make_user(db.session, Role.STAFF))
        assert client.get("/staff/").status_code == 200
        traveller.shift(timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] - 1))
        assert client.get("/staff/").status_code == 200  # activity keeps it alive
        traveller.shift(timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1))
        response = client.get("/staff/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_session_ends_after_the_absolute_limit_even_when_active(client, db, login, app):
    with time_machine.travel(T0, tick=False) as traveller:
        login(factories.make_user(db.session, Role.STAFF))
        for _ in range(app.config["SESSION_MAX_HOURS"]):
            traveller.shift(timedelta(minutes=59))
            assert client.get("/staff/").status_code == 200
        traveller.shift(timedelta(hours=1))
        assert client.get("/staff/").status_code == 302


def test_changing_the_password_ends_existing_sessions(client, db, login):
    staff = factories.make_user(db.session, Role.STAFF)
    login(staff)
    assert client.get("/staff/").status_code == 200
    staff.set_password("a brand new password")
    db.session.flush()
    assert client.get("/staff/").status_code == 302


def test_htmx_requests_pass_csrf_with_the_header_from_the_page(client, db, login):
    login(factories.make_user(db.session, Role.STAFF))
    page = client.get("/staff/").get_data(as_text=True)
    header_token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)
    response = client.post("/logout", headers={"X-CSRFToken": header_token, "HX-Request": "true"})
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 302  # signed out


def test_password_guessing_is_slowed_down(client, db, app, login, monkeypatch):
    from app.extensions import limiter

    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3/minute")
    limiter.reset()
    staff = factories.make_user(db.session, Role.STAFF)
    for _ in range(5):  # successful sign-ins do not count
        login(staff)
        client.post("/logout", data={"csrf_token": csrf_token(client, "/staff/")})
    codes = []
    for _ in range(4):
        token = csrf_token(client, "/login")
        codes.append(
            client.post(
                "/login", data={"email": staff.email, "password": "guess", "csrf_token": token}
            ).status_code
        )
    limiter.reset()
    assert codes == [200, 200, 200, 429]


def test_signing_out_ends_that_session_on_the_server_but_not_the_accounts_other_sessions(client, db, login):
    """Finding 9: a copied session cookie opened /staff/ after its owner signed out. Two doors
    share one volunteer account: one signing out leaves the other signed in."""
    staff = factories.make_user(db.session, Role.STAFF)
    login(staff)
    first_door = client.get_cookie("session").value
    client.delete_cookie("session")
    login(staff)
    second_door = client.get_cookie("session").value
    assert client.get("/staff/").status_code == 200

    client.set_cookie("session", first_door)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/staff/")})
    client.set_cookie("session", first_door)  # the cookie as copied before signing out
    assert client.get("/staff/").status_code == 302  # to the sign-in page
    client.set_cookie("session", second_door)
    assert client.get("/staff/").status_code == 200
