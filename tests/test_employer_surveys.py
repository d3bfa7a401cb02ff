"""Employer surveys by e-mail: staff send each employer's contact a personal link (on the job
worker), the employer answers without the booth tablet, and the results count the answer."""

import email
import re
from datetime import timedelta
from email import policy

import pytest
import time_machine
from sqlalchemy import func, select

from app.models import Audience, Phase, SurveyLink
from app.services import surveys
from tests import factories
from tests.conftest import csrf_token

AFTER = factories.EVENT_START + timedelta(days=1)


@pytest.fixture
def outbox(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_PATH", str(tmp_path / "outbox"))
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    return tmp_path / "outbox"


def messages(outbox) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in sorted(outbox.glob("*.eml"))]


@pytest.fixture
def event(db):
    event = factories.make_event(db.session, slug="hh", name="Hospitality Hires Chicago")
    surveys.add_default_surveys(db.session, event)
    for name, contact, address in (("Lakeshore Grand", "Dana Reyes", "dana@lakeshore.example"),
                                   ("Midway Movers", None, None),
                                   ("Pilsen Bakery", None, "jobs@pilsenbakery.example")):
        organization = factories.make_organization(db.session, name=name, contact_name=contact,
                                                   contact_email=address)
        factories.make_participation(db.session, event, organization)
    db.session.commit()
    return event


def send(client, phase="post"):
    token = csrf_token(client, "/staff/events/hh/surveys")
    return client.post(f"/staff/events/hh/surveys/employer/{phase}/send", data={"csrf_token": token},
                       follow_redirects=True).get_data(as_text=True)


def test_staff_e_mail_employers_their_survey_and_an_employer_answers_by_the_link(
        client, db, event, login, outbox):
    staff = factories.make_user(db.session)
    db.session.commit()
    with time_machine.travel(AFTER, tick=True):
        login(staff)
        page = send(client)
        assert "Employer survey sent to 2 employers (0 sent it before, 1 without a contact e-mail" in page
        assert "2 employers e-mailed a personal link" in page

        sent = {m["To"]: m for m in messages(outbox)}
        assert set(sent) == {"dana@lakeshore.example", "jobs@pilsenbakery.example"}
        letter = sent["dana@lakeshore.example"]
        assert letter["Subject"] == "Your feedback on Hospitality Hires Chicago"
        text = letter.get_body(("plain",)).get_content()
        assert text.startswith("Hello Dana Reyes,")
        path = re.search(r"https://hireday\.test(/s/[A-Za-z0-9_-]{43})", text).group(1)

        # The employer's contact has no account: the link is the key.
        client.post("/logout", data={"csrf_token": csrf_token(client, "/staff/events/hh/surveys")})
        form = client.get(path).get_data(as_text=True)
        assert "After the event: your results" in form and "Lakeshore Grand" in form
        assert "Back to the booth" not in form
        answered = client.post(path, data={"csrf_token": csrf_token(client, path), "q_satisfaction": "4",
                                           "q_would_return": "yes", "q_pain_points": ["no_shows"]})
        assert answered.status_code == 302
        assert "Your answers are saved." in client.get(path).get_data(as_text=True)

        login(staff)
        overview = client.get("/staff/events/hh/surveys").get_data(as_text=True)
        assert "1</strong> responses of 3" in overview
        results = client.get("/staff/events/hh/surveys/employer/post/results").get_data(as_text=True)
        assert "Candidates not showing up to interviews or first shifts" in results

        # Sending again reaches only employers not sent it yet.
        again = send(client)
        assert "Employer survey sent to 0 employers (2 sent it before, 1 without a contact e-mail" in again
    assert len(messages(outbox)) == 2
    survey = surveys.event_survey(db.session, event, Audience.EMPLOYER, Phase.POST)
    links = select(func.count()).select_from(SurveyLink).where(SurveyLink.survey_id == survey.id)
    assert db.session.scalar(links) == 2


def test_nothing_goes_to_employers_while_the_survey_is_closed(client, db, event, login, outbox):
    staff = factories.make_user(db.session)
    db.session.commit()
    with time_machine.travel(event.starts_at - timedelta(days=3), tick=True):
        login(staff)
        page = send(client)
    assert "Employer survey not sent: The employer survey is not open yet" in page
    assert messages(outbox) == []
