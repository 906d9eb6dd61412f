"""Flask extensions, created unbound; create_app binds each one."""

from flask_babel import Babel
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True)  # SQLite needs batch mode to alter tables
csrf = CSRFProtect()
babel = Babel()
