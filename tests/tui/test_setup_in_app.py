"""Setting up without a shell: the welcome walks through profile and project (each skippable), the palette and the
You screen reach both, and the draft screen lists everything missing at once and fills it in place."""

from __future__ import annotations

from textual.widgets import Button, Select, Static, TextArea

from crm.contacts.writes import ContactChanges, create_contact
from crm.store.store import Store
from crm.tui.screens.draft import DraftScreen
from crm.tui.screens.hook_form import HookModal
from crm.tui.screens.profile import ProfileScreen
from crm.tui.screens.profile_form import ProfileModal, ProjectModal
from crm.tui.screens.welcome import WelcomeScreen
from crm.tui.widgets.form import FormField
from tests.conftest import TODAY
from tests.tui.conftest import contact_id, type_text

SIZE = (80, 24)


def rows(app, sql: str) -> list[tuple]:
    """What the app's database holds, read on its own connection (either engine)."""
    return app.store.reader.execute(sql).fetchall()


def texts(screen, selector: str = "Static, Button") -> str:
    return " ".join(str(widget.render()) for widget in screen.query(selector))


async def fill(pilot, **values: str) -> None:
    for field_id, value in values.items():
        pilot.app.screen.query_one(f"#{field_id}", FormField).value = value
    await pilot.pause()


async def test_the_welcome_walks_through_profile_then_project_and_shows_what_is_set(make_app, empty_db):
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        assert "1. About you" in texts(app.screen) and "2. A project" in texts(app.screen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ProfileModal) and app.screen.form_title == "Step 1 of 3 · About you"
        assert str(app.screen.query_one("#cancel-button", Button).label) == "Skip"
        await type_text(pilot, "Priya Shah")  # the first field has the focus
        await fill(pilot, school="MIT", year="junior", major="Course 6", target="PM at Spotify")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProjectModal) and app.screen.form_title.startswith("Step 2 of 3")
        await pilot.press("ctrl+s")  # nothing typed: the domain's rule, shown under the field
        await pilot.pause()
        assert app.screen.query_one("#project-name", FormField).error == "a project needs a name"
        await fill(pilot, **{"project-name": "Playlist cache", "result": "cut load time from 3.2s to 1.4s"})
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        status = texts(app.screen)
        assert "✓ Priya Shah, junior, MIT" in status and "✓ Playlist cache: cut load time from 3.2s to 1.4s" in status
        assert app.screen.query_one("#demo-button", Button).disabled  # sample data needs an empty database
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)  # refused with a notice, not an error from the domain
    assert rows(app, "SELECT name, school, year, major, target FROM me") == [
        ("Priya Shah", "MIT", "junior", "Course 6", "PM at Spotify")
    ]
    assert rows(app, "SELECT name, result FROM project") == [("Playlist cache", "cut load time from 3.2s to 1.4s")]
    assert rows(app, "SELECT count(*) FROM contact") == [(0,)]


async def test_each_step_can_be_skipped_and_nothing_is_written(make_app, empty_db):
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("escape")  # skip the profile
        await pilot.pause()
        assert isinstance(app.screen, ProjectModal)
        await pilot.click("#cancel-button")  # skip the project
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        assert "name, school, year, major, target" in texts(app.screen)
        assert not app.screen.query_one("#demo-button", Button).disabled
        await pilot.press("n")  # the project step again, on its own
        await pilot.pause()
        assert isinstance(app.screen, ProjectModal)
    assert rows(app, "SELECT count(*) FROM me") == [(0,)] and rows(app, "SELECT count(*) FROM project") == [(0,)]


async def test_the_palette_and_the_you_screen_reach_the_profile_and_project_forms(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Edit my profile", "Add a project", "You: my profile and projects"} <= set(titles)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ProfileScreen)
        shown = str(app.screen.query_one("#profile-text", Static).render())
        assert "Alex Rivera" in shown and "Projects" in shown
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ProfileModal)
        assert app.screen.query_one("#name", FormField).value == "Alex Rivera"  # prefilled
        await fill(pilot, target="")  # a cleared field clears the profile's
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProfileScreen)
        assert "Missing: target" in str(app.screen.query_one("#profile-text", Static).render())
        await pilot.press("n")
        await pilot.pause()
        await fill(pilot, **{"project-name": "Skip-rate model", "result": "cut skips 12%"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Skip-rate model" in str(app.screen.query_one("#profile-text", Static).render())
    assert rows(app, "SELECT target FROM me") == [(None,)]
    assert ("Skip-rate model",) in rows(app, "SELECT name FROM project")


def add_bare_contact(db_path) -> int:
    store = Store(db_path).open()
    try:
        with store.write() as session:
            return create_contact(session=session, changes=ContactChanges(name="Maya Chen"), today=TODAY).id
    finally:
        store.close()


async def test_the_draft_lists_everything_missing_at_once_and_fills_each_in_place(make_app, empty_db):
    maya = add_bare_contact(empty_db)
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.actions.draft(maya)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DraftScreen)
        missing = str(screen.query_one("#draft-gaps-text", Static).render())
        assert "your profile: name, year, school, major, target" in missing
        assert "Maya Chen has no research hook" in missing and "you have no projects yet" in missing
        assert "crm " not in missing + texts(screen)  # the app fills these in; no trip to a shell
        shown = {button.id for button in screen.query(".fill").results(Button) if button.display}
        assert shown == {"fill-profile", "fill-project", "fill-hook"}
        assert "[your name]" in screen.query_one("#draft-text", TextArea).text

        await pilot.press("tab")  # from the text to what is missing: its keys work there
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HookModal)
        await type_text(pilot, "post on playlist latency")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert "research hook" not in str(screen.query_one("#draft-gaps-text", Static).render())
        assert "post on playlist latency" in screen.query_one("#draft-text", TextArea).text

        await pilot.click("#fill-profile")
        await pilot.pause()
        assert isinstance(app.screen, ProfileModal) and app.focused is app.screen.query_one("#name").input
        await fill(pilot, name="Priya Shah", school="MIT", year="junior", major="Course 6", target="PM at Spotify")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.click("#fill-project")
        await pilot.pause()
        await fill(pilot, **{"project-name": "Playlist cache", "result": "cut load time from 3.2s to 1.4s"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert ("Playlist cache", "Playlist cache") in screen.project_options  # the picker offers it now
        assert not screen.query_one("#draft-gaps").display
        assert screen.result is not None and screen.result.ok, screen.result
        text = screen.query_one("#draft-text", TextArea).text
        assert "I'm Priya Shah, a junior at MIT" in text and "Playlist cache (cut load time from 3.2s to 1.4s)" in text


async def test_a_nudge_to_someone_never_written_to_offers_the_first_message_instead(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.actions.draft(contact_id(app, "Arjun Mehta"))
        await pilot.pause()
        screen = app.screen
        screen.query_one("#draft-template", Select).value = "nudge"
        await pilot.pause()
        assert "you have not written to Arjun Mehta yet" in str(screen.query_one("#draft-gaps-text", Static).render())
        await pilot.click("#fill-first-message")
        await pilot.pause()
        assert screen.template_name == "first-message" and not screen.query_one("#draft-gaps").display
