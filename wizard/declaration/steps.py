"""The wizard's steps in order: URL slug, title and form (no request, no database)."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from . import forms


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form: type
    number: int  # 1 to 5; "check answers and declare" is step TOTAL


STEPS = (
    Step("license", _l("License and office"), forms.LicenseForm, 1),
    Step("address", _l("Address and service area"), forms.AddressForm, 2),
    Step("premises", _l("Premises and equipment"), forms.PremisesForm, 3),
    Step("staff", _l("Staff"), forms.StaffForm, 4),
    Step("hours", _l("Hours and services"), forms.HoursForm, 5),
)
TOTAL = len(STEPS) + 1  # the five steps, then check answers and declare
BY_SLUG = {step.slug: step for step in STEPS}
SLUGS = tuple(BY_SLUG)


def next_slug(slug: str) -> str | None:
    index = SLUGS.index(slug)
    return SLUGS[index + 1] if index + 1 < len(SLUGS) else None


def previous_slug(slug: str) -> str | None:
    index = SLUGS.index(slug)
    return SLUGS[index - 1] if index > 0 else None
