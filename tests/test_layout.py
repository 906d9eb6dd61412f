"""The house rules of wizard/ (issue 19): no import cycles, short modules, no HTML drawn in Python."""

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "wizard"
LONG_MODULE_LINES = 300
MAY_BE_LONG = {"models"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(name: str, path: Path, modules) -> set[str]:
    """The wizard modules this one imports (at any depth of its code: a local import is an import too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            submodules = {f"{target}.{alias.name}" for alias in node.names} & modules.keys()
            found |= submodules
            if len(submodules) < len(node.names) and target in modules:
                found.add(target)  # a name defined in the module (or package) itself
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names} & modules.keys()
    return found - {name}


def test_no_module_imports_one_that_imports_it_back():
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    cycles = []

    def visit(name, trail):
        for target in sorted(graph[name]):
            if target in trail:
                cycles.append(trail[trail.index(target):] + [target])
            elif target not in done:
                visit(target, [*trail, target])
        done.add(name)

    done: set[str] = set()
    for name in sorted(graph):
        if name not in done:
            visit(name, [name])
    assert cycles == []


def test_no_module_is_longer_than_300_lines_but_the_models():
    long = {name: lines for name, path in _modules().items()
            if (lines := len(path.read_text().splitlines())) > LONG_MODULE_LINES
            and name.rpartition(".")[2] not in MAY_BE_LONG}
    assert long == {}


def test_python_draws_no_html():
    """Templates own the HTML: no Markup built from a literal tag, no tag in an f-string."""
    tag = re.compile(r"""(Markup\(\s*f?["']\s*<|["'][^"'\n]*<(?:!doctype|html|h1|div|p|span|a|input|label|svg|section)\b)""",
                     re.IGNORECASE)
    drawn = [f"{path.relative_to(PACKAGE)}:{number}" for path in _modules().values()
             for number, line in enumerate(path.read_text().splitlines(), start=1) if tag.search(line)]
    assert drawn == []
