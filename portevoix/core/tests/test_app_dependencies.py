"""No app imports an app above it, and no two apps import each other (docs/architecture.md).

The graph is read from the source with `ast`: every `import` and `from … import`, at module
level or inside a function (an import moved into a function to dodge a circular import is
still a dependency). Left out:

- `tests/` and `migrations/`: a test may reach any app it needs, and a migration is history
  (it must keep naming what the models were when it was written);
- imports under `if TYPE_CHECKING:`: they name a type for the type checker and load nothing at
  run time (core names `Person`, which it reaches through `AUTH_USER_MODEL`).
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
ARCHITECTURE = PACKAGE.parent / "docs" / "architecture.md"
LEFT_OUT = {"tests", "migrations"}
# Imports that go up while they are being reworked: (importer, imported) → why.
KNOWN_UPWARD = {
    ("gamification", "notifications"): "challenge announcements, moving to notifications' signals",
}


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    module: str
    where: str  # file:line

    def __str__(self) -> str:
        return f"{self.where} imports {self.module}"


def apps() -> list[str]:
    return sorted(p.parent.name for p in PACKAGE.glob("*/apps.py"))


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported_modules(tree: ast.AST, package: list[str]) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            if module == "portevoix":  # `from portevoix import sharing` names the app
                found.extend((f"{module}.{alias.name}", node.lineno) for alias in node.names)
            else:
                found.append((module, node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def imports_between_apps() -> list[Import]:
    names = set(apps())
    found = []
    for app in sorted(names):
        for path in sorted((PACKAGE / app).rglob("*.py")):
            inside = path.relative_to(PACKAGE / app).parts[:-1]
            if LEFT_OUT.intersection(inside):
                continue
            package = ["portevoix", app, *inside]
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for module, line in _imported_modules(tree, package):
                parts = module.split(".")
                if len(parts) > 1 and parts[0] == "portevoix" and parts[1] in names - {app}:
                    where = f"{path.relative_to(PACKAGE.parent)}:{line}"
                    found.append(
                        Import(importer=app, imported=parts[1], module=module, where=where)
                    )
    return found


def documented_layers() -> list[list[str]]:
    """The `layers` block of docs/architecture.md, top line first."""
    block = re.search(r"```layers\n(.*?)```", ARCHITECTURE.read_text(encoding="utf-8"), re.S)
    assert block, "docs/architecture.md has no ```layers block"
    return [line.split() for line in block.group(1).splitlines() if line.strip()]


def cycles(edges: set[tuple[str, str]]) -> list[list[str]]:
    """Every strongly connected group of two apps or more (Tarjan), each as a closed path."""
    graph: dict[str, set[str]] = defaultdict(set)
    for importer, imported in edges:
        graph[importer].add(imported)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def connect(app: str) -> None:
        index[app] = low[app] = len(index)
        stack.append(app)
        for other in sorted(graph[app]):
            if other not in index:
                connect(other)
                low[app] = min(low[app], low[other])
            elif other in stack:
                low[app] = min(low[app], index[other])
        if low[app] == index[app]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == app:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for app in sorted(graph):
        if app not in index:
            connect(app)
    return [_closed_path(group, graph) for group in groups]


def _closed_path(group: list[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest way from the group's first app back to itself, to name in a failure."""
    start = group[0]
    paths = [[start]]
    while paths:
        path = paths.pop(0)
        for other in sorted(graph[path[-1]] & set(group)):
            if other == start:
                return [*path, start]
            if other not in path:
                paths.append([*path, other])
    return group


def _evidence(found: list[Import], importer: str, imported: str) -> str:
    lines = [str(i) for i in found if (i.importer, i.imported) == (importer, imported)]
    return "\n    ".join(lines[:5] + (["…"] if len(lines) > 5 else []))


def test_the_graph_sees_imports_between_apps():
    edges = {(i.importer, i.imported) for i in imports_between_apps()}
    assert ("sharing", "content") in edges
    assert ("tracking", "content") in edges


def test_the_documented_layers_name_every_app_once():
    named = [app for layer in documented_layers() for app in layer]
    assert sorted(named) == apps()


def test_no_two_apps_depend_on_each_other():
    found = imports_between_apps()
    edges = {(i.importer, i.imported) for i in found} - set(KNOWN_UPWARD)
    problems = []
    for path in cycles(edges):
        steps = [f"  {a} → {b}:\n    {_evidence(found, a, b)}" for a, b in pairwise(path)]
        problems.append(" → ".join(path) + "\n" + "\n".join(steps))
    assert not problems, "Cycles between apps:\n" + "\n".join(problems)


def test_every_import_goes_down_the_documented_layers():
    level = {app: n for n, layer in enumerate(documented_layers()) for app in layer}
    found = imports_between_apps()
    wrong = sorted(
        {
            (i.importer, i.imported)
            for i in found
            if level[i.importer] >= level[i.imported]
            and (i.importer, i.imported) not in KNOWN_UPWARD
        }
    )
    problems = [f"{a} → {b}:\n    {_evidence(found, a, b)}" for a, b in wrong]
    assert not problems, (
        "Imports against docs/architecture.md (an app may import only lower lines):\n"
        + "\n".join(problems)
    )


def test_a_known_upward_import_still_exists():
    """Once an exception is gone, it must leave the list, so that it cannot come back."""
    edges = {(i.importer, i.imported) for i in imports_between_apps()}
    assert set(KNOWN_UPWARD) <= edges, f"remove from KNOWN_UPWARD: {set(KNOWN_UPWARD) - edges}"
