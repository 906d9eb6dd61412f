"""Typed reading of a rubric's TOML values: every failure a RubricError that names the entry."""

import difflib
from datetime import date


class RubricError(ValueError):
    """A rubric that cannot be used; the message starts with the path of the offending entry."""


_TYPE_NAMES = {str: "text", int: "an integer", float: "a decimal number", bool: "a true/false value",
               list: "an array", tuple: "an array", dict: "a table"}


def fail(where: str, message: str):
    raise RubricError(f"{where}: {message}")


def is_int(value) -> bool:
    # bool is an int subclass, but `weight = true` is a mistake in the file.
    return isinstance(value, int) and not isinstance(value, bool)


def show(value) -> str:
    kind = _TYPE_NAMES.get(type(value), "a date" if isinstance(value, date) else type(value).__name__)
    return f"{value!r} ({kind})"


def hint(name, choices) -> str:
    close = difflib.get_close_matches(str(name), sorted(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else f"; expected one of: {', '.join(sorted(choices))}"


def check_keys(where: str, data: dict, required, optional=()) -> None:
    allowed = (*required, *optional)
    for name in data:
        if name not in allowed:
            fail(where, f"unknown key {name!r}{hint(name, allowed)}")
    for name in required:
        if name not in data:
            fail(where, f"missing key {name!r}")


def table(where: str, value) -> dict:
    if not isinstance(value, dict):
        fail(where, f"must be a table, not {show(value)}")
    return value


def array(where: str, value, what: str) -> list:
    if not isinstance(value, (list, tuple)) or not value:
        fail(where, f"must be a non-empty array of {what}")
    return list(value)


def integer(where: str, value, minimum: int | None = None) -> int:
    if not is_int(value):
        fail(where, f"must be an integer, not {show(value)}")
    if minimum is not None and value < minimum:
        fail(where, f"must be at least {minimum}, not {value}")
    return value


def text(where: str, value) -> str:
    if not isinstance(value, str) or not value.strip():
        fail(where, f'must be non-empty text in quotes, not {show(value)}')
    return value.strip()
