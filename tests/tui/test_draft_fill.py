"""The draft screen's fill-in-place keys (tester's defects 3 and 4): the screen opens outside the text while something
is missing, so `h`, `y` and `n` open their forms; what a form saves fills the draft at once, as a fresh render when
the text is untouched and, when it was edited, in the edited text, placeholder by placeholder."""

from __future__ import annotations

from contextlib import asynccontextmanager

from textual.widgets import Button, Static, TextArea

from crm.contacts.writes import ContactChanges, create_contact
from crm.store.store import Store
from crm.tui.screens.confirm_discard import ConfirmDiscard
from crm.tui.screens.draft import DraftScreen
from crm.tui.screens.hook_form import HookModal
from crm.tui.screens.profile_form import ProfileModal, ProjectModal
from tests.conftest import TODAY
from tests.tui.conftest import type_text

SIZE = (100, 30)
HOOK = "[their post or talk]"


def set_up(db_path, *, year: str | None = "junior", project: bool = True, hook: bool = False) -> int:
    """Alex's profile (the year optional) and project; Aisha Bello, at The Engine, with or without a hook."""
    from crm.contacts.hooks import add_hook
    from crm.profile import add_project, update_me

    store = Store(db_path).open()
    try:
        with store.write() as session:
            update_me(
                session=session, name="Alex Rivera", school="MIT", year=year, major="Course 6-3", target="PM intern"
            )
            if project:
                add_project(session=session, name="Campus music app", result="cut load time from 3.2s to 1.4s")
            contact = create_contact(
                session=session, changes=ContactChanges(name="Aisha Bello", company="The Engine"), today=TODAY
            )
            if hook:
                add_hook(session=session, contact=contact, text="talk on music-tech startups", url=None, date=None)
            return contact.id
    finally:
        store.close()


def text_of(screen: DraftScreen) -> str:
    return screen.query_one("#draft-text", TextArea).text


def missing_panel(screen: DraftScreen) -> str:
    box = screen.query_one("#draft-gaps")
    return str(screen.query_one("#draft-gaps-text", Static).render()) if box.display else ""


@asynccontextmanager
async def drafting(make_app, db_path, **setting_up):
    """The app on Aisha's draft screen, on a network `set_up` made."""
    aisha = set_up(db_path, **setting_up)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        yield pilot, await open_draft(pilot, aisha)


async def open_draft(pilot, contact: int) -> DraftScreen:
    pilot.app.actions.draft(contact)
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, DraftScreen)
    return screen


async def test_h_opens_the_hook_form_at_once_and_the_saved_hook_fills_the_text(make_app, empty_db):
    async with drafting(make_app, empty_db) as (pilot, screen):
        app = pilot.app
        assert HOOK in text_of(screen) and "no research hook" in missing_panel(screen)
        # Something is missing: the screen opens on what fills it, not in the text (defect 4)
        assert app.focused is screen.query_one("#fill-hook", Button)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HookModal), "h typed into the text instead of opening the hook form"
        assert "hHi" not in text_of(screen)
        await type_text(pilot, "talk on investing in music-tech startups")
        await pilot.press("ctrl+s")  # the tester's way (defect 3): ctrl+s, not enter
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen
        text = text_of(screen)
        assert HOOK not in text and "talk on investing in music-tech startups" in text
        assert missing_panel(screen) == ""
        assert screen.result is not None and screen.result.ok, screen.result
        assert not screen.has_unsaved_work()
        assert app.focused is screen.query_one("#draft-text", TextArea)  # nothing left to fill: on to the text
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not isinstance(app.screen, DraftScreen)  # marked sent: the checks passed


async def test_y_fills_the_year_and_the_placeholder_goes(make_app, empty_db):
    async with drafting(make_app, empty_db, year=None, hook=True) as (pilot, screen):
        app = pilot.app
        assert "[your year]" in text_of(screen) and "your profile: year" in missing_panel(screen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ProfileModal)
        await type_text(pilot, "junior")  # the year field is focused: it is what was missing
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen
        assert "[your year]" not in text_of(screen) and "junior" in text_of(screen)
        assert missing_panel(screen) == ""
        assert screen.result is not None and screen.result.ok, screen.result


async def test_n_adds_a_project_in_place(make_app, empty_db):
    async with drafting(make_app, empty_db, project=False, hook=True) as (pilot, screen):
        app = pilot.app
        assert "[your project]" in text_of(screen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ProjectModal)
        await type_text(pilot, "Playlist cache")
        await pilot.press("tab")
        await type_text(pilot, "cut load time by half")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen
        assert "[your project" not in text_of(screen) and "Playlist cache" in text_of(screen)
        assert missing_panel(screen) == ""


async def test_a_fill_keeps_the_users_edits_and_replaces_just_the_placeholder(make_app, empty_db):
    async with drafting(make_app, empty_db) as (pilot, screen):
        app = pilot.app
        area = screen.query_one("#draft-text", TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        area.insert("\nP.S. Loved the demo day.")
        await pilot.pause()
        edited = text_of(screen)
        assert screen.has_unsaved_work()
        screen.query_one("#fill-hook", Button).focus()
        await pilot.press("h")
        await pilot.pause()
        await type_text(pilot, "talk on music-tech")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen  # no "discard your edits?" question: nothing is dropped
        text = text_of(screen)
        assert text.endswith("P.S. Loved the demo day.")  # the edit is kept
        assert HOOK not in text and "talk on music-tech" in text
        assert text == edited.replace(HOOK, _rendered_hook(text, edited))
        assert missing_panel(screen) == ""
        assert screen.result is not None and screen.result.ok, screen.result
        assert screen.has_unsaved_work()  # the edited text is still not saved: leaving asks
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDiscard)


