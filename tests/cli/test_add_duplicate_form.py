"""The app's add form, given `look_alike`: the first save of someone who may already be there writes nothing and
says who; saving again adds them (as `crm contact add` adds them with a warning)."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Static

from crm.contacts.fields import ContactChanges
from crm.tui.screens.contact_form import ContactFormModal
from crm.tui.widgets.form import FormField
from tests.conftest import TODAY

WARNING = "Maya Chen may already be here: #1 Maya Chen (Spotify), same name at Spotify."


class Host(App):
    def __init__(self, modal: ContactFormModal) -> None:
        super().__init__()
        self.modal = modal
        self.results: list[int | None] = []

    def on_mount(self) -> None:
        self.push_screen(self.modal, self.results.append)


def form(look_alike=None, initial=None):
    saved: list[ContactChanges] = []
    asked: list[ContactChanges] = []

    def save(changes: ContactChanges) -> int:
        saved.append(changes)
        return 7

    def alike(changes: ContactChanges) -> str | None:
        asked.append(changes)
        return look_alike(changes) if look_alike else None

    modal = ContactFormModal(
        today=TODAY, save=save, initial=initial, look_alike=alike if look_alike is not False else None
    )
    return modal, saved, asked


def error_text(modal: ContactFormModal) -> str:
    return str(modal.query_one("#form-error", Static).render())


def maya_is_there(changes: ContactChanges) -> str | None:
    return WARNING if (changes.name or "").casefold() == "maya chen" else None


async def fill(pilot, modal, **values):
    for field_id, text in values.items():
        modal.query_one(f"#{field_id}", FormField).value = text
    await pilot.pause()


async def test_first_save_warns_and_writes_nothing_second_save_adds():
    modal, saved, asked = form(maya_is_there)
    app = Host(modal)
    async with app.run_test() as pilot:
        await pilot.pause()
        await fill(pilot, modal, name="Maya Chen", company="Spotify")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert saved == [] and app.screen is modal
        assert error_text(modal) == f"{WARNING} Save again to add them anyway, or Esc to go back."
        assert [c.name for c in asked] == ["Maya Chen"]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [(c.name, c.company) for c in saved] == [("Maya Chen", "Spotify")]
        assert len(asked) == 1  # not asked again for the same person
        assert app.results == [7]


async def test_changing_who_after_the_warning_asks_again():
    modal, saved, asked = form(maya_is_there)
    app = Host(modal)
    async with app.run_test() as pilot:
        await pilot.pause()
        await fill(pilot, modal, name="Maya Chen", company="Spotify")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await fill(pilot, modal, company="Google")  # another person now: asked afresh
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert saved == [] and len(asked) == 2 and "Save again" in error_text(modal)
        await fill(pilot, modal, name="Ivan Petrov")  # nobody like him: saved on the first try
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [c.name for c in saved] == ["Ivan Petrov"] and app.results == [7]


async def test_nobody_alike_saves_at_once():
    modal, saved, asked = form(lambda changes: None)
    app = Host(modal)
    async with app.run_test() as pilot:
        await pilot.pause()
        await fill(pilot, modal, name="Ivan Petrov")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [c.name for c in saved] == ["Ivan Petrov"] and len(asked) == 1 and app.results == [7]


async def test_a_missing_name_is_refused_before_any_lookup():
    modal, saved, asked = form(maya_is_there)
    app = Host(modal)
    async with app.run_test() as pilot:
        await pilot.pause()
        await fill(pilot, modal, company="Spotify")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert saved == [] and asked == [] and app.screen is modal
        assert modal.query_one("#name", FormField).has_class("-invalid")


async def test_without_look_alike_the_form_saves_as_before():
    modal, saved, asked = form(False, initial={"name": "Maya Chen"})  # the edit form: no lookup
    app = Host(modal)
    async with app.run_test() as pilot:
        await pilot.pause()
        await fill(pilot, modal, company="Spotify")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [(c.name, c.company) for c in saved] == [(None, "Spotify")] and asked == [] and app.results == [7]
