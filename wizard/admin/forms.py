"""Forms of the administration pages, all on CleanForm (text normalised; CSRF checked once, by CSRFProtect)."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from flask_wtf.file import FileRequired
from wtforms import BooleanField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional
from wtforms.validators import ValidationError

from ..declaration.forms import options
from ..fields import CleanForm
from ..fields import JalaliDateField
from ..fields import LocalizedIntegerField
from ..rules import jalali
from ..rules.text import to_ascii_digits
from ..validators import Answered
from ..validators import HasLetters


class HolderSearchForm(CleanForm):
    q = StringField(_l("National code or username"), validators=[DataRequired()],
                    render_kw={"dir": "ltr", "spellcheck": "false"})


class ConfirmForm(CleanForm):
    """A confirmation button; the CSRF token is all it carries."""


class OpenRoundForm(CleanForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("This field is required."))])
    opens = StringField(_l("Opening day (Jalali YYYY/MM/DD)"), validators=[DataRequired(_l("This field is required."))])
    days = LocalizedIntegerField(_l("Days in the window (the opening day counts as day 1)"), default=20,
                                 validators=[Optional(), NumberRange(1, 366, _l("Enter a number from %(low)s to %(high)s.",
                                                                                low=1, high=366))])
    carry_forward = BooleanField(_l("Offices that submit nothing are scored on their last earlier submission "
                                    "(without it they get rank 3)"), default=True)
    objection_days = LocalizedIntegerField(_l("Days for objections after the results are published"), default=7,
                                           validators=[Optional(), NumberRange(0, 60, _l(
                                               "Enter a number from %(low)s to %(high)s.", low=0, high=60))])
    scoring_days = LocalizedIntegerField(_l("Days of the scoring phase after the window's last day"), default=10,
                                         validators=[Optional(), NumberRange(1, 90, _l(
                                             "Enter a number from %(low)s to %(high)s.", low=1, high=90))])


class ExtendForm(CleanForm):
    deadline = StringField(_l("New deadline (Jalali YYYY/MM/DD, optionally HH:MM)"),
                           validators=[DataRequired(_l("This field is required."))])


class RejectForm(CleanForm):
    answer = TextAreaField(_l("Reason for the holder"), validators=[
        DataRequired(_l("Write the reason the holder will see.")),
        Length(5, 500, _l("The reason has %(min)d to %(max)d characters."))])


class AcceptForm(CleanForm):
    # Only used for a change of province: the office needs an area of its new province.
    area = SelectField(_l("Area in the new province"), coerce=str)


def _jalali_day(form, field):
    if field.data:
        try:
            field.day = jalali.parse_date(field.data)
        except ValueError:
            raise ValidationError(_l("Enter the date like 1404/07/01.")) from None


class AuditFilterForm(CleanForm):
    """A GET form: filters change nothing, so the URL can be bookmarked and shared."""

    who = StringField(_l("Who (username or national code)"))
    action = SelectField(_l("What"), validate_choice=False)
    since = StringField(_l("From (date)"), validators=[_jalali_day])
    until = StringField(_l("To (date)"), validators=[_jalali_day])
    outcome = SelectField(_l("Outcome"), validate_choice=False)

    def validate_until(self, field):
        since = getattr(self.since, "day", None)
        if since and getattr(field, "day", None) and field.day < since:
            raise ValidationError(_l("The end date is before the start date."))


class ImportForm(CleanForm):
    kind = RadioField(_l("The file holds"), choices=options(("areas", _l("Areas (areas.csv)")),
                                                            ("offices", _l("Offices and their holders (offices.csv)"))),
                      validators=[InputRequired(_l("Choose one."))])
    upload = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file."))])


class ViolationForm(CleanForm):
    """A violation as the region records (or corrects) it before the committee's decision."""

    occurred_on = JalaliDateField(_l("Date of the violation"), past=True,
                                  validators=[Answered(_l("Enter the date of the violation."))])
    kind = SelectField(_l("Kind"), choices=[], validators=[DataRequired(_l("Choose one."))])
    description = TextAreaField(_l("What happened"), validators=[
        DataRequired(_l("Describe what happened.")), HasLetters(_l("Write it in letters or digits."), digits=True),
        Length(5, 1000, _l("Write %(min)d to %(max)d characters."))])
    points = LocalizedIntegerField(_l("Points it subtracts if the committee confirms it"), validators=[
        Answered(_l("Enter the points.")), NumberRange(0, 1000, _l("Enter a number from %(min)s to %(max)s."))])
    note = TextAreaField(_l("Committee session note (optional)"), validators=[
        Optional(), Length(max=1000, message=_l("Write at most %(max)d characters."))])


