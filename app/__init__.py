"""HireDay: the Flask application factory."""

import secrets
from pathlib import Path

from flask import Flask, request, session

from app import config as app_config
from app.extensions import babel, csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app: defaults → environment → ``instance/config.py`` → ``config`` (tests)."""
    app = Flask(
        __name__,
        instance_path=str(app_config.INSTANCE_PATH),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(app_config.DEFAULTS)
    app.config.update({k: v for k, v in app_config.from_environment().items() if v is not None})
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(config or {})
    app_config.check_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A file cannot drop a connection: no test query before each use (every scan would pay it).
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
            "pool_pre_ping": False,
        }
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))

    from app import boundary, log_redaction

    log_redaction.install()
    boundary.init_app(app)  # before the blueprints: their URLs use its ``int`` converter
    _init_extensions(app)
    _register_blueprints(app)

    from app import cli, errors, formatting, security, static_files, template_enums, template_globals

    formatting.init_app(app)
    template_enums.init_app(app)
    template_globals.init_app(app)
    security.init_app(app)
    static_files.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    return app


def _instance_secret_key(instance: Path) -> str:
    """A key made once per installation and kept in ``instance/``, so sessions survive restarts."""
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _init_extensions(app: Flask) -> None:
    from app import rate_limits
    from app.database import configure_engine, render_migration_type
    from app.models import User

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(
        app, db, directory=str(ROOT / "migrations"),
        compare_type=True, render_as_batch=True, render_item=render_migration_type,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    rate_limits.init_app(app)
    if app.config["TRUSTED_PROXIES"]:
        # Behind a load balancer: take the client address from X-Forwarded-For, so rate limits
        # count people, not the proxy.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask's documented way to wrap it
            app.wsgi_app, x_for=app.config["TRUSTED_PROXIES"], x_proto=1, x_host=1
        )

    from app import queue

    queue.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"  # phones hop between Wi-Fi and cellular

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        from app.services.users import session_user

        return session_user(db.session, session_id)

    babel.init_app(app, locale_selector=_select_locale)


def _select_locale() -> str:
    """``?lang=`` (remembered in the session), else the browser's preference, else English."""
    from flask import current_app, has_request_context

    if not has_request_context():  # the command line, e-mails sent outside a request: English
        return "en"
    languages = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang")
    if chosen is not None and chosen in languages:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or "en"


def _register_blueprints(app: Flask) -> None:
    from app.accounts.views import bp as accounts_bp
    from app.api.views import bp as api_bp
    from app.audit.views import bp as audit_bp
    from app.auth.views import bp as auth_bp
    from app.checkin.views import bp as checkin_bp
    from app.directory.views import bp as directory_bp
    from app.events.views import bp as events_bp
    from app.health import bp as health_bp
    from app.interviews.views import bp as interviews_bp
    from app.messages.views import bp as messages_bp
    from app.partners.views import bp as partners_bp
    from app.registration.views import bp as registration_bp
    from app.reports.views import bp as reports_bp
    from app.surveys.views import bp as surveys_bp
    from app.webhooks.views import bp as webhooks_bp

    csrf.exempt(api_bp)  # token-authenticated JSON; no cookies are trusted there
    for blueprint in (
        health_bp, auth_bp, events_bp, registration_bp, checkin_bp,
        interviews_bp, surveys_bp, reports_bp, partners_bp, api_bp, messages_bp, directory_bp, accounts_bp,
        audit_bp, webhooks_bp,
    ):
        app.register_blueprint(blueprint)
