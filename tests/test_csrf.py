"""Every state-changing route outside the token-authenticated API refuses a request without a
valid CSRF token: a form post without one, and an htmx request with a forged header."""

import pytest

from tests.test_access_matrix import RULES, _url

#: The API is token-authenticated; the text-message webhook is signed by the provider (Twilio).
WRITES = [r for r in RULES if r.values[1] != "GET" and not r.values[0].startswith("/api/")
          and r.values[2] != "messages.sms_inbound"]


@pytest.mark.parametrize(("rule", "method", "endpoint"), WRITES)
def test_writes_need_a_csrf_token(client, db, rule, method, endpoint):
    url = _url(rule, "A" * 43, "any-event")
    client.get("/")  # a session, as a browser would have
    without = client.open(url, method=method, data={"anything": "1"}, headers={"Accept": "application/json"})
    assert without.status_code == 400 and without.get_json()["error"] == "csrf_failed"
    forged = client.open(url, method=method, headers={"X-CSRFToken": "forged", "HX-Request": "true",
                                                       "Accept": "application/json"})
    assert forged.status_code == 400 and forged.get_json()["error"] == "csrf_failed"


def test_there_are_writes_to_check():
    assert len(WRITES) > 40
