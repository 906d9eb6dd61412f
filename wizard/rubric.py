"""Rubric files: read a TOML rubric, validate it, and keep it with its round as plain JSON."""

import tomllib
from pathlib import Path

from .rules.scoring import Rubric, RubricError, parse_rubric, rubric_to_dict

DEFAULT_RUBRIC_PATH = Path(__file__).resolve().parent / "rubrics" / "default.toml"

__all__ = ["DEFAULT_RUBRIC_PATH", "RubricError", "load_rubric", "load_rubric_file", "rubric_from_stored",
           "to_stored"]


def load_rubric_file(path) -> dict:
    """The TOML file as a dict; unreadable or malformed files raise RubricError naming the file (and line)."""
    try:
        with Path(path).open("rb") as file:
            return tomllib.load(file)
    except tomllib.TOMLDecodeError as error:  # its message ends "(at line L, column C)"
        raise RubricError(f"{path}: not valid TOML: {error}") from None
    except UnicodeDecodeError:
        raise RubricError(f"{path}: not UTF-8 text; save the file as UTF-8") from None
    except OSError as error:
        raise RubricError(f"{path}: cannot read the file ({error.strerror or error})") from None


def load_rubric(path) -> Rubric:
    """The validated rubric of a TOML file; RubricError messages start with the file's path."""
    data = load_rubric_file(path)
    try:
        return parse_rubric(data)
    except RubricError as error:
        raise RubricError(f"{path}: {error}") from None


def to_stored(rubric: Rubric) -> dict:
    """What a round stores (JSON-ready): the canonical dict, every default spelled out.

    Stored rather than re-read from the file, so a later edit of the file never
    changes a past round's results; the stored dict names its own rubric format.
    """
    return rubric_to_dict(rubric)


def rubric_from_stored(data: dict) -> Rubric:
    """The rubric a round stored with to_stored; validated again, so a corrupt row fails loudly."""
    return parse_rubric(data)
