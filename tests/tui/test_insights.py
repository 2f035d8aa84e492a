"""Insights, Companies, warm paths and the prep brief in the app: Pilot flows on the demo network (today 2026-11-25)."""

from __future__ import annotations

import sqlite3

import pytest
from textual.widgets import DataTable, Sparkline, Static

from crm.insights.funnel import funnel
from crm.insights.templates_ab import TemplateStats
from crm.tui.screens.companies import CompaniesScreen
from crm.tui.screens.contact import ContactScreen
from crm.tui.screens.insights import InsightsScreen, interval_bar, stage_bar, template_lines
from crm.tui.screens.prep import PrepModal
from crm.tui.screens.week import WeekScreen
from tests.conftest import TODAY
from tests.tui.conftest import contact_id, open_contact, with_targets

SIZE = (100, 30)


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


async def settled(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


# -- Insights ---------------------------------------------------------------------------------------------


async def test_i_shows_the_funnel_the_trend_and_the_templates(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, InsightsScreen)
        expected = funnel(app.store.reader, today=TODAY)
        stages = text_of(screen, "#funnel-stages")
        for stage, count in expected.by_stage.items():
            assert f"{stage}" in stages and f"{count:>4}" in stages
        logged = text_of(screen, "#logged-counts")
        assert "messages sent      26" in logged
        assert "64% (7 of 11)" in logged and "median 2 days" in logged
        assert "chats              7" in logged and "intros             2" in logged
        assert "referrals offered  1" in logged
        for name in ("messages", "replies", "chats"):
            assert list(screen.query_one(f"#trend-{name}", Sparkline).data) == expected.series(name)
        assert "(no template) replies 31% (n=26, 16-50%)" in text_of(screen, "#template-lines")
        assert "better" not in text_of(screen, "#template-lines")  # one template: nothing to be better than


async def test_insights_reload_after_a_write(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await settled(pilot)
        await pilot.press("w")  # log a message from This week, then come back
        await pilot.pause()
        tom = contact_id(app, "Tom Becker")

        def change(session):
            from crm.contacts.interactions import log_interaction
            from crm.tui.actions import contact_in

            log_interaction(session=session, contact=contact_in(session, tom), kind="message", date=TODAY,
                            today=TODAY, notes="One more nudge")  # fmt: skip

        app.actions.write(change)
        await pilot.pause()
        await pilot.press("i")
        await settled(pilot)
        assert "messages sent      27" in text_of(app.screen, "#logged-counts")


def test_a_variant_is_marked_better_only_when_the_intervals_separate():
    clear = [TemplateStats("first-message-v2", 40, 30), TemplateStats("first-message-v1", 40, 5)]
    lines = [str(line) for line in template_lines(clear)]
    assert "first-message-v2 replies 75% (n=40, 59-86%)" in lines[0]
    assert "▲ better than first-message-v1" in lines[0]
    assert "better" not in lines[1]
    close = [TemplateStats("first-message-v2", 17, 7), TemplateStats("first-message-v1", 17, 5)]
    lines = [str(line) for line in template_lines(close)]
    assert "first-message-v2 replies 41% (n=17, 21-64%)" in lines[0]
    assert not any("▲" in line for line in lines)
    assert "No template is better yet" in lines[-1]


@pytest.mark.parametrize(
    ("low", "high", "rate", "bar"),
    [
        (0.0, 1.0, 0.5, "━━━━━━━━━━●━━━━━━━━━"),
        (0.21, 0.64, 0.41, "────━━━━●━━━━───────"),
        (0.0, 0.0, 0.0, "●───────────────────"),
        (1.0, 1.0, 1.0, "───────────────────●"),
    ],
)
def test_interval_bar(low, high, rate, bar):
    assert interval_bar(low, high, rate) == bar


def test_stage_bar_shows_any_contact_and_scales_to_the_largest():
    assert stage_bar(0, 10) == "" and stage_bar(1, 1000) == "█" and stage_bar(10, 10) == "█" * 20


# -- Companies --------------------------------------------------------------------------------------------


async def test_companies_list_targets_first_and_enter_opens_the_warmest(make_app, demo_db):
    with_targets(demo_db, "Figma", "netflix")
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, CompaniesScreen)
        table = screen.query_one(DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert [row[1] for row in rows] == ["Figma", "Netflix", "Cadenza Audio", "SoundCloud", "Spotify"]
        assert rows[0][:4] == ["★", "Figma", "0", "no one yet"]
        assert rows[4] == ["", "Spotify", "11", "Maya Chen (advocate)", "Nov 24", "Nov 18 Daniel"]
        cold = text_of(screen, "#companies-cold")
        assert "no one at Figma yet" in cold and "no one you've written to at Netflix yet" in cold
        # Nobody at Figma: enter says so and stays.
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert any("no one at Figma yet" in n.message for n in app._notifications)
        # Spotify: its warmest contact's page; escape comes back to the list.
        table.move_cursor(row=4)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen) and app.screen.contact_id == contact_id(app, "Maya Chen")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_insights_and_companies_are_in_the_palette(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Insights" in titles and "Companies" in titles
        assert "Prep for a coffee chat with Daniel Okafor" in titles
        commands = {command.title: command for command in app.get_system_commands(app.screen)}
        await commands["Companies"].callback()
        await settled(pilot)
        assert isinstance(app.screen, CompaniesScreen)
        await commands["Insights"].callback()
        await settled(pilot)
        assert isinstance(app.screen, InsightsScreen)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, WeekScreen)


async def test_no_insights_read_at_start_up(make_app, demo_db, monkeypatch):
    """The funnel and the companies are read when their screens are first shown, never before."""
    import crm.insights.companies
    import crm.insights.funnel

    calls = []
    monkeypatch.setattr(crm.insights.funnel, "funnel", lambda *a, **k: calls.append("funnel"))
    monkeypatch.setattr(crm.insights.companies, "companies", lambda *a, **k: calls.append("companies"))
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert calls == []


# -- the contact screen: warm path and prep -------------------------------------------------------------------


def introduce(db, introducer: str, contact: str) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE contact SET introduced_by_id = (SELECT id FROM contact WHERE name = ?) WHERE name = ?",
            (introducer, contact),
        )


