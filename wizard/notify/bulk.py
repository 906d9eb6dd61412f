"""A region's reminder to its non-submitters (SPEC §5b): who gets it, what it says, and sending it once."""

from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from ..models import Office
from ..models import User
from ..rules import jalali
from ..rules import sms
from . import events
from . import send_many
from .texts import render

TEMPLATE = "bulk_reminder"


@dataclass(frozen=True)
class Preview:
    text: str  # the message as the first recipient gets it
    parts: int
    recipients: int  # holders with a mobile
    offices: int  # offices that have not submitted, in scope
    without_mobile: int  # their holders without a usable mobile get nothing


def _recipients(round_, province: str | None, note: str):
    deadline = jalali.format_datetime(round_.deadline, locale="fa")
    for user_id, mobile, first_province, count in events.holders(
            Office.id.in_(events.not_submitted_ids(round_.id)), province=province):
        yield {"mobile": mobile, "user_id": user_id, "round_id": round_.id, "province": province or first_province,
               "context": {"province": province or first_province, "count": count, "deadline": deadline,
                           "note": note}}


def preview(round_, province: str | None, note: str) -> Preview:
    found = list(_recipients(round_, province, note))
    offices = events.not_submitted_ids(round_.id).where(*([Office.province == province] if province else []))
    office_count = db.session.scalar(sa.select(sa.func.count()).select_from(offices.subquery()))
    with_mobile = db.session.scalar(sa.select(sa.func.count()).select_from(
        offices.join(User, User.id == Office.holder_id).where(User.mobile.is_not(None), User.mobile != "")
        .subquery()))
    sample = found[0]["context"] if found else {"province": province or "", "count": 1, "note": note,
                                                 "deadline": jalali.format_datetime(round_.deadline, locale="fa")}
    text = render(TEMPLATE, sample)
    return Preview(text=text, parts=sms.parts(text), recipients=len(found), offices=office_count,
                   without_mobile=office_count - with_mobile)


def send(round_, province: str | None, note: str, batch: str) -> int:
    """Queue the messages (the caller commits); the batch (the preview's nonce) makes a repeated confirm a no-op."""
    recipients = [dict(recipient, key=f"bulk:{round_.id}:{batch}:{recipient['user_id']}")
                  for recipient in _recipients(round_, province, note)]
    return send_many("bulk_reminder", TEMPLATE, recipients)

