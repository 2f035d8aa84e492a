"""The log form after a coffee chat, driven with Pilot: advice, a suggested person added as a contact, a promise with a
date that This week then shows and `x` keeps; and typed notes never lost to a stray Esc."""

from __future__ import annotations

from textual.widgets import Checkbox, Select, TextArea

from crm.tui.screens.confirm_discard import ConfirmDiscard
from crm.tui.screens.contact import ContactScreen
from crm.tui.screens.week import WeekScreen
from crm.tui.widgets.due_list import DueList
from crm.tui.widgets.form import FormField
from tests.tui.conftest import contact_id, open_log_form, type_text

SIZE = (80, 24)


def rows(app, sql: str, *params) -> list[tuple]:
    return app.store.reader.execute(sql, params).fetchall()


async def test_esc_after_the_kind_menu_asks_before_the_notes_are_gone(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = rows(app, "SELECT count(*) FROM interaction")
        modal = await open_log_form(pilot, "Maya Chen", kind="chat")
        await type_text(pilot, "She liked the latency post")
        await pilot.press("shift+tab", "shift+tab")  # notes -> date -> kind
        kind = modal.query_one("#kind", Select)
        assert kind.has_focus
        await pilot.press("enter")  # the Kind menu opens
        await pilot.pause()
        assert kind.expanded
        await pilot.press("escape")  # closes the menu
        await pilot.pause()
        assert not kind.expanded and app.screen is modal
        await pilot.press("escape")  # used to close the form and lose the notes
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDiscard)
        assert "Discard your notes?" in str(app.screen.query_one("#confirm-message").render())
        await pilot.press("escape")  # Esc keeps editing: a third stray Esc loses nothing either
        await pilot.pause()
        assert app.screen is modal
        assert modal.query_one("#notes", TextArea).text == "She liked the latency post"
        await pilot.press("ctrl+q")  # quitting is not possible from a form
        await pilot.pause()
        assert app.is_running and app.screen is modal
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")  # discard, this time on purpose
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        assert rows(app, "SELECT count(*) FROM interaction") == before


async def test_an_untouched_form_closes_at_once(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_log_form(pilot, "Maya Chen")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)


async def test_a_chat_with_advice_a_suggested_contact_and_a_promise_due_this_week(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        maya = contact_id(app, "Maya Chen")
        modal = await open_log_form(pilot, "Maya Chen", kind="chat")
        await type_text(pilot, "Coffee chat about podcasts")
        modal.query_one("#advice", FormField).value = "talk to the podcast team first"
        modal.query_one("#suggested", FormField).value = "Jia Song, Spotify; Sam Ode"
        await pilot.pause()
        boxes = list(modal.query("#suggested-adds Checkbox").results(Checkbox))
        assert [str(box.label) for box in boxes] == ["Add Jia Song (Spotify) as a contact", "Add Sam Ode as a contact"]
        assert not any(box.value for box in boxes)
        boxes[0].focus()
        await pilot.press("space")  # tick Jia: add her as a contact introduced by Maya
        await pilot.pause()
        # Editing the line keeps the tick on Jia's box.
        modal.query_one("#suggested", FormField).value = "Jia Song, Spotify; Sam Ode; Lee Park"
        await pilot.pause()
        assert [box.value for box in modal.query("#suggested-adds Checkbox").results(Checkbox)] == [True, False, False]
        next_step = modal.query_one("#next-step", FormField)
        next_step.value = "send the skip-rate analysis by Friday"
        await pilot.pause()
        assert str(next_step.query_one(".field-message").render()) == "→ a promise, due Fri Nov 27"
        modal.query_one("#promises", FormField).value = "read her post on cold-start"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        assert any("Promise due Fri Nov 27: send the skip-rate analysis" in n.message for n in app._notifications)
        # Stored: the advice and names on the chat, Jia as a contact introduced by Maya, Sam only noted.
        [(advice, suggested)] = rows(app, "SELECT advice, suggested FROM interaction WHERE contact_id = ? AND"
                                          " kind = 'chat' ORDER BY id DESC LIMIT 1", maya)  # fmt: skip
        assert advice == "talk to the podcast team first" and suggested == "Jia Song (Spotify)\nSam Ode\nLee Park"
        assert rows(app, "SELECT company, introduced_by_id FROM contact WHERE name = 'Jia Song'") == [("Spotify", maya)]
        assert rows(app, "SELECT id FROM contact WHERE name = 'Sam Ode'") == []
        # Her page lists what I promised; the timeline shows the advice.
        page = " ".join(str(s.render()) for s in app.screen.query(".row-value"))
        assert "talk to the podcast team first" in page and "Suggested: Jia Song (Spotify), Sam Ode, Lee Park" in page
        promises = " ".join(str(s.render()) for s in app.screen.query("#contact-promises .row-value"))
        assert "send the skip-rate analysis" in promises and "read her post on cold-start" in promises
        # This week: the promise on Friday, with its text, beside Maya's own follow-up.
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, WeekScreen)
        due_list = app.screen.query_one(DueList)
        [(promise_id,)] = rows(app, "SELECT id FROM promise WHERE due IS NOT NULL")
        option_id = f"promise-{promise_id}-{maya}"
        assert "promise: send the skip-rate analysis" in str(due_list.get_option(option_id).prompt)
        assert f"due-{maya}" in [o.id for o in due_list.options]
        due_list.highlighted = due_list.get_option_index(option_id)
        await pilot.pause()
        assert app.screen.selected_contact_id() == maya  # l, d, enter work on the promise's contact
        follow_up = rows(app, "SELECT next_follow_up, next_follow_up_reason FROM contact WHERE id = ?", maya)
        await pilot.press("x")  # keeps the promise, not Maya's follow-up
        await pilot.pause()
        assert rows(app, "SELECT done_on FROM promise WHERE id = ?", promise_id) == [("2026-11-25",)]
        assert rows(app, "SELECT next_follow_up, next_follow_up_reason FROM contact WHERE id = ?", maya) == follow_up
        assert option_id not in [o.id for o in due_list.options] and f"due-{maya}" in [o.id for o in due_list.options]
        assert any("Done: send the skip-rate analysis (your promise to Maya Chen)" in n.message
                   for n in app._notifications)  # fmt: skip


