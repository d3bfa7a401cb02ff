"""Who may open what, for every route the app serves (generated from ``app.url_map``, so a new
route is covered the day it is added):

- ``/staff/…``: staff only; anonymous people go to the sign-in page, volunteers get 403, and no
  link token or device token opens them;
- ``/door/events/…``: staff, volunteers, or a scanner device opened for that event;
- ``/booth/<token>…``, ``/partner/<token>``: only a live token of that scope; another scope's
  token or a random one gets 404, a revoked or expired one of that scope 403 ("ask for a new link");
- ``/api/v1/…`` writes: only a live device token (401 otherwise);
- ``/r/<token>``, ``/s/<token>``: only the person's own secret."""

import re
from datetime import timedelta

import pytest

from app import create_app
from app.models import Role, TokenScope
from app.services import tokens
from tests import factories
from tests.conftest import csrf_token

NOW = factories.EVENT_START - timedelta(days=1)
PUBLIC_DOOR = {"checkin.device", "checkin.forget_device", "checkin.service_worker"}


def _rules():
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        found.extend(
            pytest.param(rule.rule, method, rule.endpoint, id=f"{method} {rule.rule}")
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
        )
    return found


RULES = _rules()


def _url(rule: str, token: str, slug: str) -> str:
    def value(match: re.Match) -> str:
        converter, name = match.group(1) or "", match.group(2)
        if converter.startswith("any("):
            return converter[4:-1].split(",")[0].strip()
        if converter == "int:":
            return "1"
        return {"slug": slug, "token": token, "phase": "post", "audience": "candidate"}.get(name, "x")

    return re.sub(r"<([a-z]+(?:\([^)]*\))?:)?([a-z_]+)>", lambda m: value(m), rule)


@pytest.fixture
def world(db):
    session = db.session
    event = factories.make_event(session, slug="matrix")
    participation = factories.make_participation(session, event)
    partnership = factories.make_partnership(session, event)
    secrets = {}
    _, secrets["booth"] = tokens.issue_token(session, TokenScope.BOOTH, "Booth", participation=participation)
    _, secrets["partner"] = tokens.issue_token(session, TokenScope.PARTNER, "Partner", event=event,
                                               organization=partnership.organization)
    _, secrets["device"] = tokens.issue_token(session, TokenScope.DEVICE, "Door 1", event=event)
    revoked, secrets["revoked_booth"] = tokens.issue_token(
        session, TokenScope.BOOTH, "Old", participation=participation
    )
    tokens.revoke_token(session, revoked, NOW - timedelta(days=2))
    _, secrets["expired_booth"] = tokens.issue_token(
        session,
        TokenScope.BOOTH,
        "Expired",
        participation=participation,
        expires_at=NOW - timedelta(days=400),
    )
    revoked_device, secrets["revoked_device"] = tokens.issue_token(
        session, TokenScope.DEVICE, "Lost", event=event
    )
    tokens.revoke_token(session, revoked_device, NOW - timedelta(days=2))
    db.session.commit()
    return {"event": event, "secrets": secrets, "staff": factories.make_user(session, Role.STAFF),
            "volunteer": factories.make_user(session, Role.VOLUNTEER)}


HX_CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')


def _request(client, method: str, url: str, headers: dict | None = None):
    """GET, or a write carrying a valid CSRF token (the one every page gives htmx), so what is
    tested is the access rule, not the CSRF check."""
    headers = dict(headers or {})
    if method != "GET":
        found = HX_CSRF.search(client.get("/").get_data(as_text=True))
        assert found, "the home page has no CSRF token"
        headers["X-CSRFToken"] = found.group(1)
    return client.open(url, method=method, headers=headers)


def _is_sign_in(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


@pytest.mark.parametrize(
    ("rule", "method", "endpoint"), [r for r in RULES if r.values[0].startswith("/staff/")]
)
def test_staff_pages_admit_only_staff(client, login, world, rule, method, endpoint):
    url = _url(rule, "x", "matrix")
    secrets = world["secrets"]
    assert _is_sign_in(_request(client, method, url)), "anonymous"
    for scope in ("booth", "partner", "device"):
        response = _request(client, method, url, headers={"Authorization": f"Bearer {secrets[scope]}"})
        assert _is_sign_in(response), f"{scope} token"
    login(world["volunteer"])
    assert _request(client, method, url).status_code == 403, "volunteer"
    client.post("/logout", data={"csrf_token": csrf_token(client, "/door/")})
    login(world["staff"])
    response = _request(client, method, url)
    assert response.status_code != 403 and not _is_sign_in(response), "staff must get in"


@pytest.mark.parametrize(
    ("rule", "method", "endpoint"),
    [r for r in RULES if r.values[0].startswith("/door/") and r.values[2] not in PUBLIC_DOOR],
)
def test_door_pages_admit_volunteers_staff_and_the_events_devices(
    client, login, world, rule, method, endpoint
):
    url = _url(rule, "x", "matrix")
    assert _is_sign_in(_request(client, method, url)), "anonymous"
    booth = _request(client, method, url, headers={"Authorization": f"Bearer {world['secrets']['booth']}"})
    assert _is_sign_in(booth), "booth token"
    login(world["volunteer"])
    response = _request(client, method, url)
    assert response.status_code != 403 and not _is_sign_in(response), "volunteer must get in"


LINK_ROUTES = [
    pytest.param(scope, *r.values, id=r.id)
    for r in RULES
    for scope in ("booth", "partner")
    if r.values[0].startswith(f"/{scope}/<token>")
]


@pytest.mark.parametrize(("scope", "rule", "method", "endpoint"), LINK_ROUTES)
def test_link_pages_open_only_with_a_live_token_of_their_scope(client, world, scope, rule, method, endpoint):
    secrets = world["secrets"]
    dead = {f"revoked_{scope}", f"expired_{scope}"}
    for name, secret in [*secrets.items(), ("random", "A" * 43)]:
        if name == scope:
            continue
        # A dead link of this scope says so (403: ask staff for a new one); anything else is unknown.
        expected = 403 if name in dead else 404
        assert _request(client, method, _url(rule, secret, "matrix")).status_code == expected, name
    if method == "GET" and rule.count("<") == 1:  # the link's own page: the right token opens it
        assert _request(client, method, _url(rule, secrets[scope], "matrix")).status_code == 200


@pytest.mark.parametrize(
    ("rule", "method", "endpoint"),
    [r for r in RULES if r.values[0].startswith("/api/v1/") and r.values[1] != "GET"],
)
def test_api_writes_need_a_live_device_token(client, world, rule, method, endpoint):
    url = _url(rule, "x", "matrix")
    secrets = world["secrets"]
    for name in ("booth", "partner", "revoked_device"):
        response = client.open(
            url, method=method, json={}, headers={"Authorization": f"Bearer {secrets[name]}"}
        )
        assert response.status_code == 401, name
    assert client.open(url, method=method, json={}).status_code == 401
    response = client.open(
        url, method=method, json={}, headers={"Authorization": f"Bearer {secrets['device']}"}
    )
    assert response.status_code != 401


@pytest.mark.parametrize(
    ("rule", "method", "endpoint"),
    [r for r in RULES if r.values[0].startswith(("/r/<token>", "/s/<token>"))],
)
def test_personal_links_open_only_with_the_persons_secret(client, world, rule, method, endpoint):
    for secret in [*world["secrets"].values(), "A" * 43]:
        assert _request(client, method, _url(rule, secret, "matrix")).status_code == 404
