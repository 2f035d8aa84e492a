"""Small defects an outside tester found, in the app: a kept promise promised again in the thank-you, the log
form's example dates, the team shown twice in a contact's header after a merge, near-copies among prep's questions.
Every test runs on both engines (make_app); today is Wed 2026-11-25."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from textual.widgets import Input, Static, TextArea

from crm.dates import parse_date
from crm.insights.prep import near_copy
from crm.tui.screens.draft import DraftScreen
from crm.tui.screens.log_form import next_friday
from crm.tui.screens.prep import PrepModal
from crm.tui.screens.week import WeekScreen
from tests.conftest import TODAY
from tests.tui.conftest import contact_id, open_contact, open_log_form, type_text
from tests.tui.test_flows import SIZE, highlight
from tests.tui.test_insights import settled
from tests.tui.test_merge import open_merge

ME = ("me", "--name", "Alex Rivera", "--school", "MIT", "--year", "junior", "--major", "Course 6-3", "--target", "x")


def draft_text(app) -> str:
    assert isinstance(app.screen, DraftScreen)
    return app.screen.query_one("#draft-text", TextArea).text


async def back_to_week(pilot) -> None:
    await pilot.press("escape")
    await pilot.pause()
    assert isinstance(pilot.app.screen, WeekScreen)


# --------------------------------------------------------------------------- defect 9, with x and u in This week
async def test_x_on_the_promise_turns_the_thank_yous_promise_into_done_and_u_brings_it_back(cli, db_path, make_app):
    for args in (
        ME,
        ("contact", "add", "Maya Chen", "--company", "Spotify"),
        ("log", "maya", "--kind", "chat", "--date", "yesterday", "--notes", "call",
         "--takeaways", "latency budgets per surface", "--next-step", "send her my A/B one-pager by Friday"),
    ):  # fmt: skip
        assert cli(*args).code == 0
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        maya = contact_id(app, "Maya Chen")
        await highlight(pilot, f"due-{maya}")  # the thank-you, due today
        await pilot.press("d")
        await pilot.pause()
        assert "As promised, I'll send you my A/B one-pager by Friday." in draft_text(app)
        await back_to_week(pilot)

        await highlight(pilot, f"promise-1-{maya}")
        await pilot.press("x")  # kept
        await pilot.pause()
        assert app.store.reader.execute("SELECT done_on FROM promise WHERE id = 1").fetchone()[0] is not None
        await highlight(pilot, f"due-{maya}")
        await pilot.press("d")
        await pilot.pause()
        text = draft_text(app)
        assert "As promised, I've sent you my A/B one-pager." in text and "I'll send" not in text
        assert app.screen.result.ok
        await back_to_week(pilot)

        await pilot.press("u")  # not kept after all: promised again
        await pilot.pause()
        assert app.store.reader.execute("SELECT done_on FROM promise WHERE id = 1").fetchone()[0] is None
        await highlight(pilot, f"due-{maya}")
        await pilot.press("d")
        await pilot.pause()
        assert "As promised, I'll send you my A/B one-pager by Friday." in draft_text(app)


# --------------------------------------------------------------------------- the log form's example dates
@pytest.mark.parametrize("offset", range(7))
def test_the_example_friday_is_a_friday_within_the_week_ahead(offset):
    today = TODAY + dt.timedelta(days=offset)
    friday = next_friday(today)
    assert friday.weekday() == 4 and today < friday <= today + dt.timedelta(days=7)


async def test_the_log_forms_example_dates_are_true_ones(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        modal = await open_log_form(pilot, "Maya Chen", kind="chat")
        due = modal.query_one("#next-step-due Input", Input).placeholder
        assert due == "Fri Nov 27 (optional: a promise)"  # Nov 27 2026 is a Friday; Dec 3 was a Thursday
        example = due.split(" (", 1)[0]
        assert parse_date(example, today=TODAY) == dt.date(2026, 11, 27)
        assert parse_date(example, today=TODAY).weekday() == 4
        follow_up = modal.query_one("#follow-up Input", Input).placeholder
        assert follow_up == "+2w, Dec 9 (optional: else by the rules)"
        assert parse_date("+2w", today=TODAY) == parse_date("Dec 9", today=TODAY)
        assert modal.query_one("#promises Input", Input).placeholder == "read her post; send the deck by Nov 27"


# --------------------------------------------------------------------------- the header after a merge
def add_tomas_twice(db: Path) -> None:
    """Tomás as LinkedIn had him (the team inside his position), and again by hand with the team on its own."""
    with sqlite3.connect(db) as conn:
        for name, role, team in (
            ("Tomás Villanueva", "Product Manager, Discovery", None),
            ("Tomas Villanueva", None, "Discovery"),
        ):
            conn.execute(
                "INSERT INTO contact (name, company, role, team, stage, archived, created_at, updated_at)"
                " VALUES (?, 'Spotify', ?, ?, 'identified', 0, '2026-11-01 00:00:00', '2026-11-01 00:00:00')",
                (name, role, team),
            )


def header_text(app) -> str:
    return str(app.screen.query_one("#contact-title", Static).render())


async def test_after_a_merge_the_header_does_not_repeat_the_team_the_role_names(make_app, demo_db):
    add_tomas_twice(demo_db)
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tomas = contact_id(app, "Tomas Villanueva")
        modal = await open_merge(pilot, "Tomás Villanueva")
        await type_text(pilot, "tomas")
        await pilot.pause()
        modal.query_one("OptionList").highlighted = modal.query_one("OptionList").get_option_index(f"merge-{tomas}")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        kept = contact_id(app, "Tomás Villanueva")
        assert app.store.reader.execute("SELECT role, team FROM contact WHERE id = ?", (kept,)).fetchone() == (
            "Product Manager, Discovery",
            "Discovery",
        )
        header = header_text(app)
        assert "Product Manager, Discovery · Spotify" in header
        assert "Discovery · Discovery" not in header and header.count("Discovery") == 1


async def test_a_header_with_distinct_parts_shows_each(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_contact(pilot, "Maya Chen")
        assert "Senior Product Manager · Personalization · Spotify" in header_text(app)


# --------------------------------------------------------------------------- prep: who, and three questions
async def test_the_prep_brief_names_the_team_once_and_asks_three_distinct_questions(make_app, demo_db):
    add_tomas_twice(demo_db)
    with sqlite3.connect(demo_db) as conn:  # leave the one with both parts, as a merge does
        conn.execute("UPDATE contact SET team = 'Discovery' WHERE name = 'Tomás Villanueva'")
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_contact(pilot, "Tomás Villanueva")
        await pilot.press("p")
        await settled(pilot)
        modal = app.screen
        assert isinstance(modal, PrepModal)
        text = " ".join(str(s.content) for s in modal.query(Static))
        assert "Product Manager, Discovery · Spotify" in text and "Discovery · Discovery" not in text
        questions = [q.text for q in modal.brief.questions]
        assert questions == [
            "What's one product decision on Discovery you wish someone had questioned earlier?",
            "How does the Discovery team decide what to build next?",
            "Which metric do you watch most closely, and why that one?",  # not "What's one product decision..."
        ]
        assert all(not near_copy(a, b) for i, a in enumerate(questions) for b in questions[i + 1 :]), questions
        for question in questions:
            assert question in text
