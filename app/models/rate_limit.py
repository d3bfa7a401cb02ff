"""Rate-limit counters kept in the application's database, so every worker process and every host
counts the same hits (``app.rate_limits.DatabaseStorage``)."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class RateLimitCounter(Base):
    """Hits on one limit's key in its current fixed window."""

    __tablename__ = "rate_limit_counters"
    __table_args__ = (sa.CheckConstraint("hits >= 0", name="hits_not_negative"),)

    #: The limiter's key: the limit, the route and a hash of the client address or account.
    key: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    hits: Mapped[int]
    #: When the window ends, in seconds since the epoch (the ``limits`` library's own clock).
    expires_at: Mapped[float] = mapped_column(sa.Float, index=True)
