"""A user template with a mistake in the app (tester's defects 1 and 10): `d` never crashes over a file nobody
picked; the bad file is left out of the picker and named; a misspelled field reads as it does in the CLI."""

from __future__ import annotations

import pytest
from textual.widgets import Select, Static, TextArea

from crm.tui.screens.draft import DraftScreen
from tests.tui.conftest import contact_id
from tests.tui.test_flows import SIZE, highlight

BAD_KIND = "{# kind: first-mesage #}\nHi {{ contact.first_name }}, {{ question }}\n"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    path = tmp_path / "my-templates"
    path.mkdir()
    monkeypatch.setenv("CRM_TEMPLATES", str(path))
    return path


def warnings(app) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "warning"]


def picker_names(screen: DraftScreen) -> set[str]:
    return {str(value) for _, value in screen.query_one("#draft-template", Select)._options}


async def press_d_on(pilot, name: str) -> DraftScreen:
    """d on their row in This week, as a person would."""
    await pilot.pause()
    await highlight(pilot, f"due-{contact_id(pilot.app, name)}")
    await pilot.press("d")
    await pilot.pause()
    assert isinstance(pilot.app.screen, DraftScreen)
    return pilot.app.screen


async def test_d_with_a_bad_user_template_drafts_and_names_the_file(make_app, demo_db, folder):
    (folder / "mine.j2").write_text(BAD_KIND)
    (folder / "coffee.j2").write_text("Coffee, {{ contact.first_name }}?")
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await press_d_on(pilot, "Hannah Park")  # a nudge is due: a built-in, unaffected
        assert screen.template_name == "nudge"
        assert screen.query_one("#draft-text", TextArea).text.startswith("Hi Hannah,")
        assert "mine" not in picker_names(screen) and {"coffee", "nudge"} <= picker_names(screen)
        said = [m for m in warnings(app) if "mine" in m]
        assert len(said) == 1 and str(folder / "mine.j2") in said[0]
        assert "kind 'first-mesage' is not one of" in said[0] and "did you mean first-message?" in said[0]
        screen.query_one("#draft-template", Select).value = "coffee"  # a good user template still drafts
        await pilot.pause()
        assert screen.query_one("#draft-text", TextArea).text == "Coffee, Hannah?"


async def test_a_broken_user_version_of_the_template_that_is_due_says_so(make_app, demo_db, folder):
    (folder / "nudge.j2").write_text("{#\nmax_words: lots\n#}\nHi {{ contact.first_name }}")
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await press_d_on(pilot, "Hannah Park")
        assert screen.template_name == "first-message"
        notes = warnings(app)
        assert any("nudge" in m and "max_words must be a whole number" in m for m in notes), notes
        assert any(m.startswith("Your “nudge” template cannot be used") and "first-message" in m for m in notes)
        assert not any("No “nudge” template yet" in m for m in notes)  # it is there, it is broken


async def test_a_misspelled_field_reads_as_in_the_cli(make_app, demo_db, folder):
    (folder / "short-hello.j2").write_text("{# kind: first-message #}\nHi {{ contact.frist_name }},\n")
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await press_d_on(pilot, "Hannah Park")
        screen.query_one("#draft-template", Select).value = "short-hello"
        await pilot.pause()
        assert "Cannot draft with this template" in str(screen.query_one("#draft-verdict", Static).render())
        problem = str(screen.query_one("#draft-problems", Static).render())
        assert problem.startswith(
            "template short-hello, line 2: contact has no field 'frist_name' (did you mean first_name? fields: "
        ), problem
        assert "dict object" not in problem
        assert app.is_running and isinstance(app.screen, DraftScreen)
