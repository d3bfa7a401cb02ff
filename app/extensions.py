"""Every Flask extension object, created once and bound to the app in ``create_app``."""

import time

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from limits.storage import MemoryStorage

from app.models.base import Base
from app.rate_limits import DatabaseStorage  # noqa: F401  (registers hireday-database://)

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
compress = Compress()


class SweepingMemoryStorage(MemoryStorage):
    """``hireday-memory://``: limits' in-process counters, with expired ones swept inline at most
    once a second instead of by a timer thread.

    limits' ``memory://`` starts a thread that runs 10 ms later whenever none is alive, so under
    a steady stream of counted requests (a door scanning several badges a second) nearly every
    request starts a thread: 10-20 % of a worker's CPU in a check-in rush, measured with py-spy.
    Counters read after they expired already count as zero; the sweep only frees memory."""

    STORAGE_SCHEME = ["hireday-memory"]  # noqa: RUF012  (limits' Storage declares it so)
    SWEEP_EVERY_S = 1.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.timer.cancel()  # the one the base class starts; none is started again
        self._next_sweep = 0.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # replaces the base class's private hook
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + self.SWEEP_EVERY_S
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]  # the base class's private sweep


#: Rate limits keyed by client address; storage from RATELIMIT_STORAGE_URI (see ``app.rate_limits``:
#: the application's database by default, Redis when REDIS_URL is set, never one process's memory).
limiter = Limiter(key_func=get_remote_address)
