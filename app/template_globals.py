"""What templates may call beyond Flask's own, registered on the app in one place: a blueprint's
template never depends on another blueprint's module, and a page rendered outside a request (a
report in the job worker) finds the same names."""

from typing import Any

from flask import Flask, url_for

from app.extensions import db
from app.models import Audience, Event, Phase, Registration, RegistrationStatus, Survey, utcnow
from app.services import badges, bookings, interviews, registration as registrations, reports, surveys


def can_register(event: Event) -> bool:
    """For event pages: show the Register button?"""
    return registrations.registration_open(event, utcnow())


def interview_summary(registration: Registration) -> dict:
    """For the person's own page (``/r/<token>``): their booked interviews and queue places."""
    now = utcnow()
    return {
        "bookings": bookings.live_bookings(db.session, registration),
        "queues": interviews.queue_places(db.session, registration, now),
        "can_book": registration.status == RegistrationStatus.REGISTERED and registration.event.ends_at > now,
    }


def post_survey_open(event: Event) -> bool:
    """For the career seeker's own page: offer the post-event survey?"""
    survey = surveys.event_survey(db.session, event, Audience.CANDIDATE, Phase.POST)
    return survey is not None and surveys.is_open(survey, utcnow())


def link_qr_svg(url: str) -> str:
    """A booth link as a QR code, for staff to show when they issue it (scanned by the tablet at set-up)."""
    return badges.qr_svg(url)


def survey_url(endpoint: str, survey: Survey, **kwargs: Any) -> str:
    """The address of a staff survey page (``surveys.editor``, ``surveys.results``, …) for ``survey``."""
    return url_for(endpoint, slug=survey.event.slug, audience=survey.audience.value, phase=survey.phase.value,
                   **kwargs)


def survey_name(survey: Survey) -> str:
    """"Career seekers, after the event": how staff pages name a survey."""
    return f"{survey.audience.label}, {survey.phase.label}"


def init_app(app: Flask) -> None:
    for function in (can_register, interview_summary, post_survey_open, link_qr_svg, survey_url):
        app.add_template_global(function)
    app.add_template_filter(survey_name)
    app.add_template_filter(reports.suppressed, "suppressed")
