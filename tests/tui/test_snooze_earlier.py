"""The app's snooze form and `x` (brief H): a snooze moves a follow-up later, a weekday in it faces ahead, and `x` on
an unanswered nudge schedules nothing more. The demo network, today Wed 2026-11-25."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Static

from crm.tui.screens.snooze import SnoozeModal
from crm.tui.screens.week import WeekScreen
from crm.tui.widgets.form import DateField
from tests.conftest import TODAY
from tests.tui.conftest import contact_id

SIZE = (100, 30)


def due_of(app, contact: int) -> str | None:
    row = app.store.reader.execute("SELECT next_follow_up FROM contact WHERE id = ?", (contact,)).fetchone()
    return None if row[0] is None else str(row[0])[:10]


def hint(field: DateField) -> str:
    return str(field.query_one(".field-message", Static).content)


async def open_snooze(pilot, contact: int) -> SnoozeModal:
    pilot.app.actions.snooze(contact)
    await pilot.pause()
    assert isinstance(pilot.app.screen, SnoozeModal)
    return pilot.app.screen


async def test_a_snooze_before_the_follow_ups_date_stays_in_the_form_and_writes_nothing(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        sofia = contact_id(app, "Sofia Alvarez")  # nudge due Wed Dec 2
        assert due_of(app, sofia) == "2026-12-02"
        modal = await open_snooze(pilot, sofia)
        field = modal.query_one("#until", DateField)
        for typed in ("+3d", "today", "fri", "Dec 1"):
            field.value = typed
            await pilot.pause()
            modal.action_save()
            await pilot.pause()
            assert app.screen is modal, typed
            # Said under the date (the app passes the follow-up's date to the form) or, from a save, above the form
            error = str(modal.query_one("#form-error", Static).content) + str(
                field.query_one(".field-message", Static).content
            )
            assert "is before the follow-up's date, Wed Dec 2: snooze only moves it later" in error, typed
            assert due_of(app, sofia) == "2026-12-02"
        field.value = "Dec 9"
        await pilot.pause()
        modal.action_save()
        await pilot.pause()
        assert isinstance(app.screen, WeekScreen)
        assert due_of(app, sofia) == "2026-12-09"


async def test_a_weekday_in_the_snooze_form_is_the_next_one_never_today(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        daniel = contact_id(app, "Daniel Okafor")  # overdue: any day from today on
        modal = await open_snooze(pilot, daniel)
        field = modal.query_one("#until", DateField)
        field.value = "wed"  # today is a Wednesday
        await pilot.pause()
        assert hint(field) == "→ Wed Dec 2"
        field.value = "in 2 weeks"
        await pilot.pause()
        assert hint(field) == "→ Wed Dec 9"
        for typed, words in (("next fri", "could be Fri Nov 27 or Fri Dec 4"), ("+99999d", "too far ahead"),
                             ("next week", "names no one day"), ("3.12", "could be Mar 12 or Dec 3")):  # fmt: skip
            field.value = typed
            await pilot.pause()
            assert field.error is not None and words in field.error, typed
            modal.action_save()
            await pilot.pause()
            assert app.screen is modal
        field.value = "31/12"
        await pilot.pause()
        assert hint(field) == "→ Thu Dec 31"
        modal.action_save()
        await pilot.pause()
        assert due_of(app, daniel) == "2026-12-31"


async def test_the_form_told_the_follow_ups_date_offers_a_later_one_and_refuses_an_earlier_one(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        saved: list[dt.date] = []
        due = dt.date(2026, 12, 7)
        modal = SnoozeModal(contact_name="Maya Chen", today=TODAY, save=lambda day: saved.append(day) or day, due=due)
        app.push_screen(modal)
        await pilot.pause()
        field = modal.query_one("#until", DateField)
        assert field.value == "2026-12-10"  # +3d would not move it later: three days after its date instead
        field.value = "+3d"
        await pilot.pause()
        modal.action_save()
        await pilot.pause()
        assert field.error == "2026-11-28 is before the follow-up's date, Mon Dec 7: snooze only moves it later"
        assert saved == [] and app.screen is modal
        field.value = "Dec 7"
        await pilot.pause()
        modal.action_save()
        await pilot.pause()
        assert saved == [due]


async def test_x_on_an_unanswered_nudge_schedules_nothing_more(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tom = contact_id(app, "Tom Becker")  # one message, no reply: the nudge is overdue
        app.actions.done(tom)
        await pilot.pause()
        assert due_of(app, tom) is None
        assert any(
            "Marked Tom Becker's follow-up done; nothing more is scheduled" in n.message for n in app._notifications
        )
