"""Every string the code shows has a Spanish translation (public pages, badges, e-mails)."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "app/translations/es/LC_MESSAGES/messages.po"


def test_every_message_in_the_code_is_translated_into_spanish(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "app/translations/babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "--ignore-dirs=.* node_modules", "-o", str(template), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with template.open("rb") as f:
        in_code = {m.id for m in read_po(f) if m.id}
    with CATALOG.open("rb") as f:
        spanish = {m.id: m for m in read_po(f) if m.id}
    untranslated = sorted(
        str(msgid) for msgid in in_code
        if msgid not in spanish or not spanish[msgid].string or "fuzzy" in spanish[msgid].flags
        or (isinstance(spanish[msgid].string, tuple) and not all(spanish[msgid].string))
    )
    assert untranslated == [], "run `make extract-messages` and translate these in messages.po"
