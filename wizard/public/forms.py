"""Forms of the public pages."""

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms import StringField
from wtforms.validators import AnyOf

from ..i18n import lazy_gettext as _l


class LanguageForm(FlaskForm):
    lang = HiddenField(validators=[AnyOf(("fa", "en"))])
    next = HiddenField()


class VerifyForm(FlaskForm):
    class Meta:
        csrf = False  # a GET lookup changes nothing

    code = StringField(_l("Verification code"), filters=[lambda v: (v or "").strip().upper().replace("-", "")],
                       render_kw={"dir": "ltr", "autocomplete": "off", "spellcheck": "false"})
