"""The draft screen over the message size cap (issue 11, point 5): the cap's reason in the verdict, no crash."""

from __future__ import annotations

from textual.widgets import TextArea

from crm.outreach.checks import MAX_MESSAGE_CHARS
from crm.tui.screens.draft import DraftScreen
from tests.tui.test_draft import open_draft, verdict
from tests.tui.test_flows import SIZE


async def test_a_pasted_text_over_the_cap_says_so_and_the_draft_stays_open(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, "Arjun Mehta", from_week=False)
        text_area = screen.query_one("#draft-text", TextArea)
        original = text_area.text

        text_area.load_text("." * MAX_MESSAGE_CHARS + " x")  # 10,000 dots once took the check 3 s, per key
        await pilot.pause()
        assert isinstance(app.screen, DraftScreen)
        assert screen.result is None
        assert "limit is 20,000" in verdict(screen)

        text_area.load_text(original)
        await pilot.pause()
        assert screen.result is not None and "all checks pass" in verdict(screen)
