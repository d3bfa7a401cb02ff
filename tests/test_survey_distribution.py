"""Getting the post-event survey out: invitations to attendees in their language, reminders to
those who have not answered, the exit poster and its entry page, and the close-the-event hook."""

import email
import re
import subprocess
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest
import time_machine
import zxingcpp
from PIL import Image
from sqlalchemy import func, select

from app.models import (
    Audience,
    BatchJob,
    CheckIn,
    CheckInKind,
    EventStatus,
    FileJobStatus,
    Language,
    Phase,
    RegistrationStatus,
    SurveyLink,
    SurveyLinkPurpose,
)
from app.queue import huey
from app.services import batch_jobs, survey_distribution as distribution, surveys
from app.services.errors import DomainError
from tests import factories
from tests.conftest import csrf_token
from tests.jobs import held_jobs, run_jobs

AFTER = factories.EVENT_START + timedelta(hours=6)


@pytest.fixture
def outbox(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_PATH", str(tmp_path / "outbox"))
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    return tmp_path / "outbox"


def messages(outbox: Path) -> list[email.message.EmailMessage]:
    return [
        email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in sorted(outbox.glob("*.eml"))
    ]


@pytest.fixture
def event(db):
    event = factories.make_event(db.session, slug="hh", name="Hospitality Hires Chicago")
    surveys.add_default_surveys(db.session, event)
    db.session.commit()
    return event


def check_in(db, registration, n=[0]):  # noqa: B006 - unique nonces
    n[0] += 1
    db.session.add(
        CheckIn(
            event_id=registration.event_id,
            registration=registration,
            scanned_at=factories.EVENT_START,
            nonce=f"dist-{n[0]}",
            kind=CheckInKind.ENTRY,
            successful=True,
        )
    )
    db.session.flush()


def person(db, event, language=Language.EN, **candidate):
    return factories.make_registration(db.session, event, factories.make_candidate(db.session, **candidate),
                                       language=language)


def link_in(message) -> re.Match[str]:
    found = re.search(
        r"https://hireday\.test(/s/[A-Za-z0-9_-]{43})\?lang=(en|es)",
        message.get_body(("plain",)).get_content(),
    )
    assert found, "the message has no survey link"
    return found


def invite(app, db, event, now=AFTER) -> BatchJob:
    """Staff press "send": the job is recorded, committed, and run by the worker (here: at once)."""
    with app.test_request_context():
        distribution.invite_attendees(db.session, event, now)
        db.session.commit()
        batch_jobs.dispatch(db.session)
    job = batch_jobs.latest(db.session, event, (distribution.INVITATIONS,))
    assert job is not None
    return job


def remind(app, db, event, now) -> BatchJob:
    with app.test_request_context():
        distribution.remind_attendees(db.session, event, now)
        db.session.commit()
        batch_jobs.dispatch(db.session)
    job = batch_jobs.latest(db.session, event, (distribution.REMINDERS,))
    assert job is not None
    return job


def links_of(db, purpose=SurveyLinkPurpose.INVITATION) -> list[int]:
    return sorted(db.session.scalars(select(SurveyLink.registration_id).where(SurveyLink.purpose == purpose)))


def test_invitations_go_to_checked_in_attendees_once_each_in_their_language(app, db, event, outbox):
    maria = person(db, event, Language.ES, first_name="María")
    john = person(db, event, first_name="John")
    no_email = person(db, event, email=None)
    stayed_home = person(db, event)
    for registration in (maria, john, no_email):
        check_in(db, registration)

    job = invite(app, db, event)

    assert (job.status, job.done, job.total) == (FileJobStatus.FINISHED, 3, 3)
    assert job.counts == {"sent": 2, "without_email": 1}
    assert links_of(db) == sorted([maria.id, john.id])
    sent = {m["To"]: m for m in messages(outbox)}
    assert stayed_home.candidate.email not in sent and len(sent) == 2
    spanish = sent[maria.candidate.email]
    assert spanish["Subject"] == "¿Cómo le fue en Hospitality Hires Chicago?"
    assert "Hola, María" in spanish.get_body(("plain",)).get_content()
    path, language = link_in(spanish).groups()
    assert language == "es" and surveys.find_link(db.session, path[3:]).registration_id == maria.id

    # Sending again reaches only people not invited yet.
    late = person(db, event)
    check_in(db, late)
    again = invite(app, db, event, AFTER + timedelta(minutes=5))
    assert again.counts == {"sent": 1, "skipped": 2, "without_email": 1}
    assert links_of(db) == sorted([maria.id, john.id, late.id])
    assert distribution.invitation_summary(again) == (
        "Post-event survey sent to 1 attendees (2 invited before, 1 without an e-mail address).")


def test_without_check_ins_everyone_with_a_place_is_invited(app, db, event, outbox):
    registered = person(db, event)
    person(db, event).status = RegistrationStatus.WAITLISTED
    invite(app, db, event)
    assert links_of(db) == [registered.id]


def test_a_worker_killed_halfway_loses_nothing_and_sends_nothing_twice(app, db, event, outbox, monkeypatch):
    """Each batch commits with the job's progress: a worker that dies in the second batch leaves
    the first batch's e-mails sent and recorded, and the sweep queues the job again, which carries
    on with the people after them."""
    monkeypatch.setattr(distribution, "BATCH", 2)
    people = [person(db, event) for _ in range(5)]

    class WorkerKilled(BaseException):
        """What the worker's process sees of SIGKILL: nothing after it runs."""

    ticks = iter([AFTER, AFTER])

    def clock():
        return next(ticks, None) or (_ for _ in ()).throw(WorkerKilled())

    with time_machine.travel(AFTER, tick=False), held_jobs(), app.test_request_context():
        distribution.invite_attendees(db.session, event, AFTER)
        db.session.commit()
        batch_jobs.dispatch(db.session)
        job = batch_jobs.latest(db.session, event, (distribution.INVITATIONS,))
        taken = huey.dequeue()  # by the worker that is about to die
        assert taken.args == (job.id,)
        with pytest.raises(WorkerKilled):
            batch_jobs.run(db.session, job.id, clock)  # two batches, then killed in the third
        db.session.rollback()
        run_jobs()  # the messages the first batches queued go out
        first = {m["To"] for m in messages(outbox)}
        assert first == {p.candidate.email for p in people[:4]}
        db.session.refresh(job)
        assert (job.status, job.done, job.total) == (FileJobStatus.RUNNING, 4, 5)

        # Nobody picks it up for a while: the sweep queues it again, and it finishes.
        assert batch_jobs.stalled(db.session, AFTER + timedelta(minutes=1)) == []
        assert batch_jobs.stalled(db.session, AFTER + timedelta(minutes=5)) == [job.id]
    with (
        time_machine.travel(AFTER + timedelta(minutes=5), tick=False),
        held_jobs(),
        app.test_request_context(),
    ):
        from app.jobs import resume_stalled_batch_jobs

        resume_stalled_batch_jobs()
        run_jobs()
    db.session.refresh(job)
    assert (job.status, job.done, job.counts) == (FileJobStatus.FINISHED, 5, {"sent": 5})
    recipients = [m["To"] for m in messages(outbox)]
    assert sorted(recipients) == sorted(p.candidate.email for p in people)  # each once
    assert links_of(db) == sorted(p.id for p in people)


def test_reminders_reach_invited_people_who_have_not_answered_at_most_daily(app, db, event, outbox):
    answered, silent = person(db, event), person(db, event)
    invite(app, db, event)
    never_invited = person(db, event)
    surveys.answer_survey(db.session, surveys.event_survey(db.session, event, Audience.CANDIDATE, Phase.POST),
                          {"satisfaction": "5"}, AFTER, registration=answered)

    too_soon = remind(app, db, event, AFTER + timedelta(hours=2))
    assert too_soon.counts == {"sent": 0, "skipped": 2}
    with time_machine.travel(AFTER + timedelta(days=2), tick=False):
        later = remind(app, db, event, AFTER + timedelta(days=2))
    assert later.counts == {"sent": 1, "skipped": 1}
    assert links_of(db, SurveyLinkPurpose.REMINDER) == [silent.id]
    assert never_invited.id not in links_of(db)
    assert messages(outbox)[-1]["Subject"].startswith("Reminder: tell us how")
    # The invitation's link still works after the reminder's.
    links = db.session.scalars(select(SurveyLink).where(SurveyLink.registration_id == silent.id)).all()
    assert {link.purpose for link in links} == {SurveyLinkPurpose.INVITATION, SurveyLinkPurpose.REMINDER}


def test_nothing_goes_out_while_the_survey_is_closed(db, event):
    person(db, event)
    before = distribution.invite_attendees(db.session, event, event.starts_at - timedelta(days=1))
    assert before == ("Post-event survey not sent: The post-event survey is not open yet; "
                      "change its dates in the survey editor first.")
    with pytest.raises(DomainError, match="survey_not_open"):
        distribution.remind_attendees(db.session, event, event.ends_at + timedelta(days=60))
    assert db.session.scalar(select(func.count()).select_from(SurveyLink)) == 0
    assert db.session.scalar(select(func.count()).select_from(BatchJob)) == 0


def test_a_badge_code_or_its_whole_link_opens_the_survey(db, event):
    registration = person(db, event)
    for typed in (registration.badge_code, f"  https://hireday.test/b/{registration.badge_code}  "):
        secret = distribution.entry_by_badge(db.session, event, typed, AFTER)
        assert surveys.find_link(db.session, secret).registration_id == registration.id
    other_event = factories.make_event(db.session)
    stranger = factories.make_registration(db.session, other_event)
    for typed in ("not-a-code", stranger.badge_code, ""):
        with pytest.raises(DomainError, match="unknown_badge"):
            distribution.entry_by_badge(db.session, event, typed, AFTER)


def test_the_poster_qr_code_opens_the_entry_page(app, db, event, tmp_path):
    with app.test_request_context():
        pdf = distribution.poster_pdf(event)
    (tmp_path / "poster.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "100",
            "-png",
            "-singlefile",
            str(tmp_path / "poster.pdf"),
            str(tmp_path / "poster"),
        ],
        check=True,
    )
    decoded = zxingcpp.read_barcodes(Image.open(tmp_path / "poster.png"))
    assert [code.text for code in decoded] == ["https://hireday.test/events/hh/survey"]


