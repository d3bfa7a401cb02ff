"""How an event reminds the people registered for it."""

from datetime import time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base
from app.models.event import Event


class ReminderPlan(Base):
    """An event's reminders, as staff set them: which go out, when (in the event's time zone), and
    the line about what to bring, in English and Spanish. An event without a row gets the defaults
    (``ReminderPlan.defaults``)."""

    __tablename__ = "reminder_plans"
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    two_days_enabled: Mapped[bool] = mapped_column(default=True)
    #: Local time, two days before the event's day.
    two_days_at: Mapped[time] = mapped_column(default=time(17, 0))
    morning_enabled: Mapped[bool] = mapped_column(default=True)
    #: Local time on the event's day (before the doors open).
    morning_at: Mapped[time] = mapped_column(default=time(8, 0))
    #: Also by text message, to those who agreed to texts.
    sms_enabled: Mapped[bool] = mapped_column(default=True)
    bring_en: Mapped[str] = mapped_column(sa.String(300), default="")
    bring_es: Mapped[str] = mapped_column(sa.String(300), default="")

    event: Mapped[Event] = relationship()

    @classmethod
    def defaults(cls, event: Event) -> "ReminderPlan":
        return cls(event_id=event.id, event=event, two_days_enabled=True, two_days_at=time(17, 0),
                   morning_enabled=True, morning_at=time(8, 0), sms_enabled=True, bring_en="", bring_es="")
