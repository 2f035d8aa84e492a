"""One list of keys: the screens bind them, the help screen lists them, the README's table is made from them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from textual.binding import Binding

from crm.tui import keys
from crm.tui.app import CrmApp
from crm.tui.screens.companies import CompaniesScreen
from crm.tui.screens.confirm_discard import ConfirmDiscard
from crm.tui.screens.contact import ContactScreen
from crm.tui.screens.contacts import ContactsScreen
from crm.tui.screens.draft import DraftScreen
from crm.tui.screens.form_modal import FormModal
from crm.tui.screens.help import help_text
from crm.tui.screens.insights import InsightsScreen
from crm.tui.screens.linkedin_import import LinkedInImportModal
from crm.tui.screens.merge import MergeModal
from crm.tui.screens.prep import PrepModal
from crm.tui.screens.profile import ProfileScreen
from crm.tui.screens.saved_drafts import SavedDraftsModal
from crm.tui.screens.week import WeekScreen
from crm.tui.screens.welcome import WelcomeScreen

README = Path(__file__).resolve().parents[2] / "README.md"
SCREENS = (
    CrmApp, WeekScreen, ContactsScreen, ContactScreen, DraftScreen, FormModal, WelcomeScreen, LinkedInImportModal,
    MergeModal, InsightsScreen, CompaniesScreen, PrepModal, ProfileScreen, SavedDraftsModal, ConfirmDiscard,
)  # fmt: skip


def listed() -> list[Binding | keys.Key]:
    return [key for _, section in keys.SECTIONS for key in section]


def test_every_key_in_a_footer_is_listed_in_the_help():
    in_help = listed()
    for screen in SCREENS:
        for binding in screen.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.show or binding.tooltip:
                # The same object or the same key and action ('a' is bound twice, to show it in two footers).
                assert any(
                    key is binding or (isinstance(key, Binding) and (key.key, key.action.removeprefix("app."))
                                       == (binding.key, binding.action.removeprefix("app.")))
                    for key in in_help
                ), f"{screen.__name__}: {binding.key} ({binding.action}) is not in crm.tui.keys.SECTIONS"  # fmt: skip


def test_the_help_screen_shows_every_listed_key():
    text = str(help_text())
    for key in listed():
        assert keys.shown_key(key) in text and key.tooltip in text


def test_the_readme_key_table_is_generated_from_the_bindings():
    readme = README.read_text(encoding="utf-8")
    assert keys.README_START in readme and keys.README_END in readme
    assert keys.readme_with_keys(readme) == readme, "README's key table is stale: run `python -m crm.tui.keys`"


def test_the_table_lists_every_key_and_python_m_regenerates_it(tmp_path):
    table = keys.readme_table()
    for title, entries in keys.sections():
        assert f"**{title}**" in table
        assert all(f"| `{key}` | {what} |" in table for key, what in entries)
    stale = tmp_path / "README.md"
    stale.write_text(f"# crm\n\n{keys.README_START}\n| old |\n{keys.README_END}\n\nrest\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "crm.tui.keys", str(stale)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert stale.read_text(encoding="utf-8") == f"# crm\n\n{keys.README_START}\n{table}\n{keys.README_END}\n\nrest\n"


def test_every_key_is_set_apart_from_its_description_in_the_help():
    """ "ctrl+enterMark it sent" read as one word: the key column fits the longest key, plus two spaces."""
    text = str(help_text())
    for key in listed():
        assert f"{keys.shown_key(key)}  " in text, f"{keys.shown_key(key)} runs into its description"
