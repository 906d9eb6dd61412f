"""The SMS texts (SPEC §5b): English msgids in the code, Persian in the catalogs, rendered in Persian with Persian
digits. Every text with a realistic context fits in two SMS parts (rules/sms.py; tests/notify/test_texts.py)."""

import re

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..rules.text import localize_digits

TEMPLATES = {
    "round_opened": _l("Pishkhan: the declaration window of %(round)s has opened. Declare your offices' data by "
                       "%(deadline)s, Tehran time."),
    "reminder": _l("Pishkhan: %(days)s days are left until the declaration deadline, %(deadline)s. %(count)s of "
                   "your offices have not submitted yet."),
    "deadline_extended": _l("Pishkhan: the declaration deadline of %(round)s was extended to %(deadline)s, "
                            "Tehran time."),
    "correction_accepted": _l("Pishkhan: your correction request for office %(office)s was accepted and the "
                              "license record was corrected."),
    "correction_rejected": _l("Pishkhan: your correction request for office %(office)s was not accepted. The reason "
                              "is on the office's correction page."),
    "objection_accepted": _l("Pishkhan: your objection %(code)s was accepted; the next version of the results "
                             "counts the corrected value."),
    "objection_rejected": _l("Pishkhan: your objection %(code)s was not accepted. The reason is on the office's "
                             "results page."),
    "results_published": _l("Pishkhan: the results of %(round)s are published. Your offices' ranks are on the "
                            "results page."),
    "receipt": _l("Pishkhan: the declaration of office %(office)s was received. Tracking code: %(code)s"),
    "bulk_reminder": _l("Pishkhan, %(province)s: %(count)s of your offices have not submitted their declaration. "
                        "Deadline: %(deadline)s. %(note)s"),
    "recovery_code": _l("Pishkhan: your password recovery code is %(code)s. It is valid for %(minutes)s minutes; "
                        "do not give it to anyone."),
}


# Texts that carry a secret (a one-time code): staff never see it, and it is blanked once the message is sent.
SECRET_TEMPLATES = frozenset({"recovery_code"})
_CODE = re.compile(r"[0-9۰-۹]{4,}")


def redact(text: str) -> str:
    """The text with every run of four or more digits (a code) replaced by dots."""
    return _CODE.sub("••••••", text)


def shown_text(template: str, text: str) -> str:
    """The text as staff may see it (outbox page, CSV)."""
    return redact(text) if template in SECRET_TEMPLATES else text


def render(template: str, context: dict, locale: str = "fa") -> str:
    """The template's text in the language (Persian by default), its numbers in that language's digits."""
    with force_locale(locale):
        text = " ".join(str(TEMPLATES[template] % context).split())  # an empty %(note)s leaves no gap
    return localize_digits(text) if locale == "fa" else text
