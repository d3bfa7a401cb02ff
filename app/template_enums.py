"""The enums every template can name, so a page compares a status with its member
(``registration.status == RegistrationStatus.CANCELLED``) and shows its label
(``registration.status.label``), never a string copied from the model."""

from enum import Enum

from flask import Flask

from app.models import (
    Audience,
    EventStatus,
    HireStatus,
    InterviewSource,
    Language,
    OrganizationKind,
    Outcome,
    Phase,
    QuestionKind,
    RegistrationStatus,
    Role,
    Sector,
    TokenScope,
    WageUnit,
)

TEMPLATE_ENUMS: tuple[type[Enum], ...] = (
    Audience, EventStatus, HireStatus, InterviewSource, Language, OrganizationKind, Outcome, Phase,
    QuestionKind, RegistrationStatus, Role, Sector, TokenScope, WageUnit,
)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update({enum.__name__: enum for enum in TEMPLATE_ENUMS})
