"""Forms of the administration pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired


class HolderSearchForm(FlaskForm):
    q = StringField(_l("National code or username"), validators=[DataRequired()],
                    render_kw={"dir": "ltr", "spellcheck": "false"})


class ConfirmForm(FlaskForm):
    """A confirmation button; the CSRF token is all it carries."""
