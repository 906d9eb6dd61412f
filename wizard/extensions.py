"""Flask extensions, created unbound; create_app binds each one."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()


# Storage comes from RATELIMIT_STORAGE_URI: Redis when REDIS_URL is set, so limits hold across processes.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
