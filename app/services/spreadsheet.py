"""Tables staff open in a spreadsheet: the one place that makes a CSV or an .xlsx of rows safe.

- A text cell that starts like a formula (``= + - @``, a tab or a carriage return) is written with
  a leading apostrophe in a CSV, so Excel, LibreOffice and Google Sheets show it as text instead of
  running it (a registrant named ``=HYPERLINK(…)`` stays a name).
- A CSV starts with a UTF-8 byte order mark, so Excel reads "Sofía" as "Sofía".
- Every time carries its zone (``2026-11-30 10:15:00 -06:00``).
- An .xlsx writes every value explicitly as a string or a number (XlsxWriter's plain ``write``
  would store a string starting with ``=`` as a formula)."""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import xlsxwriter

#: What a spreadsheet may read as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"

Cell = str | int | float | Decimal | None


def safe_text(value: str) -> str:
    """``value`` as CSV text no spreadsheet runs as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def zoned_time(value: datetime | None, zone: ZoneInfo | str) -> str:
    """A time in ``zone`` with its UTC offset, or "" for none."""
    if value is None:
        return ""
    zone = ZoneInfo(zone) if isinstance(zone, str) else zone
    local = value.astimezone(zone)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M:%S} {offset[:3]}:{offset[3:]}"


def day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _plain(value: Cell) -> Cell:
    return "" if value is None else value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """UTF-8 CSV with a byte order mark; text cells guarded against formulas, numbers as numbers."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow([safe_text(h) for h in header])
    for row in rows:
        writer.writerow([safe_text(v) if isinstance(v, str) else _plain(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[Cell]], *, sheet: str = "Export") -> bytes:
    """One sheet: a bold header row, every text cell written as a string and every number as a
    number (never a formula), columns sized to their content."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    bold = book.add_format({"bold": True})
    page = book.add_worksheet(sheet[:31])
    widths = [len(h) for h in header]
    for col, title in enumerate(header):
        page.write_string(0, col, title, bold)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, bool):
                value = "yes" if value else "no"
            if isinstance(value, int | float | Decimal):
                page.write_number(r, col, float(value) if isinstance(value, Decimal) else value)
                shown = len(f"{value}")
            elif value is None or value == "":
                page.write_blank(r, col, None)
                shown = 0
            else:
                page.write_string(r, col, str(value))
                shown = len(str(value))
            if col < len(widths):
                widths[col] = max(widths[col], min(shown, 60))
    for col, width in enumerate(widths):
        page.set_column(col, col, width + 2)
    page.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
