"""``/api/v1/openapi.json`` describes every /api/v1 route the app serves."""

import re


def test_every_api_route_is_described(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    described = {(path, method.upper()) for path, item in document["paths"].items() for method in item}
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
            served |= {(path, method) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert served and served == described
