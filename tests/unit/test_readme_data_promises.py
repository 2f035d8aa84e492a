"""README's "Your data" section is a written promise: every claim in it names the test that keeps it, and every
test it names exists (a renamed or deleted test would otherwise leave a promise nobody checks)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SECTION = "## Your data"

# `tests/cli/test_forget.py::test_name` (a parametrized id's `[...]` allowed)
NODE_ID = re.compile(r"`(tests/[\w/]+\.py)::(\w+)(?:\[[^\]`]*\])?`")


def section(text: str, title: str = SECTION) -> str:
    start = text.index(f"\n{title}\n") + 1
    end = text.find("\n## ", start + len(title))
    return text[start : end if end != -1 else len(text)]


def claims(body: str) -> list[str]:
    """Each bullet of the section (with its indented continuation lines): one claim each."""
    bullets: list[str] = []
    continuing = False
    for line in body.splitlines():
        if line.startswith("- "):
            bullets.append(line)
            continuing = True
        elif continuing and line.startswith("  ") and line.strip():
            bullets[-1] += " " + line.strip()
        else:
            continuing = False
    return bullets


def defined_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_")
    }


def missing(node_ids: list[tuple[str, str]]) -> list[str]:
    gone = []
    for file, name in node_ids:
        path = ROOT / file
        if not path.is_file() or name not in defined_tests(path):
            gone.append(f"{file}::{name}")
    return gone


def test_every_test_the_section_names_exists():
    node_ids = NODE_ID.findall(section(README.read_text(encoding="utf-8")))
    assert len(node_ids) >= 30, "the section should name the tests behind its promises"
    assert missing(node_ids) == []


def test_every_claim_names_a_test():
    bullets = claims(section(README.read_text(encoding="utf-8")))
    assert len(bullets) >= 15
    assert [bullet[:80] for bullet in bullets if not NODE_ID.search(bullet)] == []


def test_the_check_catches_a_missing_test_and_an_unbacked_claim():
    readme = (
        "# crm\n\n## Your data\n\nIntro.\n\n"
        "- **Real:** named (`tests/unit/test_readme_data_promises.py::test_every_claim_names_a_test`).\n"
        "- **Renamed:** named (`tests/unit/test_readme_data_promises.py::test_that_was_renamed`,\n"
        "  `tests/cli/test_nowhere.py::test_x[param]`).\n"
        "- **Unbacked:** a promise with no test,\n  over two lines.\n\n## Next\n\n- `tests/a.py::test_b`\n"
    )
    body = section(readme)
    assert missing(NODE_ID.findall(body)) == [
        "tests/unit/test_readme_data_promises.py::test_that_was_renamed",
        "tests/cli/test_nowhere.py::test_x",
    ]
    unbacked = [bullet for bullet in claims(body) if not NODE_ID.search(bullet)]
    assert unbacked == ["- **Unbacked:** a promise with no test, over two lines."]
