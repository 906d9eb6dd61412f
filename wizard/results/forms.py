"""The holder's forms after publication: an objection to one criterion, and a defence against a violation."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import RadioField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import StopValidation

from ..fields import CleanForm
from ..validators import Answered
from ..validators import HasLetters
from .attachments import AttachmentProblem
from .attachments import read_upload

REQUIRED = _l("This field is required.")
SAYS_NOTHING = _l("Write it in letters or digits.")
REASON_LENGTH = (10, 2000)
DEFENCE_LENGTH = (10, 3000)


def checked_attachment(form, field):
    """An optional file, read and checked by its content; field.upload holds it when it is fine."""
    field.upload = None
    if not field.data:
        return
    try:
        field.upload = read_upload(field.data)
    except AttachmentProblem as problem:
        raise StopValidation(str(problem)) from None


class ObjectionForm(CleanForm):
    criterion = RadioField(_l("Which part of the result is wrong?"), choices=[],
                           validators=[Answered(_l("Choose the part of the result you object to."))])
    reason = TextAreaField(_l("Why it is wrong: the right value and what shows it"), validators=[
        DataRequired(_l("Write why the value is wrong.")), HasLetters(SAYS_NOTHING, digits=True),
        Length(*REASON_LENGTH, _l("Write %(min)d to %(max)d characters."))])
    attachment = FileField(_l("A document that shows it (optional)"), validators=[checked_attachment])


class DefenceForm(CleanForm):
    defence = TextAreaField(_l("Your defence"), validators=[
        DataRequired(_l("Write your defence.")), HasLetters(SAYS_NOTHING, digits=True),
        Length(*DEFENCE_LENGTH, _l("Write %(min)d to %(max)d characters."))])
