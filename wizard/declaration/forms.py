"""One form per wizard step (SPEC §4), built from the shared field types."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms import FieldList
from wtforms import FormField
from wtforms import HiddenField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional
from wtforms.validators import ValidationError

from ..fields import CleanForm
from ..fields import EmailField
from ..fields import InsuranceNumberField
from ..fields import JalaliDateField
from ..fields import LocalizedIntegerField
from ..fields import MobileField
from ..fields import NationalCodeField
from ..fields import PhoneField
from ..fields import PostalCodeField
from ..fields import TimeOfDayField
from ..rules import vocabulary
from ..validators import Answered
from ..validators import HasLetters
from ..validators import PersonName
from ..validators import answered_and_valid

def options(*pairs):
    """WTForms 3.3 wants SelectChoice objects rather than (value, label) tuples."""
    return [SelectChoice(value, label) for value, label in pairs]


def labelled(values, labels: dict):
    """Options for the vocabulary's values (wizard.rules.vocabulary), each with its label."""
    return options(*((value, labels[value]) for value in values))


YES_NO = labelled(vocabulary.YES_NO, {"yes": _l("Yes"), "no": _l("No")})
REQUIRED = _l("This field is required.")
SAYS_NOTHING = _l("Write it in letters or digits.")


def count(label, low, high, required=True):
    """A whole number in [low, high], typed in any digit script."""
    message = _l("Enter a number from %(low)s to %(high)s.", low=low, high=high)
    first = Answered(REQUIRED) if required else Optional()
    return LocalizedIntegerField(label, validators=[first, NumberRange(low, high, message)])


def choice(label, choices):
    return RadioField(label, choices=choices, validators=[Answered(_l("Choose one."))])


class StepForm(CleanForm):
    """Every step form carries the draft version it was based on (lost-update check)."""

    version = HiddenField()

    def answers(self) -> dict:
        """The cleaned answers, without the version and button fields."""
        return {name: value for name, value in self.data.items() if name not in ("version", "action")}


class LicenseForm(StepForm):
    office_phone = PhoneField(_l("Office phone"), validators=[DataRequired(REQUIRED)])
    mobile = MobileField(_l("Mobile"), validators=[DataRequired(REQUIRED)])
    email = EmailField(_l("Email (optional)"), validators=[Optional(), Length(max=254)])
    activity_start = JalaliDateField(_l("Date the office started its activity"), past=True,
                                     validators=[Answered(_l("Enter the date."))])


class AddressForm(StepForm):
    area = SelectField(_l("County and city or village"), validate_choice=True, coerce=str,
                       validators=[DataRequired(_l("Choose the area."))])
    postal_code = PostalCodeField(_l("Postal code"), validators=[DataRequired(REQUIRED)])
    address = TextAreaField(_l("Address"), validators=[
        DataRequired(REQUIRED), HasLetters(_l("Write the address in words: street, alley, number and so on.")),
        Length(10, 500, _l("The address has %(min)d to %(max)d characters."))])


class PremisesForm(StepForm):
    floor_area = count(_l("Floor area (square metres)"), 5, 10_000)
    ownership = choice(_l("The premises are"), labelled(vocabulary.OWNERSHIP, {"owned": _l("Owned"),
                                                                              "leased": _l("Leased")}))
    counters = count(_l("Service counters"), 1, 100)
    computers = count(_l("Computers"), 0, 500)
    printers = count(_l("Printers"), 0, 200)
    scanners = count(_l("Scanners"), 0, 200)
    card_readers = count(_l("Card readers and POS terminals"), 0, 100)
    bandwidth_mbps = count(_l("Internet bandwidth (Mbps)"), 0, 10_000)
    accessible = choice(_l("Accessible for people with disabilities"), YES_NO)
    waiting_seats = count(_l("Waiting seats"), 0, 1_000)


