"""A partner's CSV of pre-screened candidates: a preview with row-level errors, then an import of
the valid rows in one go, merging people who are already registered."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.models import BatchJob, FileJobStatus, Referral, Registration, RegistrationSource
from app.services import batch_jobs, partner_import, registration as registrations
from tests import factories
from tests.jobs import held_jobs, run_jobs

NOW = factories.EVENT_START - timedelta(days=3)

GOOD_AND_BAD = """First Name,Last Name,Email,Mobile,ZIP,Language,Consent
Ana,Ruiz,ana.ruiz@example.com,312-555-0101,60608,es,yes
Ben,Okafor,,773-555-0102,60619,en,y
,Kowalski,kowalski@example.com,,60630,en,yes
Dee,Lopez,not-an-email,,606,en,yes
Eve,Park,eve@example.com,,60625,fr,no
Ana,Ruiz,ANA.RUIZ@example.com,,60608,es,yes
"""


@pytest.fixture
def event(db):
    event = factories.make_event(db.session, capacity=None)
    partner = factories.make_partnership(db.session, event, referral_code="PILSEN26")
    return event, partner


def test_the_preview_reports_each_problem_with_its_line_and_column():
    checked = partner_import.preview(GOOD_AND_BAD.encode())
    assert [row.line for row in checked.valid_rows] == [2, 3]
    problems = {(p.line, p.column) for p in checked.problems}
    assert problems == {
        (4, "first_name"),
        (5, "email"), (5, "zip_code"),
        (6, "language"), (6, "consent"),
        (7, "email"),  # the same person as line 2
    }
    assert any("line 2" in p.message for p in checked.problems if p.line == 7)


def run_import(app, db, event, partner, csv_text=GOOD_AND_BAD, send_email=False) -> BatchJob:
    """Staff confirm the import: the job is recorded, committed, and run by the worker (here: at once)."""
    with app.test_request_context():
        job = partner_import.start_import(db.session, event, partner, csv_text, NOW, send_email=send_email)
        db.session.commit()
        batch_jobs.dispatch(db.session)
    db.session.refresh(job)
    return job


def test_importing_registers_the_valid_rows_credited_to_the_partner(app, db, event):
    event, partner = event
    job = run_import(app, db, event, partner)
    assert (job.status, job.done, job.total) == (FileJobStatus.FINISHED, 6, 6)
    assert job.counts == {"created": 2, "skipped": 4}
    assert job.payload is None  # the file's names are not kept once imported
    registrations_ = db.session.scalars(select(Registration).order_by(Registration.id)).all()
    assert [r.candidate.first_name for r in registrations_] == ["Ana", "Ben"]
    assert {r.source for r in registrations_} == {RegistrationSource.PARTNER_IMPORT}
    assert (
        db.session.scalar(
            select(func.count()).select_from(Referral).where(Referral.partnership_id == partner.id)
        )
        == 2
    )


def test_someone_already_registered_is_merged_and_keeps_their_link(app, db, event):
    event, partner = event
    details = registrations.RegistrationDetails(
        first_name="Ana", last_name="Ruiz", email="ana.ruiz@example.com", consent_share_profile=True
    )
    own = registrations.register(db.session, event, details, NOW, source=RegistrationSource.STAFF)
    job = run_import(app, db, event, partner)
    assert job.counts == {"created": 1, "merged": 1, "skipped": 4}
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 2
    assert registrations.find_by_manage_token(db.session, own.manage_token) == own.registration
    assert [r.partnership_id for r in own.registration.referrals] == [partner.id]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"name,phone\nAna,3125550101\n", "must name the columns"),
        ("first_name,last_name,email,consent\nJosé,Núñez,jose@example.com,sí\n".encode("cp1252"), None),
    ],
    ids=["empty file", "wrong headers", "Windows-1252 from Excel"],
)
def test_file_problems_are_explained(data, message):
    checked = partner_import.preview(data)
    if message is None:
        assert checked.file_problems == [] and checked.valid_rows[0].details.last_name == "Núñez"
    else:
        assert message in checked.file_problems[0]


def test_staff_preview_then_import_through_the_pages(client, db, login, event, app, tmp_path, monkeypatch):
    import io

    from app.models import Role
    from tests.conftest import csrf_token

    monkeypatch.setitem(app.config, "OUTBOX_PATH", str(tmp_path / "outbox"))
    event, partner = event
    db.session.commit()
    login(factories.make_user(db.session, Role.STAFF))
    path = f"/staff/events/{event.slug}/import"
    preview = client.post(path, data={
        "csrf_token": csrf_token(client, path), "partnership_id": str(partner.id),
        "file": (io.BytesIO(GOOD_AND_BAD.encode()), "pilsen.csv"),
    }, content_type="multipart/form-data")
    page = preview.get_data(as_text=True)
    assert "2</strong> rows ready to import" in page and "Use en or es." in page
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0  # nothing yet

    confirm_token = csrf_token(client, path)
    csv_text = GOOD_AND_BAD
    with held_jobs():  # the worker is busy: the page answers at once and shows the job waiting
        done = client.post(
            f"{path}/confirm",
            data={
                "csrf_token": confirm_token,
                "partnership_id": str(partner.id),
                "csv_text": csv_text,
                "send_email": "y",
            },
            follow_redirects=True,
        )
        page = done.get_data(as_text=True)
        assert (
            "Importing the file for" in page
            and "Importing the partner&#39;s candidates: waiting for the job worker" in page
        )
        assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
        run_jobs()
    job = batch_jobs.latest(db.session, event, (partner_import.IMPORT,))
    progress = client.get(f"{path}/jobs/{job.id}").get_data(as_text=True)
    assert (
        "Imported 2 new registrations; 0 already registered (credited to the partner); 4 rows skipped."
        in progress
    )
    assert "hx-get" not in progress  # finished: the page stops asking
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 2
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1  # Ben has no e-mail address


def test_volunteers_cannot_import(client, db, login, event):
    from app.models import Role

    event, _ = event
    login(factories.make_user(db.session, Role.VOLUNTEER))
    assert client.get(f"/staff/events/{event.slug}/import").status_code == 403



def test_an_import_whose_partner_was_removed_stops_and_its_file_goes_with_the_purge(app, db, event):
    """A batch that cannot be done stops the job with its reason (the page shows it, with a button
    to carry on); a stopped job keeps its file, with names in it, only until the retention purge."""
    from app.services import retention

    event, partner = event
    with held_jobs(), app.test_request_context():
        job = partner_import.start_import(db.session, event, partner, GOOD_AND_BAD, NOW, send_email=False)
        db.session.commit()
        batch_jobs.dispatch(db.session)
        db.session.delete(partner)  # staff removed the partner before the worker got to it
        db.session.commit()
        run_jobs()
    db.session.refresh(job)
    assert job.status == FileJobStatus.FAILED and job.done == 0
    assert job.error == "The partner was removed from this event; nothing more was imported."
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
    assert job.payload == GOOD_AND_BAD

    retention.purge(db.session, timedelta(days=30), event.ends_at + timedelta(days=31))
    db.session.commit()
    db.session.refresh(job)
    assert job.payload is None
