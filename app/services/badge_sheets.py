"""Badge sheets for a whole event: Avery 5392-style labels (six 4×3 in badges on a US Letter
sheet), sorted by last name, starting at any label of a part-used first sheet.

2,500 badges are ~420 pages. What makes that fast enough to wait for (PERF-NOTES.md): each
badge's QR is a tiny 1-pixel-per-module PNG scaled up without smoothing (drawing an SVG per badge
is half the cost of a page), its matrix is made with a fixed mask (choosing the best of eight is
most of the QR cost, and a fixed mask decodes just as well), the labels are absolutely positioned
boxes with few elements, and chunks of 17 sheets render in parallel processes, merged at the end.
Sheets are made by the job worker, with progress (``app.services.file_jobs``)."""

import base64
import io
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

import qrcode
from flask import render_template
from PIL import Image
from sqlalchemy import func, select

from app.database import Session
from app.models import Candidate, Event, Registration, RegistrationStatus
from app.services.badges import QR_MASK, name_lines, name_size
from app.services.errors import DomainError

LABELS_PER_SHEET = 6
#: Badges per parallel piece of work: 17 full sheets (about 1 s of rendering).
CHUNK = 17 * LABELS_PER_SHEET
#: Label positions on the sheet, left to right then top to bottom (inches from the top left).
POSITIONS = [(0.25 + column * 4.0, 1.0 + row * 3.0) for row in range(3) for column in range(2)]
PAGE_IN = (8.5, 11.0)
#: Where the QR code sits on a label (from its top left) and how big it is, in inches.
QR_OFFSET_IN = (2.3, 0.62)
QR_SIZE_IN = 1.55
#: The names' column on a label, left of the QR code (inches), and their largest sizes (points).
NAME_WIDTH_IN = 2.0
FIRST_NAME_PT, LAST_NAME_PT = 28.0, 16.0
#: QR version by URL length (byte mode: the same length always needs the same version).
_VERSIONS: dict[int, int] = {}


@dataclass(frozen=True)
class SheetBadge:
    first_name: str
    last_name: str
    #: What the QR code holds: ``<BASE_URL>/b/<badge code>``.
    url: str
    #: Printed under the QR code, for typing at the door when a camera fails.
    checkin_number: int

    @property
    def first_pt(self) -> float:
        return name_size(self.first_name, NAME_WIDTH_IN, FIRST_NAME_PT, bold=True)

    @property
    def last_pt(self) -> float:
        return name_size(self.last_name, NAME_WIDTH_IN, LAST_NAME_PT, bold=False)

    @property
    def last_below_in(self) -> float:
        """How far below the first name's top the last name starts: one or two lines of it."""
        lines = name_lines(self.first_name, NAME_WIDTH_IN, self.first_pt, bold=True)
        return round(lines * self.first_pt * 1.05 / 72 + 0.06, 3)


@dataclass(frozen=True)
class SheetHeading:
    """What every badge of the event repeats."""

    event_name: str
    date: str
    board_name: str


def badges_for(session: Session, event: Event, badge_url: Callable[[str], str]) -> list[SheetBadge]:
    """Everyone holding a place at ``event`` (not waitlisted or cancelled), by last name then first."""
    rows = session.execute(
        select(
            Candidate.first_name, Candidate.last_name, Registration.badge_code, Registration.checkin_number
        )
        .join(Registration.candidate)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.REGISTERED)
        .order_by(func.lower(Candidate.last_name), func.lower(Candidate.first_name), Registration.id)
    ).all()
    return [SheetBadge(first, last, badge_url(code), number) for first, last, code, number in rows]


def qr_matrix(data: str) -> list[list[bool]]:
    """The QR code's modules, quiet zone included (True is dark)."""
    version = _VERSIONS.get(len(data))
    code = qrcode.QRCode(
        version=version, error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, mask_pattern=QR_MASK
    )
    code.add_data(data)
    code.make(fit=version is None)
    # Every badge URL of an event has the same length, hence the same QR version: found once.
    _VERSIONS.setdefault(len(data), code.version)
    return code.get_matrix()


def qr_data_uri(data: str) -> str:
    """One QR code as a PNG with one pixel per module, as a data URI."""
    return _png_uri(_paste(Image.new("1", (1, 1)), qr_matrix(data), 0, 0, fit=True))


def _paste(
    canvas: Image.Image, matrix: list[list[bool]], x: int, y: int, *, fit: bool = False
) -> Image.Image:
    size = len(matrix)
    code = Image.new("1", (size, size))
    code.putdata([0 if dark else 1 for row in matrix for dark in row])
    if fit:
        return code
    canvas.paste(code, (x, y))
    return canvas


