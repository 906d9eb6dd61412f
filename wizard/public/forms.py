"""Forms of the public pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms import StringField
from wtforms.validators import AnyOf


class LanguageForm(FlaskForm):
    lang = HiddenField(validators=[AnyOf(("fa", "en"))])
    next = HiddenField()


class VerifyForm(FlaskForm):
    class Meta:
        csrf = False  # a GET lookup changes nothing

    code = StringField(_l("Verification code"), filters=[lambda v: (v or "").strip().upper().replace("-", "")],
                       render_kw={"dir": "ltr", "autocomplete": "off", "spellcheck": "false"})
