"""Words for the stored values of violations and objections, shared by the holder's and the staff's pages."""

from flask_babel import lazy_gettext as _l

VIOLATION_KIND_LABELS = {
    "overcharging": _l("Charging more than the approved fees"),
    "unauthorised_service": _l("Offering a service without authorisation"),
    "absence": _l("Closed or absent in working hours"),
    "records": _l("Records not kept as required"),
    "conduct": _l("Improper conduct towards applicants"),
    "premises": _l("Premises or equipment below the standard"),
    "other": _l("Other"),
}
VIOLATION_STATUS_LABELS = {
    "notified": _l("Recorded: awaiting your defence"),
    "defended": _l("Defence received: awaiting the committee"),
    "decided": _l("Confirmed by the committee"),
    "dismissed": _l("Dismissed by the committee"),
}
# The same states as staff read them: the holder is "you" above.
VIOLATION_STAFF_LABELS = {
    "notified": _l("Recorded: awaiting the holder's defence"),
    "defended": _l("Defence received"),
    "decided": _l("Confirmed (points subtracted)"),
    "dismissed": _l("Dismissed"),
}
OBJECTION_STATUS_LABELS = {"open": _l("waiting for an answer"), "accepted": _l("accepted"),
                           "rejected": _l("rejected")}
