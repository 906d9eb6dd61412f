"""The events holders hear about by SMS (SPEC §5b), each queued in the transaction of the change it tells about.
Keys make each event one message per holder however often the code runs."""

import sqlalchemy as sa

from .. import clock
from ..extensions import db
from ..models import Office
from ..models import Result
from ..models import Round
from ..models import Submission
from ..models import User
from ..rules import jalali
from . import send
from . import send_many


TITLE_MAX = 40  # a longer round title is cut, so every message stays within two SMS parts


def _title(round_) -> str:
    return round_.title if len(round_.title) <= TITLE_MAX else round_.title[:TITLE_MAX - 1].rstrip() + "…"


def _deadline(round_) -> str:
    return jalali.format_datetime(round_.deadline, locale="fa")


def not_submitted_ids(round_id: int):
    return sa.select(Office.id).where(Office.id.not_in(
        sa.select(Submission.office_id).where(Submission.round_id == round_id)))


def holders(where=None, province: str | None = None):
    """(user id, mobile, province of the first office, offices) of holders with a mobile and an office matching."""
    query = (sa.select(User.id, User.mobile, sa.func.min(Office.province), sa.func.count(Office.id))
             .join(Office, Office.holder_id == User.id).where(User.mobile.is_not(None), User.mobile != "")
             .group_by(User.id, User.mobile).order_by(User.id))
    if where is not None:
        query = query.where(where)
    if province is not None:
        query = query.where(Office.province == province)
    return db.session.execute(query).all()


def round_opened(round_) -> int:
    """Every holder: the window is open, until when. Sent once the round has opened (tick sends a later one)."""
    if round_.opens_at > clock.now():
        return 0
    context = {"round": _title(round_), "deadline": _deadline(round_)}
    return send_many("round_opened", "round_opened", (
        {"mobile": mobile, "context": context, "key": f"round-opened:{round_.id}:{user_id}", "user_id": user_id,
         "round_id": round_.id, "province": province} for user_id, mobile, province, _count in holders()))


def deadline_extended(round_) -> int:
    """Holders with an office that has not submitted: the new deadline (one message per deadline)."""
    context = {"round": _title(round_), "deadline": _deadline(round_)}
    stamp = round_.deadline.isoformat()
    return send_many("deadline_extended", "deadline_extended", (
        {"mobile": mobile, "context": context, "key": f"extended:{round_.id}:{stamp}:{user_id}", "user_id": user_id,
         "round_id": round_.id, "province": province}
        for user_id, mobile, province, _count in holders(Office.id.in_(not_submitted_ids(round_.id)))))


def results_published(round_, version: int) -> int:
    context = {"round": _title(round_)}
    with_results = sa.select(Result.office_id).where(Result.round_id == round_.id, Result.version == version)
    return send_many("results_published", "results_published", (
        {"mobile": mobile, "context": context, "key": f"published:{round_.id}:{version}:{user_id}",
         "user_id": user_id, "round_id": round_.id, "province": province}
        for user_id, mobile, province, _count in holders(Office.id.in_(with_results))))


def correction_answered(correction, office: Office, accepted: bool):
    holder = office.holder
    return send("correction_answered", mobile=holder.mobile,
                template="correction_accepted" if accepted else "correction_rejected",
                context={"office": office.office_code}, key=f"correction:{correction.id}", user=holder, office=office)


def objection_answered(objection, office: Office, accepted: bool):
    holder = office.holder
    return send("objection_answered", mobile=holder.mobile,
                template="objection_accepted" if accepted else "objection_rejected",
                context={"code": objection.tracking_code}, key=f"objection:{objection.id}", user=holder,
                office=office, round_=db.session.get(Round, objection.round_id))


def receipt(submission: Submission, office: Office):
    holder = office.holder
    return send("receipt", mobile=holder.mobile, template="receipt",
                context={"office": office.office_code, "code": submission.tracking_code},
                key=f"receipt:{submission.id}", user=holder, office=office,
                round_=db.session.get(Round, submission.round_id))

