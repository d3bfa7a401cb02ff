"""What a cheap phone on slow 3G downloads: compressed pages and files, fingerprinted files kept
for a year, and htmx only on the pages that use it."""

import gzip
import re

from app.models import Role
from tests import factories

GZIP = {"Accept-Encoding": "gzip, deflate"}


def _links(html: str) -> dict[str, str]:
    """The page's scripts and stylesheet by file name, with their addresses."""
    return {
        re.sub(r"\?.*", "", url).rsplit("/", 1)[1]: url
        for url in re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    }


def test_the_event_page_and_its_files_arrive_compressed_and_fingerprinted(client, db):
    factories.make_event(db.session, slug="hh", name="Hospitality Hires Chicago")
    db.session.commit()
    page = client.get("/events/hh/", headers=GZIP)
    assert page.status_code == 200 and page.headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(page.data).decode()
    assert "Hospitality Hires Chicago" in html
    assert len(page.data) < 0.6 * len(html.encode())

    links = _links(html)
    assert "htmx-2.0.11.min.js" not in links  # the event page uses no htmx: 52 kB saved
    css = client.get(links["hireday.css"], headers=GZIP)
    assert re.search(r"\?v=[0-9a-f]{12}$", links["hireday.css"])
    assert css.headers["Content-Encoding"] == "gzip"
    assert "public" in css.headers["Cache-Control"] and "immutable" in css.headers["Cache-Control"]
    assert "max-age=31536000" in css.headers["Cache-Control"]
    assert b"--navy" in gzip.decompress(css.data)
    assert css.headers["Vary"] == "Accept-Encoding"  # not Cookie: a changed cookie must not refetch it
    css.close()

    # An address with an old fingerprint still answers, but is not kept for a year.
    stale = client.get("/static/css/hireday.css?v=000000000000")
    assert stale.status_code == 200 and "immutable" not in stale.headers.get("Cache-Control", "")
    stale.close()


def test_compression_follows_what_the_browser_takes(client, db):
    factories.make_event(db.session, slug="hh")
    db.session.commit()
    plain = client.get("/events/hh/")
    assert "Content-Encoding" not in plain.headers and b"</html>" in plain.data
    brotli = client.get("/events/hh/", headers={"Accept-Encoding": "br"})
    assert brotli.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in brotli.headers["Vary"]


def test_htmx_is_loaded_on_the_pages_that_use_it(client, db, login):
    factories.make_event(db.session, slug="hh")
    volunteer = factories.make_user(db.session, Role.VOLUNTEER)
    db.session.commit()
    login(volunteer)
    assert "htmx-2.0.11.min.js" in _links(client.get("/door/events/hh/").get_data(as_text=True))
    assert "htmx-2.0.11.min.js" not in _links(client.get("/door/").get_data(as_text=True))


def test_a_first_visit_gets_the_styles_in_the_page_and_later_pages_link_them(client, db):
    """Slow 3G costs 2 s a round trip: a first page must not wait for a second request to paint."""
    factories.make_event(db.session, slug="hh")
    db.session.commit()
    first = client.get("/events/hh/")
    html = first.get_data(as_text=True)
    nonce = re.search(r'<style nonce="([^"]+)">', html).group(1)
    assert "--navy" in html  # the stylesheet itself
    assert f"style-src 'self' 'nonce-{nonce}'" in first.headers["Content-Security-Policy"]
    assert re.search(r'<link rel="prefetch" href="/static/css/hireday.css\?v=[0-9a-f]{12}" as="style">', html)

    later = client.get("/events/hh/")  # the file has not been fetched yet: still in the page
    assert "<style nonce=" in later.get_data(as_text=True)
    href = re.search(r'<link rel="prefetch" href="([^"]+)"', html).group(1)
    client.get(href).close()  # the background fetch; its answer says which version is kept
    later = client.get("/events/hh/")
    html = later.get_data(as_text=True)
    assert "<style" not in html and re.search(
        r'<link rel="stylesheet" href="/static/css/hireday.css\?v=', html
    )
    assert "nonce" not in later.headers["Content-Security-Policy"]
