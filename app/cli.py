"""``flask --app wsgi …`` commands: demo data, accounts, device tokens, event links, the job worker.

Every bad input ends in a one-line message and a non-zero exit, never a traceback."""

import shutil
import sqlite3
import subprocess  # nosec B404
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError

from app.database import writes, writing
from app.extensions import db
from app.models import AccessToken, Event, Organization, TokenScope, User, utcnow
from app.models.organization import name_key as organization_name_key
from app.services import audit, partner_api, tokens
from app.services.errors import DomainError
from app.services.organizations import PARTNER_KINDS
from app.services.users import create_user
from app.urls import public_url


def _event_or_fail(slug: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        known = ", ".join(db.session.scalars(select(Event.slug).order_by(Event.slug))) or "none yet"
        raise click.ClickException(f"No event with slug {slug!r}. Known events: {known}.")
    return event


def _database_ready() -> None:
    """A clear message instead of a traceback when the database is unreachable or not migrated."""
    try:
        db.session.execute(select(Event.id).limit(1))
    except (OperationalError, ProgrammingError) as exc:
        db.session.rollback()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        if "no such table" in reason or ("relation" in reason and "does not exist" in reason):
            message = "The database is not set up. Run `flask --app wsgi db upgrade` (or `make run`) first."
        else:
            message = f"Cannot use the database ({reason}). Check DATABASE_URL."
        raise click.ClickException(message) from exc


@click.command("demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has events.")
@writes
def demo_command(if_empty: bool) -> None:
    """Load the demo events (idempotent: a second run adds nothing)."""
    from app.services.demo import load_demo
    from app.services.demo.loader import DEMO_LOGINS

    _database_ready()
    if if_empty and db.session.scalar(select(Event.id).limit(1)) is not None:
        click.echo("The database already has events; demo data not loaded.")
    else:
        summary = load_demo(db.session, now=utcnow())
        db.session.commit()
        lines = summary["lines"]
        for line in lines if isinstance(lines, list) else []:
            click.echo(line)
    demo_accounts = set(
        db.session.scalars(select(User.email).where(User.email.in_([e for e, _, _ in DEMO_LOGINS])))
    )
    if demo_accounts:
        click.echo("Demo logins:")
        for email, password, role in DEMO_LOGINS:
            if email in demo_accounts:
                click.echo(f"  {role.value:<9}  {email}  /  {password}")


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--role", type=click.Choice(["staff", "volunteer"]), required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", default="", help="Display name (defaults to the part before @).")
@writes
def create_user_command(email: str, role: str, password: str, name: str) -> None:
    """Create a staff or volunteer account."""
    _database_ready()
    try:
        user = create_user(db.session, email, role, password, name)
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from exc
    db.session.commit()
    click.echo(f"Created {user.role.value} account {user.email}.")


@click.command("device-token")
@with_appcontext
@click.argument("event_slug")
@click.option("--name", required=True, help='A label for the device, e.g. "Door 2".')
@writes
def device_token_command(event_slug: str, name: str) -> None:
    """Issue a scanner-device token for an event and print it (it is shown only once)."""
    _database_ready()
    event = _event_or_fail(event_slug)
    expires_at = event.ends_at + timedelta(days=2)
    if expires_at <= utcnow():
        raise click.ClickException(
            f"{event.slug} ended on {event.ends_at:%Y-%m-%d}. A device token works until 2 days after its "
            f"event ends, so one issued now would already be expired ({expires_at:%Y-%m-%d %H:%M} UTC). "
            "Nothing was issued."
        )
    try:
        token, secret = tokens.issue_token(
            db.session, TokenScope.DEVICE, name, event=event, expires_at=expires_at
        )
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from exc
    audit.record(db.session, "token.issue", obj=token, event_id=event.id, scope=token.scope.value)
    db.session.commit()
    click.echo(f"Device token for {token.name} at {event.slug} (valid until the event ends + 2 days).")
    click.echo(f"Open the scanner on the device: {public_url(f'/door/device#{secret}')}")
    click.echo("The token alone, for scanner apps (Authorization: Bearer …):")
    click.echo(secret)

