"""Every response carries the security headers; dynamic pages are never cached."""

import pytest

from app.models import Role
from tests import factories


@pytest.mark.parametrize("path", ["/", "/login", "/healthz", "/api/v1/openapi.json", "/no-such-page"])
def test_every_page_has_the_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_pages_with_personal_data_are_not_stored(client, db, login):
    login(factories.make_user(db.session, Role.STAFF))
    assert client.get("/staff/").headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached_but_keep_nosniff(client):
    response = client.get("/static/css/hireday.css")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] != "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_pages_carry_no_inline_script(client, db):
    factories.make_event(db.session)
    for path in ["/", "/login"]:
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page and "onclick=" not in page
        assert "hx-headers" in page and "X-CSRFToken" in page  # htmx requests carry the CSRF token


def test_api_errors_are_json_and_pages_errors_are_html(client):
    api = client.get("/api/v1/nope")
    assert api.status_code == 404 and api.get_json()["error"] == "not_found"
    page = client.get("/nope")
    assert page.status_code == 404 and "find that page" in page.get_data(as_text=True)


def test_a_wrong_method_says_which_ones_are_allowed(client):
    response = client.open("/api/v1/openapi.json", method="DELETE")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET"}
    assert response.get_json()["error"] == "method_not_allowed"
