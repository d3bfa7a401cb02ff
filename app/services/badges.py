"""Badges: the QR code (it holds only ``<BASE_URL>/b/<badge code>``) and the printable badge PDF."""

import io
from functools import lru_cache

import qrcode
import qrcode.image.svg
from flask import render_template
from flask_babel import force_locale
from weasyprint import HTML

from app.models import Registration

#: Medium error correction survives a creased or smudged print; the 4-module quiet zone is what
#: phone cameras and handheld scanners need around the code.
_ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M


@lru_cache(maxsize=1024)
def _qr(data: str) -> qrcode.QRCode:
    """The code's matrix, made once per badge: choosing the mask is most of the cost, and the
    confirmation e-mail, the badge page and the PDF all draw the same code."""
    code = qrcode.QRCode(error_correction=_ERROR_CORRECTION, border=4, box_size=8)
    code.add_data(data)
    code.make(fit=True)
    return code


@lru_cache(maxsize=4096)
def qr_svg(data: str) -> str:
    """The QR code as an SVG document (a badge code never changes, so the drawing is cached too)."""
    image = _qr(data).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


def qr_png(data: str) -> bytes:
    """The QR code as a PNG (8 pixels a module), for e-mail, where SVG is not shown."""
    buffer = io.BytesIO()
    _qr(data).make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def badge_pdf(registration: Registration, badge_url: str) -> bytes:
    """A 4×3 inch badge in the person's language: the name large, the event, and the QR code."""
    with force_locale(registration.language.value):
        html = render_template("registration/badge_pdf.html", registration=registration, qr=qr_svg(badge_url))
    return HTML(string=html).write_pdf()
