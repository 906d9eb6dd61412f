"""Validators the forms share beyond WTForms' own: free text that says something, names, dependent checks."""

from wtforms.validators import StopValidation

from .rules.text import has_letter
from .rules.text import has_letter_or_digit
from .rules.text import is_person_name


class Answered:
    """The field has an answer, typed now or held by the draft: WTForms' InputRequired looks only at what was
    typed, so a step carried over from the last round (data, nothing typed) would always fail it; DataRequired
    would refuse 0, a fine count. Stops the chain: nothing else is said about an unanswered field."""

    field_flags = {"required": True}

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.data is None or (isinstance(field.data, str) and not field.data.strip()):
            raise StopValidation(self.message)


def answered_and_valid(*fields) -> bool:
    """Every field has an answer and no error of its own. Only then may a check that compares or depends on
    them speak: never a second message on a field that is already wrong, never one about a field that is."""
    return all(field.data not in (None, "") and not field.errors for field in fields)


class HasLetters:
    """Free text must say something: at least one letter (digits=True: a letter or a digit). An address of
    emoji, punctuation or symbols only is refused. Stops the chain, so a length check adds nothing."""

    def __init__(self, message, digits: bool = False):
        self.message, self.test = message, has_letter_or_digit if digits else has_letter

    def __call__(self, form, field):
        if field.data and not self.test(field.data):
            raise StopValidation(self.message)


class PersonName:
    """A person's name: letters (any script), with spaces, ZWNJ, harakat and . - ' ( ); no digit or emoji."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.data and not is_person_name(field.data):
            raise StopValidation(self.message)
