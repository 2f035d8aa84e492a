"""The app shows stored control characters as text (issue 11, point 4): nothing in a name, company, hook or note
can clear the screen, set the window title, write the clipboard or hide text.

Without crm.tui.formatting.show_control_characters, Textual passes ESC, DEL and C1 controls in a Static, a
DataTable cell, an option, an Input or a notification straight to the terminal. Each screen here is checked on
what the compositor hands the driver: the text of every segment of every line on screen.
"""

from __future__ import annotations

import re
import sqlite3

from crm.tui.screens.contact import ContactScreen
from crm.tui.screens.contact_form import ContactFormModal
from crm.tui.screens.contacts import ContactsScreen
from crm.tui.screens.draft import DraftScreen
from crm.tui.screens.week import WeekScreen
from crm.tui.widgets.form import FormField
from tests.cli.test_terminal_escapes import COMPANY, EVERY, HOOK, NAME, NOTES

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SIZE = (160, 50)


def screen_text(app) -> str:
    """Every character the current screen would send to the terminal, styles apart (those are Textual's own)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def assert_shown_as_text(app, *expected: str) -> None:
    text = screen_text(app)
    raw = sorted({f"U+{ord(char):04X}" for char in CONTROL.findall(text)})
    assert not raw, f"{type(app.screen).__name__} sends raw control characters to the terminal: {raw}"
    for visible in ("\\u001b", *expected):
        assert visible in text, f"{visible!r} not on {type(app.screen).__name__}"


def seed_hostile(cli, db_path) -> None:
    """One contact whose name, company, hook and notes hold every payload, with a thank-you due today."""
    assert cli("contact", "add", "Eve Evil", "--company", "Acme").code == 0
    assert cli("hook", "add", "1", "a hook").code == 0
    assert cli("log", "1", "--kind", "chat", "--date", "2026-11-24", "--notes", "coffee chat").code == 0
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE contact SET name = ?, company = ?", (NAME, COMPANY))
        conn.execute("UPDATE hook SET text = ?", (HOOK,))
        conn.execute("UPDATE interaction SET notes = ?", (NOTES,))
    conn.close()


async def test_every_screen_shows_control_characters_as_text(cli, db_path, make_app):
    seed_hostile(cli, db_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WeekScreen)
        assert_shown_as_text(app, "Eve\\u001b[2J")

        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        assert_shown_as_text(app, "Eve\\u001b[2J")

        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        # The profile, the hook and the timeline: the window title, clipboard, link, hidden text, the line
        # overwrite, C1 and DEL, each as text.
        assert_shown_as_text(
            app, "\\u001b]0;pwned\\u0007", "\\u001b]52;c;ZXZpbA==\\u0007", "\\u001b]8;;https://evil.example/",
            "\\u001b[8mhidden", "\\u001b[1A\\u001b[2K\\u000dfake line", "\\u009b2J\\u009d0;t\\u009c", "x\\u007fy",
        )  # fmt: skip

        await pilot.press("e")  # the edit form: the stored values in Inputs (the values themselves untouched)
        await pilot.pause()
        assert isinstance(app.screen, ContactFormModal)
        assert app.screen.query_one("#name", FormField).value == NAME
        assert_shown_as_text(app, "Eve\\u001b[2J")
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("d")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DraftScreen)
        assert_shown_as_text(app, "Eve\\u001b[2J")

        app.notify(f"Logged a chat with {NAME}.", title=EVERY)
        await pilot.pause()
        assert_shown_as_text(app, "Logged a chat with", "Eve\\u001b[2J", "\\u001b]52;c;")  # the toast wraps