@click.command("partner-api-token")
@with_appcontext
@click.argument("organization")
@click.option("--name", required=True, help='A label staff recognise, e.g. "Case system".')
def partner_api_token_command(organization: str, name: str) -> None:
    """Issue a partner API token for a referring partner (its name, in any case) and print it once."""
    _database_ready()
    partner = db.session.scalar(select(Organization).where(
        Organization.name_key == organization_name_key(organization), Organization.kind.in_(PARTNER_KINDS)))
    if partner is None:
        raise click.ClickException(f"No referring partner is called {organization!r}. Nothing was issued.")
    try:
        _, secret = partner_api.issue_api_token(db.session, partner, name)
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from exc
    db.session.commit()
    click.echo(
        f"Partner API token for {partner.name} (Authorization: Bearer …; works until staff revoke it):"
    )
    click.echo(secret)



@click.command("links")
@with_appcontext
@click.argument("event_slug")
@click.option(
    "--revoke-previous", is_flag=True, help="Also revoke the booth and partner links issued before."
)
@writes
def links_command(event_slug: str, revoke_previous: bool) -> None:
    """Issue and print an event's booth links (one per employer) and partner links.

    Links are stored hashed, so printing them means issuing new ones; earlier links keep working
    unless --revoke-previous is given."""
    _database_ready()
    event = _event_or_fail(event_slug)
    now = utcnow()
    if revoke_previous:
        participation_ids = [p.id for p in event.participations]
        organization_ids = [p.organization_id for p in event.partnerships]

        previous = db.session.scalars(
            select(AccessToken).where(
                AccessToken.revoked_at.is_(None),
                (AccessToken.participation_id.in_(participation_ids))
                | (
                    (AccessToken.scope == TokenScope.PARTNER)
                    & AccessToken.organization_id.in_(organization_ids)
                ),
            )
        )
        for token in previous:
            tokens.revoke_token(db.session, token, now)
            audit.record(db.session, "token.revoke", obj=token, event_id=event.id)
    booth_expiry = event.ends_at + timedelta(days=current_app.config["BOOTH_LINK_DAYS"])
    click.echo(f"{event.name} ({event.slug})")
    click.echo("Booth links:")
    if booth_expiry <= now:
        click.echo(
            f"  none: booth links for this event ended {booth_expiry:%Y-%m-%d} (BOOTH_LINK_DAYS after it)."
        )
    for participation in event.participations if booth_expiry > now else []:
        token, secret = tokens.issue_token(
            db.session, TokenScope.BOOTH, participation.organization.name,
            participation=participation, expires_at=booth_expiry,
        )
        audit.record(db.session, "token.issue", obj=token, event_id=event.id, scope="booth")
        table = f"table {participation.table_number}" if participation.table_number else "no table"
        click.echo(f"  {participation.organization.name} ({table}): {public_url(f'/booth/{secret}')}")
    click.echo("Partner links (referral link, then the partner's own page):")
    for partnership in event.partnerships:
        token, secret = tokens.issue_token(
            db.session, TokenScope.PARTNER, partnership.organization.name,
            event=event, organization=partnership.organization,
        )
        audit.record(db.session, "token.issue", obj=token, event_id=event.id, scope="partner")
        click.echo(f"  {partnership.organization.name}:")
        click.echo(f"    {public_url(f'/events/{event.slug}/register?ref={partnership.referral_code}')}")
        click.echo(f"    {public_url(f'/partner/{secret}')}")
    db.session.commit()


