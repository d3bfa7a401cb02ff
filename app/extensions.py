"""Every Flask extension object, created once and bound to the app in ``create_app``."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from app.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()

#: Rate limits keyed by client address; storage from RATELIMIT_STORAGE_URI (memory by default,
#: redis://… when several hosts must share the counts).
limiter = Limiter(key_func=get_remote_address)
