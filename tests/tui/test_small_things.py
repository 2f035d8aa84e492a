"""Issue 14.7's small things in the app: `x` (done) can be undone with `u` for a few seconds, for a follow-up and
for a promise; an empty This week says what to press next, one way for a new network, another for a quiet week."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from sqlmodel import select

from crm.contacts.interactions import record_interaction
from crm.contacts.writes import ContactChanges, create_contact
from crm.dates import weekday_date
from crm.models import Contact
from crm.store.store import Store
from crm.tui.actions import UNDO_SECONDS
from crm.tui.screens.contact import ContactScreen
from crm.tui.screens.week import WeekScreen
from crm.tui.widgets.due_list import DueList
from tests.conftest import TODAY
from tests.tui.conftest import contact_id

SIZE = (80, 24)


def contact_row(app, cid: int) -> dict:
    cursor = app.store.reader.execute("SELECT * FROM contact WHERE id = ?", (cid,))
    return dict(zip([column[0] for column in cursor.description], cursor.fetchone(), strict=True))


def due_ids(app) -> list[str]:
    return [option.id for option in app.screen.query_one(DueList).options if option.id]


def highlighted_id(app) -> str | None:
    option = app.screen.query_one(DueList).highlighted_option
    return option.id if option is not None else None


def toasts(app) -> list[str]:
    return [n.message for n in app._notifications]


def later(app, seconds: float) -> None:
    """Move the undo window's clock on, rather than waiting."""
    app.actions.clock = lambda: time.monotonic() + seconds


def write(db_path, change) -> None:
    store = Store(db_path).open()
    try:
        with store.write() as session:
            change(session)
    finally:
        store.close()


def promise_to_maya(db_path) -> None:
    def change(session):
        maya = session.exec(select(Contact).where(Contact.name == "Maya Chen")).one()
        record_interaction(
            session=session, contact=maya, kind="note", date=TODAY, today=TODAY, notes="deck",
            promises=["send the deck @fri"],
        )  # fmt: skip

    write(db_path, change)


