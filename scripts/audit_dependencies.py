"""Offline dependency audit (make lint): every installed distribution against scripts/advisories.toml,
and every requirement in setup.cfg pinned with ==, so what is installed is what was audited.

Exit 1 with one line per finding; a snapshot older than 90 days is a warning (refresh it, see the file)."""

import configparser
import sys
import tomllib
from datetime import date
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
ADVISORIES = ROOT / "scripts" / "advisories.toml"
STALE_AFTER_DAYS = 90


def load_advisories(path: Path = ADVISORIES) -> dict:
    with path.open("rb") as stream:
        return tomllib.load(stream)


def installed_versions() -> dict[str, Version]:
    return {canonicalize_name(dist.metadata["Name"]): Version(dist.version) for dist in metadata.distributions()}


def vulnerable(installed: dict[str, Version], advisories: list[dict]) -> list[str]:
    """'package version: id (summary)' for every installed version inside an advisory's affected range."""
    found = []
    for advisory in advisories:
        version = installed.get(canonicalize_name(advisory["package"]))
        if version is not None and SpecifierSet(advisory["affected"]).contains(version, prereleases=True):
            found.append(f"{advisory['package']} {version}: {advisory['id']} ({advisory['summary']})")
    return found


def requirements(setup_cfg: Path = ROOT / "setup.cfg") -> list[Requirement]:
    config = configparser.ConfigParser()
    config.read(setup_cfg, encoding="utf-8")
    lines = config["options"]["install_requires"].splitlines()
    lines += [line for _extra, text in config["options.extras_require"].items() for line in text.splitlines()]
    return [Requirement(line) for line in lines if line.strip()]


def unpinned(found: list[Requirement]) -> list[str]:
    return [str(req) for req in found if len(req.specifier) != 1 or next(iter(req.specifier)).operator != "=="]


def main() -> int:
    data = load_advisories()
    problems = vulnerable(installed_versions(), data["advisory"])
    problems += [f"not pinned with == in setup.cfg: {req}" for req in unpinned(requirements())]
    for problem in problems:
        print(problem, file=sys.stderr)
    age = (date.today() - data["snapshot"]).days
    if age > STALE_AFTER_DAYS:
        print(f"warning: the advisory snapshot is {age} days old; refresh scripts/advisories.toml", file=sys.stderr)
    if not problems:
        print(f"dependency audit: {len(installed_versions())} distributions, {len(data['advisory'])} advisories "
              f"(snapshot {data['snapshot']}): no known vulnerability")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
