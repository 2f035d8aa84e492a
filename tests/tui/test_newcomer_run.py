"""A newcomer's first session, by keys alone, at 80x24 from an empty database (issue 14.8).

welcome → profile → project → add a contact → hook (h) → draft (d) → Mark sent (ctrl+t) → log their reply → log a
chat whose next step has a date ("send the deck by Friday"), checking This week after each step: what is due, and
in which group. Only keys a person would press: the run proves all of it can be done without a shell.
"""

from __future__ import annotations

import sqlite3

from textual.widgets import Select, TextArea

from crm.tui.screens.contact import ContactScreen
from crm.tui.screens.contact_form import ContactFormModal
from crm.tui.screens.draft import DraftScreen
from crm.tui.screens.hook_form import HookModal
from crm.tui.screens.profile_form import ProfileModal, ProjectModal
from crm.tui.screens.week import WeekScreen
from crm.tui.screens.welcome import WelcomeScreen
from crm.tui.widgets.due_list import DueList
from tests.tui.conftest import open_log_form, type_text

SIZE = (80, 24)
GROUPS = ("Overdue", "Today", "Later this week", "Awaiting reply", "Nothing due this week", "No contacts yet", "Ideas")


def this_week(app) -> list[tuple[str, str]]:
    """What This week lists, as (group, first two lines of the row): the groups are its headings."""
    assert isinstance(app.screen, WeekScreen), app.screen
    group, rows = "", []
    for option in app.screen.query_one(DueList).options:
        text = str(option.prompt)
        if option.disabled:
            group = next((g for g in GROUPS if text.startswith(g)), group)
            continue
        rows.append((group, " / ".join(" ".join(line.split()) for line in text.splitlines()[:2])))
    return rows


def heading(app) -> str:
    return str(app.screen.query_one(DueList).get_option_at_index(0).prompt)


def toasts(app) -> str:
    return " | ".join(n.message for n in app._notifications)


def stored(app, sql: str) -> list[tuple]:
    return app.store.reader.execute(sql).fetchall()


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


async def to_week(pilot) -> None:
    await press(pilot, "w")
    assert isinstance(pilot.app.screen, WeekScreen)


async def to_maya(pilot) -> None:
    """From This week to her page the way a person would: Contacts, enter on her row."""
    await press(pilot, "c")
    await press(pilot, "enter")
    assert isinstance(pilot.app.screen, ContactScreen)


