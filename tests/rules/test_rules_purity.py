"""wizard.rules stays pure: no web framework, database, I/O or clock, checked on the source AST."""

import ast
from pathlib import Path

import pytest

RULES_DIR = Path(__file__).resolve().parents[2] / "wizard" / "rules"
PACKAGE = "wizard.rules"
# flask_* is matched by prefix below; os..random keep I/O, clocks and chance out.
FORBIDDEN_MODULES = ("flask", "sqlalchemy", "wizard.models", "wizard.extensions",
                     "os", "io", "pathlib", "socket", "subprocess", "urllib", "time", "random")
FORBIDDEN_CALLS = {"now", "today", "utcnow", "time.time", "time.time_ns", "time.monotonic", "time.perf_counter",
                   "open", "input", "print", "set_locale", "__import__"}


def _absolute(node: ast.ImportFrom, package: str) -> str:
    # Resolve "from ..models import X" against the module's package.
    if not node.level:
        return node.module or ""
    base = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def imported_modules(tree: ast.AST, package: str = PACKAGE) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node, package)
            names += [module] + [f"{module}.{alias.name}" for alias in node.names]
    return names


def _dotted(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return f"{_dotted(func.value)}.{func.attr}"
    return ""


def called_names(tree: ast.AST) -> list[str]:
    return [_dotted(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)]


def violations(source: str, package: str = PACKAGE) -> list[str]:
    tree = ast.parse(source)
    bad = [
        f"import {name}"
        for name in imported_modules(tree, package)
        if name.startswith("flask_") or any(name == m or name.startswith(m + ".") for m in FORBIDDEN_MODULES)
    ]
    for name in called_names(tree):
        if name in FORBIDDEN_CALLS or name.rsplit(".", 1)[-1] in {"now", "today", "utcnow", "set_locale"}:
            bad.append(f"call {name}()")
    return bad


MODULES = sorted(RULES_DIR.glob("*.py"))


def test_expected_modules_exist():
    names = {path.name for path in MODULES}
    assert {"__init__.py", "text.py", "national_code.py", "entitlement.py", "deadline.py", "jalali.py"} <= names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_module_is_pure(path):
    assert violations(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_module_has_a_one_line_docstring(path):
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert docstring and "\n" not in docstring


def test_package_init_is_only_a_docstring():
    tree = ast.parse((RULES_DIR / "__init__.py").read_text(encoding="utf-8"))
    assert len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr)


@pytest.mark.parametrize(
    "source",
    [
        "import flask",
        "from flask import request",
        "import flask_login",
        "from flask_sqlalchemy import SQLAlchemy",
        "import sqlalchemy.orm",
        "from wizard.models import Office",
        "from wizard import models",
        "from ..models import Office",
        "from .. import extensions",
        "from wizard.extensions import db",
        "import os",
        "from datetime import datetime\nx = datetime.now()",
        "import datetime\nx = datetime.date.today()",
        "import time\nx = time.time()",
        "x = open('f')",
        "import jdatetime\njdatetime.set_locale('fa_IR')",
    ],
)
def test_checker_catches_violations(source):
    assert violations(source)


@pytest.mark.parametrize(
    "source",
    [
        "from datetime import datetime, time\nx = time(23, 59, 59)",
        "from .text import to_ascii_digits", "import jdatetime\njdatetime.date(1399, 1, 1)",
    ],
)
def test_checker_allows_pure_code(source):
    assert violations(source) == []
