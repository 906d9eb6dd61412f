"""wizard/field_html.py draws text boxes, hidden inputs, text areas and selects itself, for speed:
byte for byte as WTForms' own widgets would, for every field of every form in the app."""

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import FieldList
from wtforms import FormField
from wtforms import SelectField

from wizard.admin import forms as admin_forms
from wizard.auth import forms as auth_forms
from wizard.declaration import forms as declaration_forms
from wizard.field_html import control
from wizard.public import forms as public_forms

FORMS = [declaration_forms.LicenseForm, declaration_forms.AddressForm, declaration_forms.PremisesForm,
         declaration_forms.StaffForm, declaration_forms.HoursForm, declaration_forms.ReviewForm,
         declaration_forms.CorrectionForm, auth_forms.LoginForm, auth_forms.ChangePasswordForm,
         auth_forms.SecondFactorForm, public_forms.LanguageForm, public_forms.VerifyForm,
         admin_forms.HolderSearchForm]
ATTRIBUTES = [{}, {"inputmode": "numeric", "class_": "input input-6"},
              {"dir": "ltr", "autocomplete": "tel", "aria-describedby": "x-hint x-error", "aria-invalid": "true"}]
TYPED = '<b>"Tom" & \'Jerry\'</b> ۱۲'  # markup, quotes and Persian digits: all must be escaped alike


def leaves(form):
    """Every field with a widget (a date's three boxes are drawn by field() alone), staff rows included."""
    for field in form:
        if isinstance(field, FieldList):
            for entry in field.entries:
                yield from leaves(entry.form) if isinstance(entry, FormField) else [entry]
        elif field.widget is not None:
            yield field


def typed_input(form_class) -> MultiDict:
    """TYPED in every field of an empty form of this class (staff: the first person's fields)."""
    names = [field.name for field in leaves(form_class(formdata=None))]
    return MultiDict([(name, TYPED) for name in names])


@pytest.mark.parametrize("form_class", FORMS, ids=lambda form_class: form_class.__name__)
@pytest.mark.parametrize("typed", [False, True], ids=["empty", "typed"])
def test_control_draws_every_field_exactly_as_wtforms_does(app, form_class, typed):
    with app.test_request_context():
        form = form_class(formdata=typed_input(form_class) if typed else None)
        drawn = 0
        for field in leaves(form):
            if isinstance(field, SelectField) and not field.choices:
                field.choices = [("", ""), ("a", "<A> & B"), (TYPED, TYPED)]
            for attributes in ATTRIBUTES:
                assert str(control(field, **attributes)) == str(field(**attributes)), field.name
            drawn += 1
        assert drawn == len(list(leaves(form))) > 0