# --- Through the web -------------------------------------------------------------------------------


@pytest.fixture
def staff(db):
    """A staff account; tests sign in at the (travelled-to) time they act, as sessions expire."""
    user = factories.make_user(db.session)
    db.session.commit()
    return user


def test_closing_the_event_e_mails_the_post_survey(client, db, event, staff, login, outbox):
    attendee = person(db, event, Language.ES)
    check_in(db, attendee)
    db.session.commit()
    with time_machine.travel(AFTER, tick=True):
        login(staff)
        page = client.post(
            "/staff/events/hh/status",
            data={"csrf_token": csrf_token(client, "/staff/events/hh/"), "status": "closed"},
            follow_redirects=True,
        )
    assert event.status == EventStatus.CLOSED
    assert "Sending the post-event survey to attendees not invited yet" in page.get_data(as_text=True)
    assert [m["To"] for m in messages(outbox)] == [attendee.candidate.email]


def test_staff_send_remind_and_print_the_poster(client, db, event, staff, login, outbox):
    person(db, event)
    db.session.commit()
    with time_machine.travel(AFTER, tick=True):
        login(staff)
        token = csrf_token(client, "/staff/events/hh/surveys")
        page = client.post("/staff/events/hh/surveys/send", data={"csrf_token": token}, follow_redirects=True)
        assert "Post-event survey sent to 1 attendees" in page.get_data(as_text=True)
        assert "<strong>1</strong> invited by e-mail" in page.get_data(as_text=True)
        page = client.post(
            "/staff/events/hh/surveys/remind", data={"csrf_token": token}, follow_redirects=True
        )
        assert "Reminder sent to 0 attendees" in page.get_data(as_text=True)
    with time_machine.travel(event.starts_at - timedelta(days=2), tick=True):
        login(staff)
        token = csrf_token(client, "/staff/events/hh/surveys")
        page = client.post("/staff/events/hh/surveys/send", data={"csrf_token": token}, follow_redirects=True)
        assert "is not open yet" in page.get_data(as_text=True)
        poster = client.get("/staff/events/hh/surveys/poster.pdf")
        assert poster.headers["Content-Type"] == "application/pdf" and poster.data.startswith(b"%PDF")
    assert len(messages(outbox)) == 1


def test_the_entry_page_opens_the_survey_by_badge_or_e_mails_the_link(client, db, event, outbox):
    registration = person(db, event, Language.ES)
    db.session.commit()
    with time_machine.travel(AFTER, tick=True):
        token = csrf_token(client, "/events/hh/survey?lang=es")
        response = client.post(
            "/events/hh/survey", data={"csrf_token": token, "badge_code": registration.badge_code}
        )
        assert re.fullmatch(r"/s/[A-Za-z0-9_-]{43}", response.headers["Location"])

        wrong = client.post("/events/hh/survey", data={"csrf_token": token, "badge_code": "nope"})
        assert wrong.status_code == 422 and "No encontramos ese código" in wrong.get_data(as_text=True)

        for address in (registration.candidate.email, "nobody@example.com"):
            page = client.post("/events/hh/survey/email", data={"csrf_token": token, "email": address},
                               follow_redirects=True).get_data(as_text=True)
            assert "le enviamos por correo el enlace" in page
        assert [m["To"] for m in messages(outbox)] == [registration.candidate.email]

        # Scanning one's own badge after the event leads to the survey too.
        landing = client.get(f"/b/{registration.badge_code}").get_data(as_text=True)
        assert 'action="/events/hh/survey"' in landing
