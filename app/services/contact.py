"""Checking and normalising how to reach a person: email, mobile phone, ZIP code."""

import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from app.services.errors import DomainError

_ZIP = re.compile(r"^\d{5}$")


def normalize_email(raw: str, field: str = "email") -> str:
    """The lower-cased address, or a ``DomainError`` saying what is wrong with it."""
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise DomainError(
            "invalid_email", _l("Enter an email address like name@example.com."), field=field
        ) from exc


def normalize_phone(raw: str, field: str = "phone") -> str:
    """E.164 (``+13125550100``); numbers without a country code are read as US numbers."""
    try:
        number = phonenumbers.parse(raw.strip(), "US")
    except phonenumbers.NumberParseException as exc:
        raise DomainError(
            "invalid_phone", _l("Enter a phone number like 312-555-0100."), field=field
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise DomainError(
            "invalid_phone", _l("That phone number is not valid; check the digits."), field=field
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_zip(raw: str, field: str = "zip_code") -> str:
    """Five digits; a ZIP+4 keeps its first five."""
    value = raw.strip()
    if re.fullmatch(r"\d{5}-\d{4}", value):
        value = value[:5]
    if not _ZIP.match(value):
        raise DomainError("invalid_zip", _l("Enter a 5-digit ZIP code."), field=field)
    return value


def display_phone(e164: str | None) -> str:
    """``(312) 555-0100`` for US numbers, international format otherwise."""
    if not e164:
        return ""
    number = phonenumbers.parse(e164)
    if number.country_code == 1:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def masked_email(email: str) -> str:
    """Enough of an address for its owner to recognise it, and no more: ``j•••@example.org``."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"