async def newcomer_run(pilot) -> None:
    app = pilot.app
    await pilot.pause()
    assert isinstance(app.screen, WelcomeScreen)

    # 1. About you: the walkthrough's first step, then a project.
    await press(pilot, "y")
    assert isinstance(app.screen, ProfileModal)
    for value in ("Priya Shah", "MIT", "junior", "Course 6", "PM at Spotify"):
        await type_text(pilot, value)
        await press(pilot, "tab")
    await press(pilot, "ctrl+s")
    assert isinstance(app.screen, ProjectModal)
    await type_text(pilot, "Playlist cache")
    await press(pilot, "tab")
    await type_text(pilot, "cut load time from 3.2s to 1.4s")
    await press(pilot, "enter")
    assert isinstance(app.screen, WelcomeScreen)
    assert stored(app, "SELECT name, school, year, major, target FROM me") == [
        ("Priya Shah", "MIT", "junior", "Course 6", "PM at Spotify")
    ]
    assert stored(app, "SELECT name, result FROM project") == [("Playlist cache", "cut load time from 3.2s to 1.4s")]

    # 2. A first contact, from the welcome.
    await press(pilot, "a")
    assert isinstance(app.screen, ContactFormModal)
    await type_text(pilot, "Maya Chen")
    await press(pilot, "tab", "tab", "tab")  # email, LinkedIn: to Company
    await type_text(pilot, "Spotify")
    await press(pilot, "tab", "tab")  # team: to Role
    await type_text(pilot, "PM")
    await press(pilot, "ctrl+s")
    assert isinstance(app.screen, ContactScreen)
    assert "d drafts a first message" in str(app.screen.query_one("#follow-up-line .row-value").render())
    await to_week(pilot)
    assert this_week(app) == [] and heading(app) == "Nothing due this week"  # nothing until you write to her
    assert "d on one drafts a message" in str(app.screen.query_one(DueList).get_option_at_index(1).prompt)

    # 3. A hook to cite, on her page.
    await to_maya(pilot)
    await press(pilot, "h")
    assert isinstance(app.screen, HookModal)
    await type_text(pilot, "latency post")
    await press(pilot, "enter")
    assert isinstance(app.screen, ContactScreen)
    await to_week(pilot)
    assert this_week(app) == []

    # 4. The first message: nothing missing, so nothing to fill in; Mark sent on ctrl+t.
    await to_maya(pilot)
    await press(pilot, "d")
    draft = app.screen
    assert isinstance(draft, DraftScreen) and draft.template_name == "first-message"
    assert not draft.query_one("#draft-gaps").display
    text = draft.query_one("#draft-text", TextArea).text
    assert "I'm Priya Shah, a junior at MIT" in text and "latency post" in text
    assert "Playlist cache (cut load time from 3.2s to 1.4s)" in text
    await press(pilot, "ctrl+t")
    assert isinstance(app.screen, ContactScreen)
    assert "Logged your first message to Maya Chen; if Maya has not replied, a nudge is due" in toasts(app)
    assert stored(app, "SELECT kind, notes FROM interaction") == [("message", text)]
    await to_week(pilot)
    assert this_week(app) == [("Awaiting reply", "today Maya Chen · Spotify / messaged Nov 25, no answer yet")]
    assert "Nothing due this week" in heading(app)

    # 5. She replies: l on her row in This week; the form offers "reply" (she owes one), notes focused.
    log = await open_log_form(pilot)
    assert log.query_one("#kind", Select).value == "reply"
    await type_text(pilot, "Happy to chat")
    await press(pilot, "ctrl+s")
    assert isinstance(app.screen, WeekScreen)
    assert stored(app, "SELECT kind, notes FROM interaction ORDER BY id DESC LIMIT 1") == [("reply", "Happy to chat")]
    assert this_week(app) == [("Later this week", "tomorrow Maya Chen · Spotify / respond to Maya's reply of Nov 25")]

    # 6. The chat, with a next step that has a date: a promise due Friday, beside the thank-you.
    log = await open_log_form(pilot)
    assert log.query_one("#kind", Select).value == "chat"  # after her reply, the chat comes next
    await type_text(pilot, "Coffee chat")
    await press(pilot, "tab", "tab", "tab", "tab")  # takeaways, advice, suggested: to Next step
    await type_text(pilot, "send the deck by Friday")
    assert "a promise, due Fri Nov 27" in str(app.screen.query_one("#next-step .field-message").render())
    await press(pilot, "ctrl+s")
    assert isinstance(app.screen, WeekScreen)
    assert "Promise due Fri Nov 27: send the deck." in toasts(app)
    assert this_week(app) == [
        ("Later this week", "tomorrow Maya Chen · Spotify / thank Maya for the chat on Nov 25"),
        ("Later this week", "Fri Nov 27 Maya Chen · Spotify / promise: send the deck"),
    ]
    assert stored(app, "SELECT text, due, from_next_step FROM promise") == [("send the deck", "2026-11-27", 1)]


def test_a_newcomer_gets_from_nothing_to_a_promise_in_this_week_by_keys_alone(snap_compare, make_sqlite_app, empty_db):
    """The run checks each step as it goes; its final This week is the kept snapshot."""

    async def run_before(pilot):
        await newcomer_run(pilot)
        pilot.app.clear_notifications()  # the run's toasts pile up at Pilot's speed; the list is what is kept
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(make_sqlite_app(empty_db), terminal_size=SIZE, run_before=run_before)
    with sqlite3.connect(empty_db) as conn:
        assert conn.execute("SELECT name, stage, role FROM contact").fetchall() == [("Maya Chen", "chatted", "PM")]
        assert [k for (k,) in conn.execute("SELECT kind FROM interaction ORDER BY id")] == ["message", "reply", "chat"]
