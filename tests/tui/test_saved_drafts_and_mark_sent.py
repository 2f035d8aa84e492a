"""Drafts saved with ctrl+s come back before a fresh render; "Mark sent" (crm sends no mail) is on ctrl+t, keeps
ctrl+enter as an alias, can copy first, and its notification says what the domain actually scheduled."""

from __future__ import annotations

from textual.widgets import OptionList, Select, Static, TextArea

from crm.tui.screens.draft import DraftScreen
from crm.tui.screens.saved_drafts import SavedDraftsModal
from tests.tui.conftest import contact_id

SIZE = (80, 24)


def drafts(app, name: str) -> list[tuple]:
    """The contact's drafts, read through the app's own connection (so on either engine)."""
    return app.store.reader.execute(
        "SELECT d.id, d.template, d.text, d.sent_on, d.interaction_id IS NOT NULL FROM draft d"
        " JOIN contact c ON c.id = d.contact_id WHERE c.name = ? ORDER BY d.id",
        (name,),
    ).fetchall()


def messages(app, name: str) -> list[str]:
    return [
        row[0]
        for row in app.store.reader.execute(
            "SELECT i.notes FROM interaction i JOIN contact c ON c.id = i.contact_id"
            " WHERE c.name = ? AND i.kind = 'message' ORDER BY i.id",
            (name,),
        )
    ]


def toasts(app) -> list[str]:
    return [f"{n.title or ''}|{n.message}" for n in app._notifications]


async def open_draft(pilot, name: str):
    pilot.app.actions.draft(contact_id(pilot.app, name))
    await pilot.pause()
    return pilot.app.screen


async def edit(pilot, words: str) -> None:
    text_area = pilot.app.screen.query_one("#draft-text", TextArea)
    text_area.move_cursor(text_area.document.end)
    text_area.insert(words)
    await pilot.pause()


async def test_a_saved_draft_comes_back_first_and_marking_it_sent_marks_that_row(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_draft(pilot, "Arjun Mehta")
        assert isinstance(screen, DraftScreen)  # nothing saved yet: straight to the fresh render
        await edit(pilot, " P.S. first try.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await edit(pilot, " And more.")
        await pilot.press("ctrl+s")  # saving again updates the same draft
        await pilot.pause()
        assert len(drafts(app, "Arjun Mehta")) == 1
        await pilot.press("escape")
        await pilot.pause()

        offer = await open_draft(pilot, "Arjun Mehta")
        assert isinstance(offer, SavedDraftsModal)
        options = offer.query_one("#saved-list", OptionList)
        assert options.option_count == 2 and options.get_option_at_index(1).id == "fresh"
        await pilot.press("enter")  # the newest saved draft is highlighted
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DraftScreen) and screen.saved_id == drafts(app, "Arjun Mehta")[0][0]
        text = screen.query_one("#draft-text", TextArea).text
        assert text.endswith("P.S. first try. And more.")
        assert "saved draft #" in str(screen.query_one("#draft-title", Static).render())
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not isinstance(app.screen, DraftScreen)
        ((_, template, stored, sent_on, logged),) = drafts(app, "Arjun Mehta")
        assert (template, stored, sent_on, logged) == ("first-message", text, "2026-11-25", True)
        assert messages(app, "Arjun Mehta") == [text]
        assert any(
            t.startswith(
                "Marked sent|Logged your first message to Arjun Mehta; if Arjun has not replied, a nudge is due"
            )
            for t in toasts(app)
        ), toasts(app)

        screen = await open_draft(pilot, "Arjun Mehta")  # sent: no longer offered
        assert isinstance(screen, DraftScreen)


async def test_a_fresh_draft_instead_leaves_the_saved_one_alone(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_draft(pilot, "Arjun Mehta")
        await edit(pilot, " Saved.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await open_draft(pilot, "Arjun Mehta")
        await pilot.press("escape")  # a fresh draft, please
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DraftScreen) and screen.saved_id is None
        assert "Saved." not in screen.query_one("#draft-text", TextArea).text
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert [row[3] for row in drafts(app, "Arjun Mehta")] == [None, None]


async def test_mark_sent_is_on_ctrl_t_with_ctrl_enter_as_an_alias_and_the_nudge_toast_says_one_only(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_draft(pilot, "Hannah Park")  # her nudge is due: my first message got no reply
        assert screen.template_name == "nudge"
        assert str(screen.query_one("#draft-send").label) == "Mark sent (ctrl+t)"
        await pilot.press("ctrl+enter")
        await pilot.pause()
        assert not isinstance(app.screen, DraftScreen)
    assert len(messages(app, "Hannah Park")) == 2
    assert any(
        t == "Marked sent|Logged your nudge to Hannah Park; nothing more will be scheduled: one nudge only."
        for t in toasts(app)
    ), toasts(app)
    due = app.store.reader.execute("SELECT next_follow_up FROM contact WHERE name = 'Hannah Park'").fetchone()
    assert tuple(due) == (None,)


async def test_copy_and_mark_sent_copies_then_logs_in_one_step(make_app, demo_db):
    app = make_app(demo_db)
    copied: list[str] = []
    app.copy_to_clipboard = copied.append
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_draft(pilot, "Arjun Mehta")
        text = screen.query_one("#draft-text", TextArea).text
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert not isinstance(app.screen, DraftScreen)
    assert copied == [text] and messages(app, "Arjun Mehta") == [text]
    assert any(
        t.startswith("Marked sent|Copied it, and marked it sent. Logged your first message") for t in toasts(app)
    )


async def test_a_second_first_message_is_refused_and_names_the_template_that_fits(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_draft(pilot, "Hannah Park")
        screen.query_one("#draft-template", Select).value = "first-message"
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.screen is screen  # refused: still drafting
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert any("already in touch with Hannah Park" in e and "fits now is nudge" in e for e in errors), errors
    assert len(messages(app, "Hannah Park")) == 1
