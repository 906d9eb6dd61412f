"""What a declaration stores (choice values, time format) and the fields a rubric may read, defined once."""

OFFICE_TYPES = ("pishkhan", "public_nongov", "rural_ict")
YES_NO = ("yes", "no")
OWNERSHIP = ("owned", "leased")
STAFF_MEMBER_ROLES = ("manager", "operator")
EDUCATION = ("below_diploma", "diploma", "associate", "bachelor", "master", "doctorate")
# What the violations committee hears (SPEC §5); a rubric says how much a decided one subtracts.
VIOLATION_KINDS = ("overcharging", "unauthorised_service", "absence", "records", "conduct", "premises", "other")
# Scores from outside the declaration a rubric may read, and who enters each: the region, or the province's
# guild association (SPEC §5). A rubric may also name reviewer indicators of its own (region entered).
EXTERNAL_SCORES = {"association": "association", "satisfaction": "region", "agency_opinion": "region"}
# A time of day as stored: HH:MM, 24-hour clock.
TIME_OF_DAY = r"([01][0-9]|2[0-3]):([0-5][0-9])"

# The snapshot fields a rubric may read. Listed here rather than taken from the wizard's forms
# (which import Flask); a rubric naming any other field is refused, so a typo never scores 0 silently.
NUMERIC_FIELDS = frozenset({
    "premises.floor_area", "premises.counters", "premises.computers", "premises.printers",
    "premises.scanners", "premises.card_readers", "premises.bandwidth_mbps", "premises.waiting_seats",
    "hours.working_days", "hours.shifts", "hours.services_offered", "hours.monthly_transactions",
})
CHOICE_FIELDS = {"premises.ownership": OWNERSHIP, "premises.accessible": YES_NO}
DATE_FIELDS = frozenset({"license.activity_start"})
# Lists of rows, with the row fields that count_where / share_where may test and their possible values.
ROW_LISTS = {
    "staff.staff": {"role": STAFF_MEMBER_ROLES, "education": EDUCATION,
                    "insured": YES_NO, "disability": YES_NO},
}
