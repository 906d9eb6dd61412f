"""Times of day as people type them (opening and closing times): any digit script in, canonical HH:MM out."""

import re

from .text import InputError
from .text import numeric_text

# Between hour and minute: the colon, its fullwidth, ratio and modifier-letter look-alikes (IMEs and
# converted documents give them), the full stop and the Arabic decimal separator ('۸٫۳۰', '8.30').
TIME_SEPARATORS = ":\uff1a\u2236\ua789\ufe13\ufe55.\u066b"
# One or two digits of hour, exactly two of minute ('8:5' may mean 8:05 or 8:50, so it is refused);
# a space on either side of the separator is allowed.
_TIME = re.compile(rf"([0-9]{{1,2}}) ?[{re.escape(TIME_SEPARATORS)}] ?([0-9]{{2}})")

ERR_FORMAT = "ساعت را به شکل ساعت:دقیقه بنویسید، مانند ۰۷:۳۰."
ERR_RANGE = "چنین ساعتی وجود ندارد: ساعت از ۰ تا ۲۳ و دقیقه از ۰ تا ۵۹ است."


def parse_time_of_day(text: str) -> str:
    """'8:00', '۸:۰۰', '08.00', '۸٫۰۰', '8：00' with invisible marks or spaces around → '08:00' (24-hour clock).

    Accepted: H:MM or HH:MM (hour one or two digits, minute exactly two) in
    Persian, Arabic-Indic or ASCII digits or a mixture, separated by any of
    TIME_SEPARATORS; invisible marks anywhere and surrounding whitespace are
    ignored (see numeric_text). Refused with InputError: reason "format" for any
    other shape (a bare hour '8', '0800', '8:5', seconds '8:00:00', '8 صبح', a
    sign), reason "range" for an hour above 23 or a minute above 59 ('24:00',
    '8:60'): the day ends at 23:59.
    """
    if not isinstance(text, str):
        raise InputError("format", ERR_FORMAT)
    match = _TIME.fullmatch(numeric_text(text))
    if match is None:
        raise InputError("format", ERR_FORMAT)
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise InputError("range", ERR_RANGE)
    return f"{hour:02d}:{minute:02d}"