def _ascii_digits(value):
    """A decision number is an identifier: kept in Latin digits, shown in the page's."""
    return to_ascii_digits(value) if isinstance(value, str) else value


class DecideViolationForm(CleanForm):
    """The committee confirmed the violation: its decision number and the points, possibly changed."""

    decision_ref = StringField(_l("Committee decision number"), filters=[_ascii_digits], validators=[
        DataRequired(_l("Enter the committee's decision number.")), Length(max=60, message=_l(
            "Write at most %(max)d characters."))])
    points = LocalizedIntegerField(_l("Points subtracted"), validators=[
        Answered(_l("Enter the points.")), NumberRange(0, 1000, _l("Enter a number from %(min)s to %(max)s."))])
    note = TextAreaField(_l("Committee's note for the holder (optional)"), validators=[
        Optional(), Length(max=1000, message=_l("Write at most %(max)d characters."))])


class DismissViolationForm(CleanForm):
    """The committee dismissed the violation: nothing is subtracted."""

    decision_ref = StringField(_l("Committee decision number (optional)"), filters=[_ascii_digits], validators=[
        Optional(), Length(max=60, message=_l("Write at most %(max)d characters."))])
    note = TextAreaField(_l("Committee's note for the holder (optional)"), validators=[
        Optional(), Length(max=1000, message=_l("Write at most %(max)d characters."))])


class AcceptObjectionForm(CleanForm):
    """The region accepts an objection with the criterion's right measured value (a whole number)."""

    corrected_value = LocalizedIntegerField(_l("The right measured value"), validators=[
        Answered(_l("Enter the right value.")),
        NumberRange(-10**9, 10**9, _l("Enter a number from %(min)s to %(max)s."))])
    answer = TextAreaField(_l("Note for the holder (optional)"), validators=[
        Optional(), Length(max=2000, message=_l("Write at most %(max)d characters."))])


class AgencyTokenForm(CleanForm):
    """A new API token for one service agency."""

    agency = StringField(_l("Agency"), validators=[
        DataRequired(_l("Enter the agency's name.")), HasLetters(_l("Write the name in letters.")),
        Length(2, 200, _l("Write %(min)d to %(max)d characters."))])


class ScoreImportForm(CleanForm):
    upload = FileField(_l("CSV or Excel file"), validators=[FileRequired(_l("Choose a CSV or .xlsx file."))])


def _hour_range():
    return NumberRange(0, 23, _l("Enter a number from %(low)s to %(high)s.", low=0, high=23))


class ReminderPlanForm(CleanForm):
    """A round's reminder plan (wizard/rules/reminders.py); the days are checked by the view with rules.reminders."""

    days = StringField(_l("Days before the deadline, separated by commas (e.g. 7,3,1); empty for no reminders"),
                       render_kw={"dir": "ltr", "inputmode": "numeric"})
    max_per_holder = LocalizedIntegerField(
        _l("At most this many reminders to one holder in the round"), default=3,
        validators=[InputRequired(_l("This field is required.")),
                    NumberRange(1, 10, _l("Enter a number from %(low)s to %(high)s.", low=1, high=10))])
    min_gap_hours = LocalizedIntegerField(
        _l("At least this many hours between two reminders to one holder"), default=12,
        validators=[InputRequired(_l("This field is required.")),
                    NumberRange(0, 168, _l("Enter a number from %(low)s to %(high)s.", low=0, high=168))])
    quiet_start = LocalizedIntegerField(_l("No messages from this hour (Tehran time)"), default=22,
                                        validators=[InputRequired(_l("This field is required.")), _hour_range()])
    quiet_end = LocalizedIntegerField(_l("until this hour (Tehran time)"), default=8,
                                      validators=[InputRequired(_l("This field is required.")), _hour_range()])


class BulkMessageForm(CleanForm):
    """A region's reminder to its non-submitters: the fixed text, with a short note of its own."""

    note = StringField(_l("A short note at the end of the message (optional)"),
                       validators=[Optional(), Length(max=60, message=_l("At most %(max)s characters.", max=60))])
    batch = StringField()  # a hidden nonce: the confirm step sent twice sends once
