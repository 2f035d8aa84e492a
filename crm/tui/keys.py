"""Every key the app binds, declared once: the screens bind these, and the help screen and README list them.

A binding's `description` is its word in the footer; its `tooltip` is the line the help screen and the README
show. Regenerate the README's key table with `python -m crm.tui.keys` (a test fails when it is stale).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import NamedTuple

from textual.app import App
from textual.binding import Binding


# A NamedTuple, not a frozen dataclass: this module loads before the app's first paint, and it is cheaper to define.
class Key(NamedTuple):
    """A key that is not a binding of ours (Textual's own, or a widget's), listed beside the bindings."""

    key: str
    tooltip: str


# -- everywhere (the app's bindings) -------------------------------------------------------------------

SHOW_WEEK = Binding("w", "show_week", "Week", tooltip="This week: due and overdue follow-ups, awaiting reply")
SHOW_CONTACTS = Binding("c", "show_contacts", "Contacts", tooltip="Contacts: everyone, sortable, with a filter")
SHOW_INSIGHTS = Binding(
    "i", "show_insights", "Insights",
    tooltip="Insights: funnel, reply rate, weekly trend, A/B by template",
)  # fmt: skip
# Not in every footer (they are full at 80 columns): Insights shows it, the help and the palette list it.
SHOW_COMPANIES = Binding(
    "t", "show_companies", "Companies", show=False,
    tooltip="Companies: who you know where, warmest contact, cold targets",
)  # fmt: skip
SHOW_PROFILE = Binding(
    "y", "show_profile", "You", show=False,
    tooltip="You: your profile and projects, as drafts cite them",
)  # fmt: skip
# Shown in the footer by the week and contacts screens (ADD_HERE), where adding someone is what you came to do.
ADD_CONTACT = Binding("a", "add_contact", "Add", show=False, tooltip="Add a contact")
HELP = Binding("question_mark", "help", "Help", key_display="?", tooltip="This help")
QUIT = Binding("q", "quit", "Quit", tooltip="Quit")
PALETTE = Key(App.COMMAND_PALETTE_BINDING, "Command palette: every action; go to any contact")

APP = [SHOW_WEEK, SHOW_CONTACTS, SHOW_INSIGHTS, SHOW_COMPANIES, SHOW_PROFILE, ADD_CONTACT, HELP, QUIT]

# -- on a selected contact (This week, Contacts, contact detail) -------------------------------------------

OPEN = Binding("enter", "open", "Open", tooltip="Open the contact: profile, hooks, timeline")
LOG = Binding("l", "log", "Log", tooltip="Log an interaction: message, reply, chat, intro...")
DONE = Binding("x", "done", "Done", tooltip="Mark the follow-up or promise done")
UNDO_DONE = Binding(
    "u", "app.undo_done", "Undo", show=False,
    tooltip="Undo the last x (done), for a few seconds after it",
)  # fmt: skip
SNOOZE = Binding("s", "snooze", "Snooze", tooltip="Snooze the follow-up (+3d, Dec 1, ...)")
DRAFT = Binding("d", "draft", "Draft", tooltip="Draft a message: template, live checks, mark sent")

ON_CONTACT = [LOG, DONE, UNDO_DONE, SNOOZE, DRAFT]
ADD_HERE = Binding("a", "app.add_contact", "Add")

# -- screen by screen ------------------------------------------------------------------------------------

BACK = Binding("escape", "back", "Back", tooltip="Back")

# Priority: the text area would otherwise take these keys (ctrl+y is its redo).
COPY = Binding("ctrl+y", "copy", "Copy", priority=True, tooltip="Copy the text to the clipboard")
SAVE_DRAFT = Binding("ctrl+s", "save", "Save draft", priority=True, tooltip="Save it as a draft")
# crm sends no mail: you send it, then mark it sent. ctrl+t, because tmux and many terminals never deliver ctrl+enter
# (kept as an alias where they do).
MARK_SENT = Binding(
    "ctrl+t", "send", "Mark sent", priority=True,
    tooltip="Mark it sent (crm sends no mail): logs it, says what is next",
)  # fmt: skip
MARK_SENT_ALIAS = Binding("ctrl+enter", "send", "Mark sent", show=False, priority=True, tooltip="Mark it sent, too")
COPY_AND_MARK = Binding(
    "ctrl+b", "copy_and_send", "Copy+mark", priority=True,
    tooltip="Copy the text and mark it sent, in one step",
)  # fmt: skip
RERENDER = Binding("ctrl+r", "rerender", "Re-render", tooltip="Re-render from the template (drops your edits)")
# What a draft is missing, filled in place. In the text these are letters: the draft opens on the list of what is
# missing while something is (its first button focused), where each key works while what it fills is missing, and
# any other letter goes into the text.
DRAFT_TAB = Key(
    "tab",
    "From the text to what it is missing (shift+tab back). The keys below work there, where the draft opens"
    " while something is missing",
)
FILL_PROFILE = Binding("y", "fill('profile')", "Profile", show=False, tooltip="Fill in your profile, in place")
FILL_PROJECT = Binding("n", "fill('project')", "Project", show=False, tooltip="Add a project, in place")
FILL_HOOK = Binding("h", "fill('hook')", "Hook", show=False, tooltip="Add a hook for them, in place")
FILL_CONTACT = Binding("e", "fill('contact')", "Edit them", show=False, tooltip="Edit their details, in place")
FILL_LOG = Binding("l", "fill('log')", "Log", show=False, tooltip="Log the chat or reply the template cites, in place")
DRAFT_FILL = [FILL_PROFILE, FILL_PROJECT, FILL_HOOK, FILL_CONTACT, FILL_LOG]
DRAFT_SCREEN = [BACK, COPY, SAVE_DRAFT, MARK_SENT, MARK_SENT_ALIAS, COPY_AND_MARK, RERENDER, *DRAFT_FILL]

RESUME_DRAFT = Key("enter", "Carry on with the saved draft picked (or the fresh one)")
FRESH_DRAFT = Binding("escape", "fresh", "Fresh draft", tooltip="Start a fresh draft instead")
SAVED_DRAFTS = [FRESH_DRAFT]

FILTER = Binding(
    "slash", "focus_filter", "Filter", key_display="/",
    tooltip="Filter as you type: name, company, team, tag, hook, notes",
)  # fmt: skip
SORT = Binding("o", "next_sort", "Sort", tooltip="Sort by the next column (or click a header)")
REVERSE = Binding("O", "reverse_sort", "Reverse", show=False, tooltip="Reverse the sort")
LEAVE_FILTER = Binding("escape", "leave_filter", "Back", tooltip="From the filter to the table; again to clear it")
LEAVE_FILTER_DOWN = Binding("down", "leave_filter", show=False)
CONTACTS_SCREEN = [OPEN, *ON_CONTACT, FILTER, SORT, REVERSE, ADD_HERE, LEAVE_FILTER, LEAVE_FILTER_DOWN]

EDIT = Binding("e", "edit", "Edit", tooltip="Edit the contact")
ADD_HOOK = Binding("h", "add_hook", "Hook", tooltip="Add a hook: their post, talk or launch to cite")
MERGE = Binding("m", "merge", "Merge", tooltip="Merge a duplicate into this contact: its history moves here")
PREP = Binding(
    "p", "prep", "Prep",
    tooltip="Prep a coffee chat: hooks, earlier chats, promises, questions",
)  # fmt: skip
CONTACT_SCREEN = [BACK, *ON_CONTACT, EDIT, ADD_HOOK, MERGE, PREP]

EDIT_PROFILE = Binding(
    "e", "app.edit_profile", "Edit profile", tooltip="Edit your profile: name, school, year, major, target"
)
ADD_PROJECT = Binding("n", "app.add_project", "Add project", tooltip="Add a project you shipped, with its result")
PROFILE_SCREEN = [EDIT_PROFILE, ADD_PROJECT]

# Insights and Companies show each other's key (Companies is in no other footer).
TO_COMPANIES = Binding("t", "app.show_companies", "Companies")
INSIGHTS_SCREEN = [TO_COMPANIES]
OPEN_WARMEST = Binding("enter", "open", "Open warmest", tooltip="Open the company's warmest contact")
COMPANIES_SCREEN = [OPEN_WARMEST]

CLOSE_PREP = Binding("escape", "close", "Close", tooltip="Close the brief")
PREP_MODAL = [CLOSE_PREP, Binding("q", "close", "Close", show=False), Binding("p", "close", "Close", show=False)]

WEEK_SCREEN = [OPEN, *ON_CONTACT, ADD_HERE]

SAVE = Binding("ctrl+s", "save", "Save", priority=True, tooltip="Save")
CANCEL = Binding("escape", "cancel", "Cancel", tooltip="Cancel")
FORM = [SAVE, CANCEL]

# The "Discard your changes?" dialog: y or d discards; Esc or n keeps editing (a second Esc never loses work).
DISCARD = Binding("y", "discard", "Discard", tooltip="Discard the unsaved text")
KEEP = Binding("escape", "keep", "Keep editing", tooltip="Keep editing (n too)")
CONFIRM_DISCARD = [DISCARD, KEEP, Binding("d", "discard", show=False), Binding("n", "keep", show=False)]

PREVIEW_IMPORT = Key("enter", "Read the file and show what importing it would do (nothing is written)")
COMPLETE_PATH = Key("tab", "Complete the file path (→ too)")
IMPORT = Binding("ctrl+s", "import", "Import", priority=True, tooltip="Import: write what the summary shows")
IMPORT_MODAL = [IMPORT, CANCEL]

PICK_DUPLICATE = Key("enter", "Pick the duplicate (type to filter the list): shows what moves, what conflicts")
CONFIRM_MERGE = Binding("ctrl+s", "merge", "Merge", priority=True, tooltip="Merge: carry out what the summary shows")
MERGE_BACK = Binding("escape", "back", "Back", tooltip="Back to the list; from the list, close")
MERGE_MODAL = [CONFIRM_MERGE, MERGE_BACK]

CLOSE_HELP = [
    Binding("escape", "close", "Close"),
    Binding("q", "close", "Close", show=False),
    Binding("question_mark", "close", "Close", show=False),
]

WELCOME = [
    Binding("y", "setup", "Set up", tooltip="Set up: your profile, then a project (each step skippable)"),
    Binding("n", "add_project", "Project", show=False, tooltip="Add a project you shipped"),
    Binding("s", "choose('demo')", "Sample data", tooltip="Load sample data: a fictional network to try crm on"),
    Binding("a", "choose('add')", "Add a contact", tooltip="Add your first contact"),
    Binding("i", "choose('linkedin')", "Import", tooltip="Import your LinkedIn connections (Connections.csv)"),
    Binding("escape", "choose('skip')", "Start empty", tooltip="Start with an empty network"),
]

# What the help screen and the README list, section by section.
SECTIONS: tuple[tuple[str, tuple[Binding | Key, ...]], ...] = (
    (
        "Everywhere",
        (SHOW_WEEK, SHOW_CONTACTS, SHOW_INSIGHTS, SHOW_COMPANIES, SHOW_PROFILE, ADD_CONTACT, PALETTE, HELP, QUIT),
    ),
    ("On a selected contact (this week, contacts, detail)", (OPEN, *ON_CONTACT)),
    ("Draft", (COPY, SAVE_DRAFT, MARK_SENT, MARK_SENT_ALIAS, COPY_AND_MARK, RERENDER, DRAFT_TAB, *DRAFT_FILL, BACK)),
    ("Saved drafts (on opening a draft)", (RESUME_DRAFT, FRESH_DRAFT)),
    ("Contacts", (FILTER, SORT, REVERSE, LEAVE_FILTER)),
    ("Contact detail", (EDIT, ADD_HOOK, MERGE, PREP, BACK)),
    ("You", (EDIT_PROFILE, ADD_PROJECT)),
    ("Companies", (OPEN_WARMEST,)),
    ("Coffee-chat prep", (Key("up/down", "Scroll the brief"), CLOSE_PREP)),
    (
        "Forms",
        (Key("tab", "Next field (shift+tab: previous)"), Key("enter", "Save, from a one-line field"), SAVE, CANCEL),
    ),
    ("Discard your changes?", (DISCARD, KEEP)),
    ("Import LinkedIn connections", (COMPLETE_PATH, PREVIEW_IMPORT, IMPORT, CANCEL)),
    ("Merge a duplicate", (PICK_DUPLICATE, CONFIRM_MERGE, MERGE_BACK)),
    ("First run, on an empty database", tuple(WELCOME)),
)


def shown_key(key: Binding | Key) -> str:
    """The key as people read it: '?' rather than 'question_mark'."""
    if isinstance(key, Key):
        return key.key
    return key.key_display or key.key


def sections() -> list[tuple[str, list[tuple[str, str]]]]:
    """(section, [(key, what it does)]) for the help screen and the README."""
    return [(title, [(shown_key(key), key.tooltip) for key in keys]) for title, keys in SECTIONS]


README_START = "<!-- keys:start -->"
README_END = "<!-- keys:end -->"


def readme_table() -> str:
    """The README's key table (between its markers), one section per block."""
    lines = ["| key | what it does |", "|---|---|"]
    for title, keys in sections():
        lines.append(f"| **{title}** | |")
        lines += [f"| `{key}` | {what} |" for key, what in keys]
    return "\n".join(lines)


_README_BLOCK = re.compile(re.escape(README_START) + r"\n.*?\n" + re.escape(README_END), re.DOTALL)


def readme_with_keys(readme: str) -> str:
    """`readme` with the text between the key-table markers replaced by the generated table."""
    if not _README_BLOCK.search(readme):
        raise ValueError(f"README has no {README_START} ... {README_END} block")
    return _README_BLOCK.sub(lambda _: f"{README_START}\n{readme_table()}\n{README_END}", readme, count=1)


def main(argv: list[str]) -> int:
    """`python -m crm.tui.keys [README.md]`: rewrite the README's key table from the bindings."""
    path = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "README.md"
    text = path.read_text(encoding="utf-8")
    updated = readme_with_keys(text)
    if updated != text:
        path.write_text(updated, encoding="utf-8")
        print(f"updated the key table in {path}")
    else:
        print(f"the key table in {path} is current")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