def _png_uri(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def sheet_qr_image(urls: list[str | None]) -> str:
    """All of a sheet's QR codes in one page-sized image, one pixel per module, for the ``<img>``
    behind the sheet's text: one image a page costs WeasyPrint a sixth of six. Codes sit on the
    module grid, within half a module (0.5 mm) of their place on the label."""
    matrices = {i: qr_matrix(url) for i, url in enumerate(urls) if url}
    size = max(len(m) for m in matrices.values())
    module = QR_SIZE_IN / size
    width, height = round(PAGE_IN[0] / module), round(PAGE_IN[1] / module)
    canvas = Image.new("1", (width, height), 1)
    for i, matrix in matrices.items():
        x, y = POSITIONS[i]
        _paste(canvas, matrix, round((x + QR_OFFSET_IN[0]) / module), round((y + QR_OFFSET_IN[1]) / module))
    return f'src="{_png_uri(canvas)}" style="width: {width * module:.4f}in; height: {height * module:.4f}in"'


def _placeholder(n: int) -> str:
    return f"__QR_{n}__"


def sheet_html(labels: list[SheetBadge | None], heading: SheetHeading) -> str:
    """The HTML of whole sheets for ``labels`` (None leaves a label blank), with a placeholder
    where each sheet's QR image goes (made by ``_render``, in the worker process)."""
    sheets = [labels[i:i + LABELS_PER_SHEET] for i in range(0, len(labels), LABELS_PER_SHEET)]
    return render_template(
        "checkin/badge_sheet.html",
        sheets=sheets,
        heading=heading,
        positions=POSITIONS,
        placeholder=_placeholder,
        name_width=NAME_WIDTH_IN,
        qr_offset=QR_OFFSET_IN,
        qr_size=QR_SIZE_IN,
    )


def _render(task: tuple[str, list[list[str | None]]]) -> bytes:
    """Worker: make the chunk's QR codes and render its sheets to PDF."""
    from weasyprint import HTML

    html, sheets = task
    for n, urls in enumerate(sheets):
        html = html.replace(_placeholder(n), sheet_qr_image(urls), 1)
    return HTML(string=html).write_pdf()


def _chunks(
    labels: list[SheetBadge | None], heading: SheetHeading
) -> list[tuple[str, list[list[str | None]], int]]:
    """Pieces of whole sheets: (HTML, each sheet's QR URLs by label, how many badges)."""
    tasks = []
    for start in range(0, len(labels), CHUNK):
        part = labels[start:start + CHUNK]
        sheets = [
            [label.url if label else None for label in part[i:i + LABELS_PER_SHEET]]
            for i in range(0, len(part), LABELS_PER_SHEET)
        ]
        tasks.append((sheet_html(part, heading), sheets, sum(1 for label in part if label is not None)))
    return tasks


def check_sheet(count: int, start_at: int) -> None:
    """A sheet of ``count`` badges starting at label ``start_at`` can be made (or a DomainError)."""
    if not 1 <= start_at <= LABELS_PER_SHEET:
        raise DomainError(
            "invalid_start", f"Start at a label from 1 to {LABELS_PER_SHEET}.", field="start_at"
        )
    if not count:
        raise DomainError(
            "no_badges", "Nobody holds a place at this event yet: there are no badges to print."
        )


def badge_sheet_pdf(
    badges: list[SheetBadge],
    heading: SheetHeading,
    *,
    start_at: int = 1,
    workers: int = 2,
    on_progress: Callable[[int], None] | None = None,
) -> bytes:
    """The PDF of ``badges`` on label sheets, the first ``start_at - 1`` labels left blank.
    ``on_progress(done)`` is called as badges are finished."""
    check_sheet(len(badges), start_at)
    labels: list[SheetBadge | None] = [None] * (start_at - 1) + list(badges)
    tasks = _chunks(labels, heading)
    if workers <= 1 or len(tasks) == 1:
        pieces = []
        done = 0
        for html, sheets, count in tasks:
            pieces.append(_render((html, sheets)))
            done += count
            if on_progress:
                on_progress(done)
        return _merge(pieces)
    # fork: the workers start at once with WeasyPrint already imported, and need nothing else.
    context = multiprocessing.get_context("fork")
    pieces_by_index: dict[int, bytes] = {}
    done = 0
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=context) as pool:
        futures = {
            pool.submit(_render, (html, sheets)): (i, count) for i, (html, sheets, count) in enumerate(tasks)
        }
        for future in as_completed(futures):
            index, count = futures[future]
            pieces_by_index[index] = future.result()
            done += count
            if on_progress:
                on_progress(done)
    return _merge([pieces_by_index[i] for i in range(len(tasks))])


def _merge(pieces: list[bytes]) -> bytes:
    if len(pieces) == 1:
        return pieces[0]
    from pypdf import PdfWriter

    writer = PdfWriter()
    for piece in pieces:
        writer.append(io.BytesIO(piece))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
