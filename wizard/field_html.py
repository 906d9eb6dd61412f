"""Form fields and the error summary drawn as HTML: one accessible pattern for every field (GOV.UK style).

These were Jinja macros. A macro call, and every call inside one, goes through Jinja's
Context.call and escapes each piece separately; the staff step draws eight fields per person,
and drawing them here is several times faster. Every label, hint, message and value is escaped.
"""

from markupsafe import Markup
from markupsafe import escape
from wtforms.widgets import HiddenInput
from wtforms.widgets import Select
from wtforms.widgets import TextArea
from wtforms.widgets import TextInput
from wtforms.widgets.core import clean_key

from .filters import digits
from .i18n import gettext
from .i18n import markup_gettext


def field(f, hint=None, **attributes) -> Markup:
    """A field with its label (or legend), hint and error messages; attributes go to the control."""
    if f.type == "JalaliDateField":
        return _date_field(f, hint)
    if f.type == "RadioField":
        return _radios(f, hint)
    attributes = {"class_": "input", **attributes}
    described = " ".join(([f"{f.id}-hint"] if hint else []) + ([f"{f.id}-error"] if f.errors else []))
    if f.errors:
        attributes["aria-invalid"] = "true"
    if described:
        attributes["aria-describedby"] = described
    return Markup(f'\n<div class="field{_error_class(f)}">\n  <label class="label" for="{escape(f.id)}">'  # nosec B704
                  f"{escape(f.label.text)}</label>{_messages(f, hint)}\n  {control(f, **attributes)}\n</div>")


def _error_class(f) -> str:
    return " field-error" if f.errors else ""


def _messages(f, hint) -> str:
    hint_html = f'<p class="hint" id="{escape(f.id)}-hint">{escape(digits(hint))}</p>' if hint else ""
    return hint_html + "".join(f'\n  <p class="error-message" id="{escape(f.id)}-error">{escape(digits(error))}</p>'
                               for error in f.errors)


def _date_field(f, hint) -> Markup:
    """Day, month and year boxes in one fieldset; the hint says the format."""
    format_hint = digits(hint) if hint else gettext("Day, month and year in the Persian calendar, e.g. 15 7 1399")
    invalid = ' aria-invalid="true"' if f.errors else ""
    boxes = "".join(
        f'\n    <span class="date-part">\n      <label for="{escape(f.id)}-{part}">{escape(label)}</label>\n'
        f'      <input class="input input-{size}" id="{escape(f.id)}-{part}" name="{escape(f.name)}-{part}" '
        f'inputmode="numeric"\n             maxlength="{size + 2}" value="{escape(f.typed[part])}"{invalid}>\n    </span>'
        for part, label, size in (("day", gettext("Day"), 2), ("month", gettext("Month"), 2), ("year", gettext("Year"), 4)))
    errors = "".join(f'<p class="error-message">{escape(digits(error))}</p>' for error in f.errors)
    return Markup(f'\n<div class="field{_error_class(f)}">\n'  # nosec B704
                  f'  <fieldset class="date" id="{escape(f.id)}" aria-describedby="{escape(f.id)}-format">\n'
                  f'    <legend class="label">{escape(f.label.text)}</legend>\n'
                  f'    <p class="hint" id="{escape(f.id)}-format">{escape(format_hint)}</p>{errors}{boxes}\n'
                  f"  </fieldset>\n</div>")


def _radios(f, hint) -> Markup:
    required = " required" if f.flags.required else ""
    choices = "".join(
        f'\n    <span class="radio"><input {"checked " if choice.selected else ""}id="{escape(f.id)}-{index}" '
        f'name="{escape(f.name)}"{required} type="radio" value="{escape(choice.value)}"> '
        f'<label for="{escape(f.id)}-{index}">{escape(choice.label)}</label></span>'
        for index, choice in enumerate(f.iter_choices()))
    return Markup(f'\n<div class="field{_error_class(f)}">\n  <fieldset class="radios" id="{escape(f.id)}">\n'  # nosec B704
                  f'    <legend class="label">{escape(f.label.text)}</legend>{_messages(f, hint)}{choices}\n'
                  f"  </fieldset>\n</div>")


def error_summary(form) -> Markup:
    """The list of the form's errors at the top of the page, each a link to its field (GOV.UK style)."""
    links = error_links(form)
    if not links:
        return Markup("")
    title = markup_gettext("There is a problem")
    items = "".join(f'\n    <li><a href="#{escape(target)}">{escape(digits(message))}</a></li>' for target, message in links)
    return Markup('\n<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">\n'  # nosec B704
                  f'  <h2 id="error-summary-title">{title}</h2>\n'
                  f"  <ul>{items}\n  </ul>\n</div>")


def error_links(form) -> list[tuple[str, str]]:
    """(element id, message) for every error in the form, nested staff rows included, in page order."""
    links = []
    for field in form:
        if field.type == "FieldList":
            links += [(f"{field.id}", str(error)) for error in field.errors if isinstance(error, str)]
            for entry in field.entries:
                links += error_links(entry.form)
            continue
        target = f"{field.id}-day" if field.type == "JalaliDateField" else (
            f"{field.id}-0" if field.type == "RadioField" else field.id)
        links += [(target, str(error)) for error in field.errors]
    return links


# The attributes each widget copies from its field's validator flags (as in WTForms).
_FLAG_ATTRIBUTES = {TextInput: ("required", "disabled", "readonly", "maxlength", "minlength", "pattern"),
                    HiddenInput: ("disabled",),
                    TextArea: ("required", "disabled", "readonly", "maxlength", "minlength"),
                    Select: ("required", "disabled")}


def control(field, **attributes) -> Markup:
    """A text box, hidden input, text area or select drawn exactly as WTForms draws it, about six times faster.

    WTForms' generic path (render_kw merging, dir() of the flags, sorted html_params) costs some
    60 µs a field, and a staff page has dozens; other widgets still draw themselves."""
    flagged = _FLAG_ATTRIBUTES.get(type(field.widget))
    if flagged is None or field.render_kw or getattr(field.widget, "multiple", False) or (
            flagged is _FLAG_ATTRIBUTES[Select] and field.has_groups()):
        return field(**attributes)
    params = {"id": field.id, "name": field.name}
    params.update((clean_key(key), value) for key, value in attributes.items())
    for name, value in vars(field.flags).items():  # the flags set (getattr of an unset flag is slow)
        if name in flagged and value is not None and name not in params:
            params[name] = value
    # Markup below is safe: every attribute value, the text and each option are escaped.
    if isinstance(field.widget, (TextInput, HiddenInput)):
        params.setdefault("type", field.widget.input_type)
        params.setdefault("value", field._value())
        return Markup(f"<input {_html_params(params)}>")  # nosec B704
    if isinstance(field.widget, TextArea):
        return Markup(f"<textarea {_html_params(params)}>\r\n{escape(field._value())}</textarea>")  # nosec B704
    options = "".join(f'<option {"selected " if choice.selected else ""}value="{escape(choice.value)}">'
                      f"{escape(choice.label or choice.value)}</option>" for choice in field.iter_choices())
    return Markup(f"<select {_html_params(params)}>{options}</select>")  # nosec B704


def _html_params(params: dict) -> str:
    return " ".join(key if value is True else f'{key}="{escape(value)}"'
                    for key, value in sorted(params.items()) if value is not False)
