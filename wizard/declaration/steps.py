"""The wizard's steps in order: URL slug, title and form (no request, no database)."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from . import forms


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form: type


STEPS = (
    Step("license", _l("License and office"), forms.LicenseForm),
    Step("address", _l("Address and service area"), forms.AddressForm),
    Step("premises", _l("Premises and equipment"), forms.PremisesForm),
    Step("staff", _l("Staff"), forms.StaffForm),
    Step("hours", _l("Hours and services"), forms.HoursForm),
)
BY_SLUG = {step.slug: step for step in STEPS}
SLUGS = tuple(BY_SLUG)


def next_slug(slug: str) -> str | None:
    index = SLUGS.index(slug)
    return SLUGS[index + 1] if index + 1 < len(SLUGS) else None


def previous_slug(slug: str) -> str | None:
    index = SLUGS.index(slug)
    return SLUGS[index - 1] if index > 0 else None
