"""Interviews, one module per audience: the employer's booth tablet, a career seeker's bookings on
their own page, and the staff pages for slots and hires."""

from app.interviews.views import booth, candidate, staff  # noqa: F401 (routes)
from app.interviews.views.base import bp

__all__ = ["bp"]
