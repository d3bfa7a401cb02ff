from app import create_app


def test_healthz_reports_the_database(client, app):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"] == app.extensions["sqlalchemy"].engine.dialect.name


def test_healthz_says_unavailable_when_the_database_cannot_be_reached():
    # A real PostgreSQL URL on a port where nothing listens: the check must fail, not hang or 500.
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2",
        }
    )
    with app.test_client() as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unreachable"}
