"""Badges: the QR code (it holds only ``<BASE_URL>/b/<badge code>``) and the printable badge PDF."""

import io
from functools import lru_cache

import qrcode
import qrcode.image.svg
from flask import render_template
from flask_babel import force_locale
from PIL import ImageFont
from weasyprint import HTML

from app.models import Registration

#: Medium error correction survives a creased or smudged print; the 4-module quiet zone is what
#: phone cameras and handheld scanners need around the code.
_ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
#: A QR mask fixed in advance: any of the eight decodes, and searching for the best one is most of
#: the cost of a code (measured: 40% of the time of an e-mail with a badge).
QR_MASK = 2


@lru_cache(maxsize=1024)
def _qr(data: str) -> qrcode.QRCode:
    """The code's matrix, made once per badge: the confirmation e-mail, the badge page and the PDF
    all draw the same code."""
    code = qrcode.QRCode(error_correction=_ERROR_CORRECTION, border=4, box_size=8, mask_pattern=QR_MASK)
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


#: The badge's font (templates/registration/badge_pdf.html, checkin/badge_sheet.html), measured
#: to choose a size; a rough estimate stands in where the font is not installed.
_FONT_FILES = {True: "DejaVuSans-Bold.ttf", False: "DejaVuSans.ttf"}


@lru_cache(maxsize=2)
def _font(bold: bool) -> ImageFont.FreeTypeFont | None:
    try:
        return ImageFont.truetype(_FONT_FILES[bold], 100)
    except OSError:
        return None


def _text_width_em(text: str, bold: bool) -> float:
    font = _font(bold)
    if font is None:
        return len(text) * 0.72  # wider than any of the font's usual letters: errs small
    return font.getlength(text) / 100


def _lines_needed(words: list[str], width_em: float, bold: bool) -> int | None:
    """Lines the words take when wrapped at spaces in ``width_em``; None if one word is too wide."""
    space = _text_width_em(" ", bold)
    lines, current = 1, 0.0
    for word in words:
        word_em = _text_width_em(word, bold)
        if word_em > width_em:
            return None
        if current and current + space + word_em > width_em:
            lines, current = lines + 1, word_em
        else:
            current = current + space + word_em if current else word_em
    return lines


def name_size(
    name: str, width_in: float, largest_pt: float, *, bold: bool, smallest_pt: float = 8, lines: int = 2
) -> float:
    """The largest font size (points, in steps of half a point) at which ``name`` fits ``width_in``
    inches in at most ``lines`` lines, wrapping only at spaces: "Maximiliano Alejandro" shrinks
    and wraps between the words, never inside one."""
    words = name.split() or [""]
    size = largest_pt
    while size > smallest_pt:
        needed = _lines_needed(words, width_in * 72 / size, bold)
        if needed is not None and needed <= lines:
            return size
        size -= 0.5
    return smallest_pt


def name_lines(name: str, width_in: float, size_pt: float, *, bold: bool) -> int:
    """How many lines ``name`` takes at ``size_pt`` (as ``name_size`` wraps it)."""
    return _lines_needed(name.split() or [""], width_in * 72 / size_pt, bold) or 1


#: The name's column on a 4×3 in badge, beside the QR code (inches), and its sizes (points).
NAME_WIDTH_IN = 1.9
FIRST_NAME_PT, LAST_NAME_PT = 30.0, 18.0


def badge_pdf(registration: Registration, badge_url: str) -> bytes:
    """A 4×3 inch badge in the person's language: the name large (wrapped at spaces and shrunk to
    two lines at most), the event, the QR code and the check-in number under it."""
    candidate = registration.candidate
    with force_locale(registration.language.value):
        html = render_template(
            "registration/badge_pdf.html", registration=registration, qr=qr_svg(badge_url),
            first_pt=name_size(candidate.first_name, NAME_WIDTH_IN, FIRST_NAME_PT, bold=True),
            last_pt=name_size(candidate.last_name, NAME_WIDTH_IN, LAST_NAME_PT, bold=False),
        )
    return HTML(string=html).write_pdf()
