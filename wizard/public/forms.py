"""Forms of the public pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms import StringField
from wtforms.validators import AnyOf

from ..rules.text import normalize_identifier


class LanguageForm(FlaskForm):
    lang = HiddenField(validators=[AnyOf(("fa", "en"))])
    next = HiddenField()


class VerifyForm(FlaskForm):
    class Meta:
        csrf = False  # a GET lookup changes nothing

    # As printed or pasted: any digit script, invisible marks, spaces and dashes between the groups, any case.
    code = StringField(_l("Verification code"),
                       filters=[lambda v: normalize_identifier(v or "").upper().replace("-", "").replace(" ", "")],
                       render_kw={"dir": "ltr", "autocomplete": "off", "spellcheck": "false"})
