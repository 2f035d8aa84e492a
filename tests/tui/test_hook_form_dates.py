"""The app's hook form reads a weekday as the one just gone: a post or a talk to cite came out already."""

from __future__ import annotations

from crm.tui.widgets.form import FormField
from tests.tui.conftest import contact_id

SIZE = (100, 32)


async def test_a_hook_dated_tue_is_the_tuesday_just_gone(make_app, demo_db):
    app = make_app(demo_db)  # today: Wednesday Nov 25
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        maya = contact_id(app, "Maya Chen")
        app.actions.add_hook(maya)
        await pilot.pause()
        form = app.screen
        form.query_one("#text", FormField).value = "keynote on playlist latency"
        form.query_one("#date", FormField).value = "tue"
        await pilot.press("ctrl+s")
        await pilot.pause()
        row = app.store.reader.execute(
            "SELECT date FROM hook WHERE contact_id = ? AND text = ?", (maya, "keynote on playlist latency")
        ).fetchone()
        assert row is not None and str(row[0])[:10] == "2026-11-24"
