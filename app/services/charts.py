"""Charts drawn on the server as SVG, for the report PDF and the dashboard (no browser script).

One dark hue on white with every value written beside its bar, so a chart reads the same in
black and white and for colour-blind readers."""

from html import escape

INK = "#12355b"
MUTED = "#4f5963"
GRID = "#c9d1da"
FONT = 'font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif"'


def _number(value: float) -> str:
    return f"{value:,.0f}"


def horizontal_bars(rows: list[tuple[str, int]], *, width: int = 640, bar: int = 26, title: str = "") -> str:
    """Labelled horizontal bars (the funnel; offers by sector). The label column is as wide as the
    longest label needs (about 7.5 px a character at 13 px), up to half the chart."""
    gap = 10
    label_width = min(width // 2, 16 + round(7.5 * max((len(label) for label, _ in rows), default=10)))
    top = 8
    height = top + len(rows) * (bar + gap) + 4
    highest = max((value for _, value in rows), default=0) or 1
    room = width - label_width - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" '
        f'role="img" aria-label="{escape(title)}">'
    ]
    for n, (label, value) in enumerate(rows):
        y = top + n * (bar + gap)
        length = max(2, round(room * value / highest)) if value else 0
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar * 0.68:.1f}" text-anchor="end" font-size="13" '
            f'fill="{INK}" {FONT}>'
            f"{escape(label)}</text>"
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar}" fill="{INK}"/>'
            f'<text x="{label_width + length + 6}" y="{y + bar * 0.68:.1f}" font-size="13" '
            'font-weight="bold" '
            f'fill="{INK}" {FONT}>{_number(value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def columns(rows: list[tuple[str, int]], *, width: int = 640, height: int = 220, title: str = "",
            label_every: int = 2) -> str:
    """Vertical columns over time (arrivals per 15 minutes); every ``label_every``-th time written."""
    left, bottom, top = 36, 26, 16
    plot_width, plot_height = width - left - 8, height - bottom - top
    highest = max((value for _, value in rows), default=0) or 1
    step = plot_width / max(1, len(rows))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" '
        f'role="img" aria-label="{escape(title)}">',
        f'<line x1="{left}" y1="{top + plot_height}" x2="{width - 8}" y2="{top + plot_height}" '
        f'stroke="{MUTED}"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" font-size="11" fill="{MUTED}" '
        f'{FONT}>{_number(highest)}</text>',
        f'<line x1="{left}" y1="{top}" x2="{width - 8}" y2="{top}" stroke="{GRID}" stroke-dasharray="3 3"/>',
    ]
    for n, (label, value) in enumerate(rows):
        x = left + n * step
        column = plot_height * value / highest
        parts.append(
            f'<rect x="{x + step * 0.12:.1f}" y="{top + plot_height - column:.1f}" width="{step * 0.76:.1f}" '
            f'height="{column:.1f}" fill="{INK}"/>'
        )
        if value:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{top + plot_height - column - 3:.1f}" text-anchor="middle" '
                f'font-size="10" fill="{INK}" {FONT}>{value}</text>'
            )
        if n % label_every == 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{height - 8}" text-anchor="middle" font-size="10" '
                f'fill="{MUTED}" {FONT}>{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
