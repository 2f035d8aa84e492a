"""The app's add form says, before saving, that someone may already be there (as `crm contact add` warns), by the
rules of `crm contact list --duplicates`; a second save adds them all the same."""

from __future__ import annotations

from crm.tui.widgets.form import FormField

SIZE = (100, 32)


def count(app, name: str) -> int:
    return app.store.reader.execute("SELECT count(*) FROM contact WHERE name = ?", (name,)).fetchone()[0]


async def add_in_the_form(pilot, name: str, company: str):
    """`a`, the name and company typed, saved: the form, whether or not it is still open."""
    await pilot.pause()
    await pilot.press("a")
    await pilot.pause()
    form = pilot.app.screen
    form.query_one("#name", FormField).value = name
    form.query_one("#company", FormField).value = company
    await pilot.press("ctrl+s")
    await pilot.pause()
    return form


async def test_adding_maya_again_warns_first_and_adds_on_the_second_save(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        form = await add_in_the_form(pilot, "maya chen", "Spotify")
        assert app.screen is form and count(app, "maya chen") == 0
        error = str(form.query_one("#form-error").render())
        assert "may already be here: #" in error and "Maya Chen (Spotify)" in error, error
        assert "Save again to add them anyway" in error
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert count(app, "maya chen") == 1 and app.screen is not form


async def test_someone_new_saves_at_once(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        form = await add_in_the_form(pilot, "Ines Duarte", "Figma")
        assert count(app, "Ines Duarte") == 1 and app.screen is not form
