"""What a scanner read, as a badge code: one rule for the door, the booth and the door page's
offline check (``door-scanner.js`` runs ``BADGE_IN_URL`` itself, from the page's
``data-badge-in-url``, so a badge matches offline exactly as it will on upload).

A scanner reads either the bare code (typed, or a handheld scanner reading the printed code) or
the whole QR URL ``<BASE_URL>/b/<code>``, perhaps with a trailing slash, a query, or in capitals
(a handheld scanner with Caps Lock on)."""

import re

#: The code in a QR URL: what follows its last ``/b/`` (any case), up to a slash, query, fragment
#: or space. Written so that Python (``re.IGNORECASE | re.DOTALL``) and JavaScript (flags ``is``)
#: read it alike.
BADGE_IN_URL = r"^.*/b/([^/?#\s]*)"
#: What a badge code can look like (``tokens.new_badge_code``; older codes are URL-safe base64).
#: Anything else is not looked up, and is logged only as a hash: it may be someone's licence or card.
BADGE_CODE_SHAPE = r"^[A-Za-z0-9_-]{1,64}$"

_IN_URL = re.compile(BADGE_IN_URL, re.IGNORECASE | re.DOTALL)
_SHAPE = re.compile(BADGE_CODE_SHAPE)


def badge_code_from(scanned: str | None) -> str:
    """The badge code in what a scanner read: the code of a QR URL, else the text itself (trimmed)."""
    text = (scanned or "").strip()
    in_url = _IN_URL.match(text)
    return in_url.group(1) if in_url else text


def looks_like_badge_code(code: str) -> bool:
    """Could ``code`` be a badge code at all (worth looking up)?"""
    return _SHAPE.match(code) is not None
