"""Check-in at the door, derived from the append-only scan log."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from app.models import CheckIn, CheckInKind


def checked_in_count(session: Session, event_id: int) -> int:
    """How many people have a successful entry scan that was not undone."""
    undo = aliased(CheckIn)
    not_undone = ~select(undo.id).where(undo.undoes_id == CheckIn.id).exists()
    return session.scalar(
        select(func.count(func.distinct(CheckIn.registration_id))).where(
            CheckIn.event_id == event_id,
            CheckIn.kind == CheckInKind.ENTRY,
            CheckIn.successful.is_(True),
            not_undone,
        )
    ) or 0