def _rendered_hook(text: str, edited: str) -> str:
    """What stands in `text` where `edited` had the hook's placeholder."""
    before, after = edited.split(HOOK)
    assert text.startswith(before) and text.endswith(after)
    return text[len(before) : len(text) - len(after)]


async def test_an_edit_around_the_placeholder_is_kept_and_the_placeholder_still_filled(make_app, empty_db):
    async with drafting(make_app, empty_db) as (pilot, screen):
        area = screen.query_one("#draft-text", TextArea)
        # The user rewrites the sentence the placeholder is in, keeping the placeholder itself
        start = text_of(screen).index(HOOK)
        line = text_of(screen)[:start].count("\n")
        column = start - (text_of(screen).rfind("\n", 0, start) + 1)
        area.replace("I enjoyed your ", (line, 0), (line, column))
        await pilot.pause()
        assert "I enjoyed your " + HOOK in text_of(screen)
        await pilot.press("h")
        await pilot.pause()
        await type_text(pilot, "talk on music-tech")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        text = text_of(screen)
        assert "I enjoyed your talk on music-tech" in text and HOOK not in text
        assert missing_panel(screen) == ""


async def test_a_placeholder_the_user_deleted_stays_deleted(make_app, empty_db):
    async with drafting(make_app, empty_db) as (pilot, screen):
        area = screen.query_one("#draft-text", TextArea)
        area.load_text(text_of(screen).replace(HOOK, "keynote"))  # typed over it by hand
        await pilot.pause()
        edited = text_of(screen)
        await pilot.press("h")
        await pilot.pause()
        await type_text(pilot, "talk on music-tech")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert text_of(screen) == edited  # their words win
        assert missing_panel(screen) == ""


async def test_cancelling_the_form_changes_nothing(make_app, empty_db):
    async with drafting(make_app, empty_db) as (pilot, screen):
        app = pilot.app
        before = text_of(screen)
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and text_of(screen) == before
        assert "no research hook" in missing_panel(screen)
        assert app.focused is screen.query_one("#fill-hook", Button)


async def test_nothing_missing_opens_in_the_text(make_app, empty_db):
    async with drafting(make_app, empty_db, hook=True) as (pilot, screen):
        app = pilot.app
        assert missing_panel(screen) == ""
        assert app.focused is screen.query_one("#draft-text", TextArea)
        await pilot.press("h")
        await pilot.pause()
        assert text_of(screen).startswith("hHi")  # in the text, a letter is a letter


async def test_outside_the_text_only_the_keys_that_act_act_and_other_letters_go_into_the_text(make_app, empty_db):
    async with drafting(make_app, empty_db) as (pilot, screen):
        app = pilot.app
        before = text_of(screen)
        assert app.focused is screen.query_one("#fill-hook", Button)
        # e fills nothing missing here: a letter, into the text (and the text has the focus from then on)
        await pilot.press("e")
        await pilot.pause()
        assert app.screen is screen and app.focused is screen.query_one("#draft-text", TextArea)
        assert text_of(screen) == "e" + before
        await type_text(pilot, "hyn")
        await pilot.pause()
        assert app.screen is screen and text_of(screen) == "ehyn" + before
        await pilot.press("tab")  # from the text to the list of what is missing
        await pilot.pause()
        assert app.focused is screen.query_one("#fill-hook", Button)
        await pilot.press("l")  # nothing to log: a letter again
        await pilot.pause()
        assert app.screen is screen and text_of(screen).startswith("ehyn") and "l" in text_of(screen)
        assert app.focused is screen.query_one("#draft-text", TextArea)


async def test_a_placeholder_that_cannot_be_placed_in_the_edited_text_is_left_and_said(
    make_app, empty_db, tmp_path, monkeypatch
):
    folder = tmp_path / "my-templates"
    folder.mkdir()
    monkeypatch.setenv("CRM_TEMPLATES", str(folder))
    # two stand-ins side by side: once both are filled, which words belong to which cannot be told
    (folder / "first-message.j2").write_text("Hi {{ contact.first_name }}, from {{ me.school }}{{ me.major }}.")
    aisha = set_up(empty_db, hook=True)
    store = Store(empty_db).open()
    try:
        with store.write() as session:
            from crm.profile import update_me

            update_me(session=session, school="", major="")
    finally:
        store.close()
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_draft(pilot, aisha)
        assert text_of(screen) == "Hi Aisha, from [your school][your major]."
        area = screen.query_one("#draft-text", TextArea)
        area.load_text("Hi Aisha, from [your school] where I study [your major].")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ProfileModal)
        app.screen.query_one("#school").value = "MIT"
        app.screen.query_one("#major").value = "Course 6-3"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen
        assert text_of(screen) == "Hi Aisha, from [your school] where I study [your major]."  # their words, kept
        assert missing_panel(screen) == ""  # nothing is missing any more...
        notes = [n.message for n in app._notifications if n.severity == "warning"]
        assert any("[your major], [your school] are still in the text" in m and "ctrl+r" in m for m in notes), notes
        assert screen.result is not None and not screen.result.ok  # ...and the stand-ins left are problems to fix
        assert "placeholder" in {p.check for p in screen.result.problems}