async def test_u_puts_a_follow_up_back_as_it_was_and_the_cursor_on_it(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        daniel = contact_id(app, "Daniel Okafor")
        assert highlighted_id(app) == f"due-{daniel}"
        before, listed = contact_row(app, daniel), due_ids(app)
        await pilot.press("x")
        await pilot.pause()
        assert f"due-{daniel}" not in due_ids(app) and contact_row(app, daniel) != before
        assert any(t.startswith("Marked Daniel Okafor's follow-up done; next due ") and t.endswith(" · u to undo")
                   for t in toasts(app)), toasts(app)  # fmt: skip
        await pilot.press("u")
        await pilot.pause()
        assert contact_row(app, daniel) == before
        assert due_ids(app) == listed and highlighted_id(app) == f"due-{daniel}"
        due = weekday_date(dt.date.fromisoformat(before["next_follow_up"]), today=TODAY)
        assert toasts(app) == [f"Undone: Daniel Okafor's follow-up is back, due {due}."]  # "u to undo" is gone
        await pilot.press("u")  # once only
        await pilot.pause()
        assert contact_row(app, daniel) == before
        assert any("Nothing to undo" in t for t in toasts(app))


async def test_u_reopens_a_promise_and_leaves_the_follow_up_alone(make_app, demo_db):
    promise_to_maya(demo_db)
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        maya = contact_id(app, "Maya Chen")
        [(promise_id,)] = app.store.reader.execute("SELECT id FROM promise WHERE done_on IS NULL").fetchall()
        option_id = f"promise-{promise_id}-{maya}"
        due_list = app.screen.query_one(DueList)
        due_list.highlighted = due_list.get_option_index(option_id)
        await pilot.pause()
        follow_up = contact_row(app, maya)
        await pilot.press("x")
        await pilot.pause()
        assert option_id not in due_ids(app)
        assert "Done: send the deck (your promise to Maya Chen) · u to undo" in toasts(app)
        await pilot.press("u")
        await pilot.pause()
        assert app.store.reader.execute("SELECT done_on FROM promise").fetchall() == [(None,)]
        assert contact_row(app, maya) == follow_up
        assert highlighted_id(app) == option_id
        assert toasts(app) == ["Undone: your promise to Maya Chen is open again (send the deck)."]


async def test_u_after_the_window_does_nothing(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        daniel = contact_id(app, "Daniel Okafor")
        await pilot.press("x")
        await pilot.pause()
        done = contact_row(app, daniel)
        later(app, UNDO_SECONDS + 1)
        await pilot.press("u")
        await pilot.pause()
        assert contact_row(app, daniel) == done and f"due-{daniel}" not in due_ids(app)
        assert any(t.startswith("Nothing to undo: u undoes x (done) for 8 seconds") for t in toasts(app))


@pytest.mark.sqlite_only  # another process changes the contact through sqlite3
async def test_u_is_refused_when_the_contact_changed_meanwhile(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        daniel = contact_id(app, "Daniel Okafor")
        await pilot.press("x")
        await pilot.pause()

        def reply(session):  # from the CLI, say, within the few seconds
            record_interaction(
                session=session, contact=session.get(Contact, daniel), kind="reply", date=TODAY, today=TODAY
            )

        write(demo_db, reply)
        changed = contact_row(app, daniel)
        await pilot.press("u")
        await pilot.pause()
        assert contact_row(app, daniel) == changed
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert errors == ["nothing undone: Daniel Okafor changed since (their follow-up is as it is now)"]


async def test_u_brings_back_the_last_follow_up_of_an_emptied_week(make_app, empty_db):
    def chatted_long_ago(session):  # her keep-in-touch is overdue, and nobody else is listed
        maya = create_contact(session=session, changes=ContactChanges(name="Maya Chen"), today=TODAY)
        record_interaction(session=session, contact=maya, kind="chat", date=TODAY - dt.timedelta(days=40), today=TODAY)

    write(empty_db, chatted_long_ago)
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        maya = contact_id(app, "Maya Chen")
        assert due_ids(app) == [f"due-{maya}"]
        await pilot.press("x")
        await pilot.pause()
        assert due_ids(app) == [] and week_text(app).startswith("Nothing due this week")
        enabled = {b.action: on for _, b, on, _ in app.screen.active_bindings.values()}
        assert enabled["done"] is False and enabled["app.undo_done"] is True  # x is dimmed, u is not
        await pilot.press("u")
        await pilot.pause()
        assert due_ids(app) == [f"due-{maya}"] and highlighted_id(app) == f"due-{maya}"
        assert app.screen.check_action("done", ()) is True


async def test_u_works_on_a_contacts_page_too(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # Daniel, the first overdue
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        daniel = app.screen.contact_id
        before = contact_row(app, daniel)
        await pilot.press("x")
        await pilot.pause()
        assert contact_row(app, daniel) != before
        await pilot.press("u")
        await pilot.pause()
        assert contact_row(app, daniel) == before


# -- the empty This week ------------------------------------------------------------------------------------------


def week_text(app) -> str:
    return "\n".join(str(option.prompt) for option in app.screen.query_one(DueList).options)


async def test_an_empty_network_says_what_to_press_first(make_app, empty_db):
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # "Start empty" on the welcome
        await pilot.pause()
        assert isinstance(app.screen, WeekScreen)
        text = week_text(app)
        assert text.startswith("No contacts yet") and "Nothing due" not in text
        assert "add someone you want to reach" in text and "Import LinkedIn connections" in text
        footer = {b.action: enabled for _, b, enabled, _ in app.screen.active_bindings.values()}
        assert footer["draft"] is False and footer["done"] is False  # dimmed: nobody to act on
        await pilot.press("a")  # the first hint works
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ContactFormModal"


async def test_a_quiet_week_says_what_to_press_next(make_app, empty_db):
    write(empty_db, lambda s: create_contact(session=s, changes=ContactChanges(name="Maya Chen"), today=TODAY))
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WeekScreen)  # someone is in the network: no welcome
        text = week_text(app)
        assert text.startswith("Nothing due this week") and "No contacts yet" not in text
        assert "d on one drafts a message" in text and "add a contact" in text
        assert "awaiting a reply" not in text  # nobody is
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("d")  # what the hint says: Maya's first message
        await pilot.pause()
        assert app.screen.__class__.__name__ == "DraftScreen"


def test_the_empty_network_week_at_80x24(snap_compare, make_sqlite_app, empty_db):
    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(make_sqlite_app(empty_db), terminal_size=SIZE, run_before=run_before)


def test_the_quiet_week_at_80x24(snap_compare, make_sqlite_app, empty_db):
    write(empty_db, lambda s: create_contact(session=s, changes=ContactChanges(name="Maya Chen"), today=TODAY))

    async def run_before(pilot):
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(make_sqlite_app(empty_db), terminal_size=SIZE, run_before=run_before)