async def test_the_contact_screen_shows_the_warm_path(make_app, demo_db):
    introduce(demo_db, "Maya Chen", "Marcus Lee")  # Maya -> Marcus -> Olivia
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_contact(pilot, "Olivia Grant")
        shown = " ".join(str(s.content) for s in app.screen.query(".row-value"))
        assert "Maya Chen -> Marcus Lee -> Olivia Grant" in shown
        assert "Introduced by" not in " ".join(str(s.content) for s in app.screen.query(".row-key"))


async def test_a_cycle_of_introductions_does_not_hang_the_contact_screen(make_app, demo_db):
    introduce(demo_db, "Olivia Grant", "Marcus Lee")  # Marcus introduced Olivia, and (bad data) she him
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_contact(pilot, "Olivia Grant")
        shown = " ".join(str(s.content) for s in app.screen.query(".row-value"))
        assert "Marcus Lee -> Olivia Grant" in shown


async def test_p_opens_the_prep_brief_and_escape_closes_it(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        maya = await open_contact(pilot, "Maya Chen")
        await pilot.press("p")
        await settled(pilot)
        modal = app.screen
        assert isinstance(modal, PrepModal)
        assert modal.brief is not None and modal.brief.contact["id"] == maya
        text = " ".join(str(s.content) for s in modal.query(Static))
        assert "Senior Product Manager · Personalization · Spotify" in text
        assert "MIT Alumni Directory" in text
        assert "6 messages, 2 replies, 2 chats, 1 referral; last Nov 24" in text
        assert "post on reducing playlist-loading latency" in text
        assert "Frame projects as metric -> decision -> result." in text
        assert "Campus music app API" in text
        for question in modal.brief.questions:
            assert question.text in text
        assert len(modal.brief.questions) == 3
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen) and app.screen.contact_id == maya


async def test_the_brief_shows_promises_still_open(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        jonah = contact_id(app, "Jonah Weiss")
        app.actions.run("prep", jonah)
        await settled(pilot)
        brief = app.screen.brief
        text = " ".join(str(s.content) for s in app.screen.query(Static))
        assert brief.open_promises, "the demo's Jonah has a chat with a next step and no message since"
        for promise in brief.open_promises:
            assert promise.next_step in text
