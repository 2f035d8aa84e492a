"""The shape of the code, as tests: no import cycles in crm/, no SQL in the front ends, one list of contact fields."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "crm"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name | ast.Attribute) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(path: Path, known: set[str]) -> set[str]:
    """Every crm module this file imports, at the top or inside functions (not under TYPE_CHECKING)."""
    found: set[str] = set()
    module = _module_name(path)

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:
                package = module.split(".")[: -node.level if path.name != "__init__.py" else len(module.split("."))]
                base = ".".join(package + [node.module])
            submodules = {f"{base}.{alias.name}" for alias in node.names} & known
            found.update(submodules)  # `from crm.tui import keys` depends on crm.tui.keys, not on crm.tui's body
            if len(submodules) < len(node.names):
                found.add(base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {name for name in found if name in known and name != module}


def import_graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    known = set(files)
    return {name: _imports(path, known) for name, path in files.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path of module names, or None. Iterative DFS, three colours."""
    colour = dict.fromkeys(graph, 0)
    for start in sorted(graph):
        if colour[start]:
            continue
        stack = [(start, iter(sorted(graph[start])))]
        path = [start]
        colour[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                colour[node] = 2
                stack.pop()
                path.pop()
            elif colour[child] == 1:
                return path[path.index(child) :] + [child]
            elif colour[child] == 0:
                colour[child] = 1
                stack.append((child, iter(sorted(graph[child]))))
                path.append(child)
    return None


def test_the_cycle_finder_finds_a_planted_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_in_crm():
    graph = import_graph()
    assert "crm.followups.reads" in graph and graph["crm.store.store"], "the graph must see real modules"
    assert find_cycle(graph) is None


def test_reads_never_import_the_write_side():
    graph = import_graph()
    for reader in ("crm.followups.reads", "crm.contacts.reads"):
        assert not {m for m in graph[reader] if m.endswith(".writes") or m == "crm.models"}, reader


SQL = re.compile(
    r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE|PRAGMA\s)", re.S
)  # our SQL is upper-case; help text is not


def sql_in_strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.name}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value)
    ]


def test_the_sql_detector_sees_sql(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text('q = "SELECT name FROM contact WHERE id = ?"\nhelp = "select a template from the list"\n')
    assert sql_in_strings(sample) == ["x.py:1"]


@pytest.mark.parametrize("front_end", ["cli", "tui"])
def test_no_sql_in_the_front_ends(front_end):
    offenders = [hit for path in sorted((PACKAGE / front_end).rglob("*.py")) for hit in sql_in_strings(path)]
    assert offenders == []


def test_contact_fields_are_declared_once():
    """The model's columns, the changes a command carries and the JSON profile all follow CONTACT_FIELDS."""
    from crm.contacts.fields import CONTACT_FIELD_NAMES, ContactChanges
    from crm.contacts.reads import PROFILE_FIELDS
    from crm.models import ContactBase

    assert set(ContactBase.model_fields) == {"name", *CONTACT_FIELD_NAMES}
    assert set(PROFILE_FIELDS) == {"name", *CONTACT_FIELD_NAMES}
    changes = set(ContactChanges.__dataclass_fields__)
    assert changes == {"name", *CONTACT_FIELD_NAMES, "introduced_by", "add_tags", "remove_tags"}


def test_cli_options_follow_the_contact_fields():
    from crm.cli.contacts import contact_add, contact_edit
    from crm.contacts.fields import CONTACT_FIELDS

    for command in (contact_add, contact_edit):
        options = {opt for param in command.params for opt in getattr(param, "opts", [])}
        assert {field.option for field in CONTACT_FIELDS} <= options, command.name
