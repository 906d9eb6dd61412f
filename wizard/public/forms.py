"""Forms of the public pages."""

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf


class LanguageForm(FlaskForm):
    lang = HiddenField(validators=[AnyOf(("fa", "en"))])
    next = HiddenField()
