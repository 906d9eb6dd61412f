"""Every pattern a form checks must match the whole value, not only its start (issue 23, finding 6)."""

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms.validators import Regexp

import wizard.admin.views  # noqa: F401  (every form class of the app is defined once its views are imported)
import wizard.auth.views  # noqa: F401
import wizard.declaration.views  # noqa: F401
import wizard.public.views  # noqa: F401
import wizard.results.views  # noqa: F401
from wizard.auth.forms import ChangePasswordForm
from wizard.auth.forms import SecondFactorForm
from wizard.declaration.forms import HoursForm
from wizard.declaration.forms import StaffMemberForm


def form_classes(cls=FlaskForm):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from form_classes(subclass)


def pattern_validators():
    for form in form_classes():
        for name, unbound in vars(form).items():
            for validator in getattr(unbound, "kwargs", {}).get("validators", ()):
                if isinstance(validator, Regexp):
                    yield f"{form.__name__}.{name}", validator


def test_every_pattern_is_anchored_at_both_ends():
    found = list(pattern_validators())
    assert len(found) >= 2  # usernames and second-factor codes; times and numbers are read by rules (wizard.rules)
    for where, validator in found:
        assert validator.regex.pattern.startswith(r"\A") and validator.regex.pattern.endswith(r"\Z"), where


@pytest.mark.parametrize(("form_class", "field", "value"), [
    (ChangePasswordForm, "new_username", "xss<script>alert(1)</script>zzz"),
    (ChangePasswordForm, "new_username", "ali rezaei"),
    (SecondFactorForm, "code", "123456x"),
    (StaffMemberForm, "insurance_number", "12345<b>"),
    (HoursForm, "opens_at", "07:30 or 1=1"),
    (HoursForm, "closes_at", "16:00x"),
])
def test_a_value_that_only_starts_right_is_refused(app, form_class, field, value):
    with app.test_request_context(method="POST"):
        form = form_class(formdata=MultiDict({field: value}))
        form.validate()
        assert form[field].errors, value
