"""The draft screen: live word count and checks as you type, copy, save, send (logs the message)."""

from __future__ import annotations

from textual.widgets import Select, Static, TextArea

from crm.tui.screens.draft import DraftScreen
from crm.tui.screens.week import WeekScreen
from tests.tui.conftest import app_db, contact_id
from tests.tui.test_flows import SIZE, highlight


async def open_draft(pilot, name: str, *, from_week: bool = True) -> DraftScreen:
    """Press d on their row in This week, or (for someone not due) open the draft directly."""
    app = pilot.app
    await pilot.pause()
    cid = contact_id(app, name)
    if from_week:
        await highlight(pilot, f"due-{cid}")
        await pilot.press("d")
    else:
        app.actions.draft(cid)
    await pilot.pause()
    assert isinstance(app.screen, DraftScreen)
    return app.screen


def verdict(screen) -> str:
    return str(screen.query_one("#draft-verdict", Static).render())


async def test_checks_update_as_the_text_changes_then_send_logs_the_message(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, "Arjun Mehta", from_week=False)
        text_area = screen.query_one("#draft-text", TextArea)
        assert text_area.text.startswith("Hi Arjun,") and "No ask for a referral" in text_area.text
        assert "all checks pass" in verdict(screen) and "/ 100 words" in verdict(screen)
        words_before = screen.result.words

        text_area.move_cursor(text_area.document.end)
        text_area.insert(" Could you refer me for the APM role?")
        await pilot.pause()
        assert "problem" in verdict(screen)
        assert {p.check for p in screen.result.problems} == {"referral_ask", "question"}
        assert screen.result.words == words_before + 8
        problems = str(screen.query_one("#draft-problems", Static).render())
        assert "refer me for the APM role" in problems

        await pilot.press("ctrl+enter")  # refused: a failing draft is never sent
        await pilot.pause()
        assert isinstance(app.screen, DraftScreen)

        text_area.undo()
        await pilot.pause()
        assert screen.result.ok
        screen.query_one("#draft-send").press()
        await pilot.pause()
        assert isinstance(app.screen, WeekScreen)

    with app_db(app) as conn:
        arjun = conn.execute(
            "SELECT id, next_follow_up, next_follow_up_reason FROM contact WHERE name = 'Arjun Mehta'"
        ).fetchone()
        kinds = conn.execute("SELECT kind, notes FROM interaction WHERE contact_id = ?", (arjun[0],)).fetchall()
        drafts = conn.execute(
            "SELECT template, sent_on, interaction_id FROM draft WHERE contact_id = ?", (arjun[0],)
        ).fetchall()
    assert kinds[0][0] == "message" and kinds[0][1].startswith("Hi Arjun,")
    assert arjun[1] == "2026-12-04" and arjun[2].startswith("nudge")
    assert drafts == [("first-message", "2026-11-25", drafts[0][2])] and drafts[0][2] is not None


async def test_the_template_follows_what_is_due_and_can_be_changed(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, "Hannah Park")  # a nudge is due today
        assert screen.template_name == "nudge"
        assert screen.query_one("#draft-text", TextArea).text.startswith("Hi Hannah,")
        assert "/ 60 words" in verdict(screen)
        screen.query_one("#draft-template", Select).value = "first-message"
        await pilot.pause()
        assert "/ 100 words" in verdict(screen)
        assert "No ask for a referral" in screen.query_one("#draft-text", TextArea).text


async def test_save_copy_and_missing_data(make_app, demo_db):
    app = make_app(demo_db)
    copied = []
    app.copy_to_clipboard = copied.append
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, "Arjun Mehta", from_week=False)
        await pilot.press("ctrl+y")
        assert copied and copied[0].startswith("Hi Arjun,")
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen.query_one("#draft-template", Select).value = "thank-you"  # Arjun has had no chat
        await pilot.pause()
        assert "2 to fill in" in verdict(screen)  # the chat's date and takeaways stand in the text as [...]
        assert "no chat with Arjun Mehta is logged yet" in str(screen.query_one("#draft-gaps-text", Static).render())
        assert "[the chat's date]" in screen.query_one("#draft-text", TextArea).text
        await pilot.press("ctrl+enter")  # placeholders fail the checks: a notification, not a crash, nothing sent
        await pilot.pause()
        assert isinstance(app.screen, DraftScreen)
    with app_db(app) as conn:
        assert conn.execute("SELECT count(*), max(sent_on) FROM draft").fetchone() == (1, None)


async def test_the_template_that_fits_a_referral_is_the_thank_you_for_it(make_app, demo_db):
    """Maya referred me yesterday: her draft opens on referral-thanks (it used to fall through to first-message)."""
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, "Maya Chen")
        assert screen.template_name == "referral-thanks"
        assert screen.query_one("#draft-template", Select).value == "referral-thanks"


async def test_a_template_that_is_not_installed_falls_back_to_first_message_with_a_notice(
    make_app, demo_db, monkeypatch
):
    from crm.outreach.render import list_templates

    older = [t for t in list_templates() if t.name != "referral-thanks"]  # as before that template was added
    monkeypatch.setattr("crm.tui.screens.draft.survey_templates", lambda: (older, []))
    monkeypatch.setattr("crm.tui.screens.draft.list_templates", lambda: older)
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, "Maya Chen")
        assert screen.template_name == "first-message"
        assert screen.query_one("#draft-text", TextArea).text.startswith("Hi Maya,")
        notices = [n.message for n in app._notifications if n.severity == "warning"]
        assert any("referral-thanks" in m and "first-message" in m for m in notices)