async def test_a_dated_next_step_from_the_date_field(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        modal = await open_log_form(pilot, "Jonah Weiss", kind="chat")
        await type_text(pilot, "Second call")
        modal.query_one("#next-step", FormField).value = "send the notes"
        modal.query_one("#next-step-due", FormField).value = "Dec 2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        assert rows(app, "SELECT text, due, from_next_step FROM promise") == [("send the notes", "2026-12-02", 1)]


async def test_what_cannot_be_read_stays_in_the_form_and_nothing_is_written(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        modal = await open_log_form(pilot, "Maya Chen", kind="chat")
        await type_text(pilot, "Chat")
        before = rows(app, "SELECT count(*) FROM interaction")
        promises = modal.query_one("#promises", FormField)
        promises.value = "send the deck @someday"
        await pilot.pause()
        assert "after ' @' comes the date" in promises.error
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is modal
        promises.value = "send the deck @fri"
        next_step = modal.query_one("#next-step", FormField)
        next_step.value = "send it @someday"  # shown as it is typed, refused on saving
        await pilot.pause()
        assert "after ' @' comes the date" in next_step.error
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is modal and "after ' @' comes the date" in str(modal.query_one("#form-error").render())
        next_step.value = ""
        modal.query_one("#next-step-due", FormField).value = "Dec 2"  # a date for no next step
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is modal and "a date for what?" in modal.query_one("#next-step-due", FormField).error
        modal.query_one("#next-step-due", FormField).value = ""
        modal.query_one("#suggested", FormField).value = "Maya Chen"
        await pilot.pause()
        modal.query_one("#add-suggested-0", Checkbox).value = True
        await pilot.press("ctrl+s")  # the domain refuses: shown in the form, which stays open
        await pilot.pause()
        assert app.screen is modal
        assert "cannot suggest talking to themselves" in str(modal.query_one("#form-error").render())
        assert rows(app, "SELECT count(*) FROM interaction") == before and rows(app, "SELECT * FROM promise") == []


async def test_a_message_asks_for_no_advice_or_names(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        modal = await open_log_form(pilot, "Maya Chen", kind="chat")
        assert modal.query_one("#advice").display and modal.query_one("#suggested").display
        modal.query_one("#kind", Select).value = "message"
        await pilot.pause()
        assert not modal.query_one("#advice").display and not modal.query_one("#suggested").display
        assert modal.query_one("#promises").display  # a promise can go with a message too


def test_the_log_form_after_a_chat_at_80x24(snap_compare, make_sqlite_app, demo_db):
    """Filled in and scrolled to the promises: everything reachable at 80x24."""

    async def run_before(pilot):
        await pilot.pause()
        modal = await open_log_form(pilot, "Maya Chen", kind="chat")
        await type_text(pilot, "Coffee chat")
        modal.query_one("#advice", FormField).value = "talk to the podcast team"
        modal.query_one("#suggested", FormField).value = "Jia Song, Spotify; Lee Park"
        await pilot.pause()
        modal.query_one("#add-suggested-0", Checkbox).value = True
        modal.query_one("#next-step", FormField).value = "send the skip-rate analysis by Friday"
        modal.query_one("#promises", FormField).value = "read her post; intro her to Sam @Dec 3"
        modal.query_one("#promises", FormField).focus()
        await pilot.pause()
        modal.query_one("#form-body").scroll_end(animate=False)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(make_sqlite_app(demo_db), terminal_size=SIZE, run_before=run_before)
