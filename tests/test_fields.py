"""CleanForm binds each field once per form class and copies it for every later form (wizard/fields.py):
a copy must be the field WTForms would bind afresh, in either language, with a prefix (staff rows)
or without, and no two forms may share anything one of them can change."""

import gc
import weakref

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import FieldList
from wtforms import FormField
from wtforms import SelectField
from wtforms.fields.core import Flags
from wtforms.fields.core import Label

from wizard.admin import audit as admin_audit
from wizard.admin import corrections as admin_corrections
from wizard.admin import indicators as admin_indicators
from wizard.admin import rounds as admin_rounds
from wizard.declaration import forms as declaration_forms
from wizard.fields import CleanForm
from wizard.fields import _bind
from wizard.i18n import force_locale

FORMS = [declaration_forms.LicenseForm, declaration_forms.AddressForm, declaration_forms.PremisesForm,
         declaration_forms.StaffForm, declaration_forms.HoursForm, declaration_forms.ReviewForm,
         declaration_forms.CorrectionForm, admin_rounds.OpenRoundForm, admin_rounds.ExtendForm,
         admin_corrections.RejectForm, admin_corrections.AcceptForm, admin_audit.AuditFilterForm]
TYPED = "۱۲ <b>x</b>"
CHOICES = declaration_forms.options(("", ""), (TYPED, TYPED))
STAFF_ROWS = MultiDict([("staff-0-full_name", "مریم احمدی"), ("staff-3-full_name", TYPED),
                        ("staff-3-start_date-day", "۱")])


def all_clean_forms(cls=CleanForm):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from all_clean_forms(subclass)


def test_the_list_holds_every_form_class_of_the_app():
    defined_at_import = {cls for cls in all_clean_forms() if "<locals>" not in cls.__qualname__
                         and cls.__module__.startswith("wizard.")}
    assert defined_at_import == {*FORMS, declaration_forms.StepForm, declaration_forms.StaffMemberForm}


def forms_in(form):
    """The form and every staff row's form in it."""
    yield form
    for field in form:
        if isinstance(field, FieldList):
            for entry in field.entries:
                if isinstance(entry, FormField):
                    yield from forms_in(entry.form)


def fresh(form, name, unbound_field):
    """The field as WTForms binds it, with nothing reused."""
    return _bind(unbound_field, form, {"name": name, "prefix": form._prefix,
                                       "translations": form.meta.get_translations(form)})


def assert_same_field(copy, expected, form):
    assert type(copy) is type(expected)
    assert vars(copy).keys() == vars(expected).keys(), copy.name
    for name, value in vars(expected).items():
        mine = vars(copy)[name]
        if name in ("_form", "meta"):
            assert mine is value, name
        elif name == "_translations":
            assert type(mine) is type(value)
        elif isinstance(value, Label):
            assert (mine.field_id, str(mine.text)) == (value.field_id, str(value.text))
        elif isinstance(value, Flags):
            assert vars(mine) == vars(value), copy.name
        else:
            assert mine == value, f"{copy.name}.{name}"


@pytest.mark.parametrize("language", ["fa", "en"])
@pytest.mark.parametrize("form_class", FORMS, ids=lambda form_class: form_class.__name__)
def test_every_field_is_what_wtforms_would_bind_afresh(app, form_class, language):
    with app.test_request_context(), force_locale(language):
        formdata = STAFF_ROWS if form_class is declaration_forms.StaffForm else None
        for _build in range(2):  # the first binds, the second only copies
            form = form_class(formdata=formdata)
            compared = 0
            for each in forms_in(form):
                for name, unbound_field in each._unbound_fields:
                    copy = each.meta.bind_field(each, unbound_field, {
                        "name": name, "prefix": each._prefix, "translations": each.meta.get_translations(each)})
                    assert_same_field(copy, fresh(each, name, unbound_field), each)
                    compared += 1
            assert compared >= len(form_class._unbound_fields)
        if formdata:  # rows 0 and 3 sent, numbered 0 and 1 as WTForms does: named and labelled for their row
            rows = form.staff.entries
            assert [row.form.full_name.name for row in rows] == ["staff-0-full_name", "staff-1-full_name"]
            assert rows[1].form.full_name.label.field_id == "staff-1-full_name"
            assert rows[1].form.full_name.data == TYPED


@pytest.mark.parametrize("form_class", FORMS, ids=lambda form_class: form_class.__name__)
def test_a_copy_reads_and_checks_input_as_a_fresh_field_does(app, form_class):
    with app.test_request_context():
        names = [field.name for each in forms_in(form_class(formdata=None)) for field in each
                 if not isinstance(field, FieldList)]
        typed = MultiDict([(name, TYPED) for name in names] + [(f"{name}-day", "31") for name in names])
        form = form_class(formdata=typed)
        for field in (field for each in forms_in(form) for field in each):
            if isinstance(field, SelectField) and field.choices is None:  # a view sets these (areas, fields)
                field.choices = CHOICES
        form.validate()
        for each in forms_in(form):
            for name, unbound_field in each._unbound_fields:
                if isinstance(each[name], FieldList):
                    continue
                expected = fresh(each, name, unbound_field)
                if isinstance(expected, SelectField) and expected.choices is None:
                    expected.choices = CHOICES
                expected.process(typed)
                inline = getattr(type(each), f"validate_{name}", None)  # as Form.validate passes it
                expected.validate(each, [inline] if inline else [])
                assert (each[name].data, each[name].raw_data) == (expected.data, expected.raw_data), name
                assert [str(e) for e in each[name].errors] == [str(e) for e in expected.errors], name


def test_no_two_forms_share_what_one_of_them_can_change(app):
    with app.test_request_context():
        first = declaration_forms.StaffForm(formdata=STAFF_ROWS)
        second = declaration_forms.StaffForm(formdata=STAFF_ROWS)
        for mine, other in ((first.staff.entries[0].form, second.staff.entries[0].form),
                            (declaration_forms.AddressForm(), declaration_forms.AddressForm())):
            for name, field in mine._fields.items():
                theirs = other[name]
                assert field is not theirs and field.label is not theirs.label and field.flags is not theirs.flags
                for attribute, value in vars(field).items():
                    if isinstance(value, (list, dict, set)) and value is not field.validators:
                        assert value is not vars(theirs)[attribute], f"{name}.{attribute}"
        first.staff.entries[0].form.role.choices.append(("x", "x"))
        first.staff.entries[0].form.role.flags.required = False
        first.staff.entries[0].form.role.label.text = "changed"
        role = declaration_forms.StaffForm(formdata=STAFF_ROWS).staff.entries[0].form.role
        assert ("x", "x") not in role.choices and role.flags.required and role.label.text != "changed"
        assert second.staff.entries[0].form.role.label.text != "changed"


def test_a_form_class_made_at_run_time_takes_its_bound_fields_with_it(app):
    """The reviewer-indicator form is a new class per request: nothing global may keep its fields."""
    indicator = admin_indicators.Indicator(name="x", label="x", unit="", low=0, high=5, default=0)
    with app.test_request_context():
        form_class = admin_indicators._form_class([indicator])
        assert form_class(formdata=MultiDict({indicator.field: "۳"})).validate()
        assert vars(form_class)["_bound_fields"]
    gone = [weakref.ref(form_class), *(weakref.ref(bound) for bound in vars(form_class)["_bound_fields"].values()),
            *(weakref.ref(unbound) for _name, unbound in form_class._unbound_fields)]
    del form_class
    gc.collect()
    assert [ref() for ref in gone] == [None] * len(gone)
