"""Messages to holders (SPEC §5b): an outbox of SMS written in the transaction of the event they tell about, and
delivered by background jobs once that transaction commits (wizard/notify/delivery.py).

    send("receipt", mobile=user.mobile, template="receipt", context={...}, key=f"receipt:{submission.id}",
         user=user, office=office)

adds the row and returns it, or None when a message with that key exists already (an event never sends twice) or
the mobile is not a mobile number. The caller commits; nothing is sent if it rolls back.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite

from .. import clock
from ..extensions import db
from ..models import Message
from ..rules import sms
from ..rules.contact import normalize_mobile
from ..rules.text import InputError
from . import delivery
from .texts import render

__all__ = ["send", "send_many", "render", "Message"]


def send(event: str, *, mobile: str | None, template: str, context: dict, key: str, user=None, office=None,
         round_=None, province: str | None = None, not_before: datetime | None = None) -> Message | None:
    """Queue one message in the caller's transaction (see the module's docstring)."""
    row = _row(event, template, mobile, context, key, user_id=user.id if user else None,
               office_id=office.id if office else None, round_id=round_.id if round_ else None,
               province=province or (office.province if office else None), not_before=not_before)
    if row is None:
        return None
    ids = _insert([row])
    return db.session.get(Message, ids[0]) if ids else None


def send_many(event: str, template: str, recipients) -> int:
    """Queue one message per recipient, a dict with mobile, context and key (and user_id, office_id, round_id,
    province): in bulk, for thousands at once (a round's opening, reminders). Returns how many were new."""
    rows = [row for recipient in recipients
            if (row := _row(event, template, recipient["mobile"], recipient["context"], recipient["key"],
                            user_id=recipient.get("user_id"), office_id=recipient.get("office_id"),
                            round_id=recipient.get("round_id"), province=recipient.get("province"))) is not None]
    count = 0
    for start in range(0, len(rows), 1000):
        count += len(_insert(rows[start:start + 1000]))
    return count


def _row(event, template, mobile, context, key, **columns) -> dict | None:
    try:
        mobile = normalize_mobile(mobile or "")
    except InputError:
        return None
    text = render(template, context)
    return {"key": key, "event": event, "template": template, "mobile": mobile, "text": text,
            "parts": sms.parts(text), "status": "queued", "attempts": 0, "created_at": clock.now(),
            "user_id": columns["user_id"], "office_id": columns["office_id"], "round_id": columns["round_id"],
            "province": columns["province"], "next_attempt_at": columns.get("not_before")}


def _insert(rows: list[dict]) -> list[int]:
    """Insert the rows whose key is new; the ids of those inserted join the delivery that follows the commit."""
    if not rows:
        return []
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (dialect.insert(Message).on_conflict_do_nothing(index_elements=["key"])
                 .returning(Message.id))
    ids = [row_id for (row_id,) in db.session.execute(statement, rows)] if len(rows) > 1 else \
        [row_id for (row_id,) in db.session.execute(statement.values(rows[0]))]
    delivery.after_commit(db.session(), ids)
    return ids


def queued_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Message).where(Message.status == "queued"))