EDUCATION = [SelectChoice("", _l("Choose…")), *labelled(vocabulary.EDUCATION, {
    "below_diploma": _l("Below diploma"), "diploma": _l("Diploma"), "associate": _l("Associate degree"),
    "bachelor": _l("Bachelor's degree"), "master": _l("Master's degree"), "doctorate": _l("Doctorate")})]


class StaffMemberForm(CleanForm):
    national_code = NationalCodeField(_l("National code"), validators=[DataRequired(REQUIRED)])
    full_name = StringField(_l("Full name"), validators=[
        DataRequired(REQUIRED), PersonName(_l("Write the name in letters, without digits or symbols.")), Length(3, 100)])
    role = choice(_l("Role"), labelled(vocabulary.STAFF_MEMBER_ROLES, {"manager": _l("Manager"),
                                                                      "operator": _l("Operator")}))
    education = SelectField(_l("Education"), choices=EDUCATION, validators=[DataRequired(_l("Choose one."))])
    insured = choice(_l("Insured"), YES_NO)
    insurance_number = InsuranceNumberField(_l("Insurance number"), validators=[Optional()])
    disability = choice(_l("Has a disability"), YES_NO)
    start_date = JalaliDateField(_l("Start date"), past=True, validators=[Answered(_l("Enter the date."))])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        # Not a validate_insurance_number method: Optional() would stop the chain before it runs. Asked only
        # when "insured" is a valid yes and the number has no message of its own already.
        insured = answered_and_valid(self.insured) and self.insured.data == "yes"
        if insured and not self.insurance_number.errors and not self.insurance_number.data:
            self.insurance_number.errors.append(_l("Enter the insurance number of an insured person."))
            return False
        return valid


MAX_STAFF = 50


class StaffForm(StepForm):
    staff = FieldList(FormField(StaffMemberForm), min_entries=1, max_entries=MAX_STAFF)

    def validate_staff(self, field):
        # Runs after every row was validated: a code that is itself invalid is not also called a repeat.
        codes = [entry.form.national_code.data for entry in field.entries
                 if answered_and_valid(entry.form.national_code)]
        repeated = {code for code in codes if codes.count(code) > 1}
        for entry in field.entries:
            if entry.form.national_code.data in repeated and answered_and_valid(entry.form.national_code):
                entry.form.national_code.errors.append(_l("This national code appears twice in the staff list."))
        if repeated:
            raise ValidationError(_l("Each person may appear only once."))


class HoursForm(StepForm):
    working_days = count(_l("Working days a week"), 1, 7)
    opens_at = TimeOfDayField(_l("Opening time (hour:minute)"), validators=[DataRequired(REQUIRED)])
    closes_at = TimeOfDayField(_l("Closing time (hour:minute)"), validators=[DataRequired(REQUIRED)],
                               message=_l("Enter a time like 16:00."))
    shifts = count(_l("Shifts a day"), 1, 3)
    services_offered = count(_l("Services offered now"), 0, 2_000)
    monthly_transactions = count(_l("Average transactions a month"), 0, 1_000_000)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        # Compared only when both times were read (canonical HH:MM compares as text in time order).
        if answered_and_valid(self.opens_at, self.closes_at) and self.closes_at.data <= self.opens_at.data:
            self.closes_at.errors.append(_l("The closing time must be after the opening time."))
            return False
        return valid


class ReviewForm(CleanForm):
    version = HiddenField()
    declare = BooleanField(_l("I declare that this information is true and complete, and I accept "
                              "responsibility for it under the regulator's rules."),
                           validators=[DataRequired(_l("Tick the declaration to submit."))])


class CorrectionForm(CleanForm):
    field = SelectField(_l("Field to correct"), validators=[DataRequired(_l("Choose one."))])
    requested_value = StringField(_l("The right value"), validators=[DataRequired(REQUIRED), HasLetters(
        SAYS_NOTHING, digits=True), Length(max=200)])
    reason = TextAreaField(_l("Why (and which document shows it)"), validators=[DataRequired(REQUIRED), HasLetters(
        SAYS_NOTHING, digits=True), Length(5, 500)])
