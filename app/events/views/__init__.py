"""Event pages: the public list and event page, and the staff pages that set an event up (the event,
its employers and their job orders, referring partners, links), one module each.

Each staff POST validates its form, calls a service, commits, and redirects; a ``DomainError``
goes back onto the field it names, with everything the person typed still in the form."""

from app.events.views import employers, job_orders, links, partners, public, staff_events  # noqa: F401 (routes)
from app.events.views.base import bp

__all__ = ["bp"]