@click.command("backup")
@click.argument("destination", required=False, type=click.Path(dir_okay=True, writable=True))
@with_appcontext
def backup_command(destination: str | None) -> None:
    """Copy the database to DESTINATION (default: instance/backups/), safely while HireDay runs.

    SQLite uses its online backup API (a consistent copy, writers keep working); PostgreSQL runs
    pg_dump in its custom format (restore with pg_restore)."""
    engine = db.engine
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    sqlite = engine.dialect.name == "sqlite"
    default_name = f"hireday-{stamp}.{'sqlite3' if sqlite else 'dump'}"
    target = Path(destination or Path(current_app.instance_path) / "backups")
    if target.is_dir() or destination is None:
        target.mkdir(parents=True, exist_ok=True)
        target = target / default_name
    if target.exists():
        raise click.ClickException(f"{target} already exists; choose another name.")
    if sqlite:
        if not engine.url.database:
            raise click.ClickException("An in-memory SQLite database has nothing to back up.")
        source = sqlite3.connect(engine.url.database)
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
    else:
        if shutil.which("pg_dump") is None:
            raise click.ClickException(
                "pg_dump is not installed; install the PostgreSQL client (apt-get install postgresql-client)."
            )
        url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        # A fixed argument list (no shell); pg_dump is the operator's PostgreSQL client, found on PATH.
        finished = subprocess.run(  # nosec B603 B607
            ["pg_dump", "--format=custom", f"--file={target}", url], capture_output=True, text=True
        )
        if finished.returncode != 0:
            target.unlink(missing_ok=True)
            raise click.ClickException(
                "pg_dump failed: "
                f"{finished.stderr.strip().splitlines()[-1] if finished.stderr else finished.returncode}"
            )
    click.echo(f"Backed up to {target} ({target.stat().st_size:,} bytes).")


@click.command("purge")
@click.option(
    "--older-than", "days", type=int, required=True, help="Events that ended more than DAYS days ago."
)
@with_appcontext
def purge_command(days: int) -> None:
    """Remove the personal data of past events' career seekers; every report number stays."""
    from app.services import retention

    _database_ready()
    try:
        with writing():
            result = retention.purge(db.session, timedelta(days=days), utcnow())
            db.session.commit()
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from exc
    click.echo(
        f"Purged {result.events} events older than {days} days: {result.registrations} registrations "
        "cleared, "
        f"{result.people} people's names and contact details removed."
    )


@click.command("worker")
@click.option("--workers", type=click.IntRange(1, 32), default=2, show_default=True,
              help="Jobs run at the same time (threads).")
@click.option(
    "--periodic/--no-periodic",
    default=True,
    show_default=True,
    help="Also run the scheduled jobs (reminders, the nightly purge, retries). With several workers "
    "sharing one Redis, leave it on for one of them.",
)
@with_appcontext
def worker_command(workers: int, periodic: bool) -> None:
    """Run the job worker: e-mail and texts, badge sheets, reports, reminders, the purge."""
    import logging

    from app import jobs, queue

    _database_ready()
    # Starting (again): first queue what a dead worker or an unreachable queue left unsent.
    jobs.requeue_stalled_messages.call_local()
    db.session.remove()  # each job opens its own session
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(name)s: %(message)s")
    storage = (
        "Redis"
        if current_app.config.get("REDIS_URL")
        else f"SQLite ({current_app.config['JOBS_SQLITE_PATH']})"
    )
    click.echo(f"HireDay job worker: {workers} threads, queue in {storage}"
               f"{', scheduled jobs on' if periodic else ''}. Ctrl-C stops it.")
    # An idle worker polls SQLite at most a second apart (Huey's default backs off to 10 s, which a
    # confirmation e-mail would wait); on Redis it blocks on the queue and wakes at once.
    queue.huey.create_consumer(workers=workers, periodic=periodic, worker_type="thread", max_delay=1.0).run()


def init_app(app: Flask) -> None:
    for command in (demo_command, create_user_command, device_token_command, partner_api_token_command,
                    links_command, backup_command, purge_command, worker_command):
        app.cli.add_command(command)
