"""This week's follow-ups, grouped (overdue, today, later this week), then who has not answered yet."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from textual import events, on
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from crm.dates import short_date, weekday_date
from crm.followups.reads import Awaiting, DueItem, group_due
from crm.tui.formatting import days_ago, due_label

LABEL_WIDTH = 12


# NamedTuples, not frozen dataclasses: defined while the app starts, they cost a fifth as much (first paint).
class Below(NamedTuple):
    """What This week lists under the follow-ups: the newest of those awaiting a reply, and ideas."""

    awaiting: list[Awaiting]
    ideas: list[str]


class Entry(NamedTuple):
    """One contact's line: drawn again when highlighted (plain colours read on the cursor) or resized."""

    option_id: str
    label: str
    label_style: str
    name: str
    company: str | None
    detail: str
    note: str | None = None  # in a club: who else touched them lately (crm.club.fatigue)

    def prompt(self, *, width: int, highlighted: bool = False) -> Content:
        pad = " " * max(1, LABEL_WIDTH - len(self.label))
        firm = f" · {self.company}" if self.company else ""
        # Wrapped by hand so a long reason hangs under the name, not under the date.
        detail = _hanging(self.detail, width)
        note = () if self.note is None else (("\n" + _hanging(f"Club: {self.note}.", width), "$text-warning"),)
        # Assembled from styled parts rather than parsed from markup: ~15x faster, which shows at hundreds of rows.
        return Content.assemble(
            (self.label, "b" if highlighted else self.label_style),
            pad,
            (self.name, "b"),
            (firm, "" if highlighted else "$text-muted"),
            "\n" + detail,
            *note,
        )


def _hanging(text: str, width: int) -> str:
    lines = textwrap.wrap(text, max(20, width - LABEL_WIDTH - 2)) or [""]
    return "\n".join(" " * LABEL_WIDTH + line for line in lines)


# What to press next on an empty This week: a new network (the welcome was left) or a quiet week.
EMPTY_NETWORK_NEXT = (
    ("a", "add someone you want to reach"),
    ("ctrl+p", "then “Import LinkedIn connections”: bring in everyone at once"),
    ("y", "your profile and projects, which first messages cite"),
)
NOTHING_DUE_NEXT = (
    ("c", "your contacts: d on one drafts a message, l logs a reply or chat"),
    ("a", "add a contact"),
)
AWAITING_NEXT = ("l", "on someone awaiting a reply (below): log their answer")


_END = object()


def _screenful(rows: Iterator[Option | Entry | None], lines: int) -> Iterator[Option | Entry | None]:
    """The first rows, as many as fill `lines` lines and not one more taken from `rows`: an entry takes two lines or
    more (its name, then its reason), a heading, hint or separator one or more. (Counting each row as one line
    built twice the rows the first frame shows.)"""
    filled = 0
    while filled < lines:
        row = next(rows, _END)
        if row is _END:
            return
        yield row
        filled += 2 if isinstance(row, Entry) else 1


def _heading(text: str, count: int | None = None) -> Option:
    suffix = f" ({count})" if count is not None else ""
    return Option(Content.from_markup("[b $text-primary]$text[/]$suffix", text=text, suffix=suffix), disabled=True)


class DueList(OptionList):
    """Options are contacts (ids `due-N`, `awaiting-N`) and promises (`promise-P-N`: promise P to contact N);
    headings and ideas are disabled options."""

    DEFAULT_CSS = """
    DueList > .option-list--option-disabled {
        color: $text;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: dict[str, Entry] = {}
        self._shown: dict | None = None
        self._width = 0
        self._generation = 0  # bumped by every show, so a stale batch of rows is never added
        self._holding = True  # until the app's first frame is on screen (first_frame_shown)
        self._rest: tuple[Iterator[Option | Entry | None], int, int] | None = None

    @property
    def text_width(self) -> int:
        return self.scrollable_content_region.width or self.size.width or 80

    def show(
        self,
        *,
        today: dt.date,
        week_end: dt.date,
        due: list[DueItem],
        awaiting_total: int,
        below: Callable[[], Below],
        empty_network: bool = False,
        prefer: str | None = None,
        club_notes: dict[int, str] | None = None,
    ) -> None:
        """Replace the options, keeping the highlight on the same contact where it is still listed (on `prefer`,
        when given and listed). `empty_network`: nobody in it yet, so what to press first is shown.

        Before the app's first frame, only the rows that fill the screen are built; the rest follow once it
        is shown. `below` (those awaiting a reply, ideas) is asked for only when its rows are reached: on a
        big network it is far below the fold, and reading it would hold up the first paint.
        """
        self._shown = {
            "today": today,
            "week_end": week_end,
            "due": due,
            "awaiting_total": awaiting_total,
            "below": below,
            "empty_network": empty_network,
            "club_notes": club_notes,
        }
        self._generation += 1
        if not self.size.width:
            self._width = 0  # not laid out yet: shown once its width is known (on_resize)
            return
        kept = self.highlighted_option.id if self.highlighted_option is not None else None
        kept_index = self.highlighted
        if prefer is not None:
            kept = prefer  # the index stays as the fallback, should it not be listed
        width = self._width = self.text_width
        self._entries = {}
        rows = self._rows(
            today=today, week_end=week_end, due=due, awaiting_total=awaiting_total, below=below,
            empty_network=empty_network, club_notes=club_notes or {},
        )  # fmt: skip
        if kept is None and self._holding:  # before the first frame: the top of the list, the rest once it is shown
            self.set_options(self._as_options(_screenful(rows, self.size.height), width))
            self._restore(None, None)
            self._rest = (rows, width, self._generation)
        else:
            self.set_options(self._as_options(rows, width))
            self._restore(kept, kept_index)

    def first_frame_shown(self) -> None:
        """The app's first frame is on screen: add the rows held back from it, and hold none back from now on."""
        self._holding = False
        if self._rest is not None:
            rows, width, generation = self._rest
            self._rest = None
            if generation == self._generation:  # else a newer show has replaced the list meanwhile
                self.add_options(self._as_options(rows, width))

    def _rows(
        self,
        *,
        today: dt.date,
        week_end: dt.date,
        due: list[DueItem],
        awaiting_total: int,
        below: Callable[[], Below],
        empty_network: bool = False,
        club_notes: dict[int, str],
    ) -> Iterator[Option | Entry | None]:
        """The list top to bottom; None is a separator, and entries become options as they are added."""
        groups = group_due(due, today=today)
        if not due:
            yield _heading("No contacts yet" if empty_network else "Nothing due this week")
            hints = EMPTY_NETWORK_NEXT if empty_network else NOTHING_DUE_NEXT
            for key, what in (AWAITING_NEXT, *hints) if awaiting_total else hints:
                yield self._hint(key, what)
        sections = (
            ("Overdue", groups.overdue, "b $text-error"),
            ("Today", groups.today, "b $text-warning"),
            (f"Later this week (to {weekday_date(week_end, today=today)})", groups.later, "$text-accent"),
        )
        for number, (title, items, style) in enumerate([section for section in sections if section[1]]):
            if number:
                yield None
            yield _heading(title, len(items))
            for item in items:
                due_on = due_label(item.due, today=today)
                # A promise is its own row (ids end in the contact's: selected_contact_id reads them alike).
                promise = item.key.startswith("promise-")
                option_id = f"{item.key}-{item.contact_id}" if promise else f"due-{item.contact_id}"
                note = None if promise else club_notes.get(item.contact_id)
                yield Entry(option_id, due_on, style, item.name, item.company, item.reason, note)
        rest = below()
        if rest.awaiting:
            yield None
            yield _heading("Awaiting reply", awaiting_total)
            for person in reversed(rest.awaiting):  # the newest message first: the oldest were nudged long ago
                detail = f"messaged {short_date(person.since, today=today)}, no answer yet"
                since = days_ago(person.since, today=today)
                yield Entry(f"awaiting-{person.contact_id}", since, "$text-muted", person.name, person.company, detail)
            if (earlier := awaiting_total - len(rest.awaiting)) > 0:
                more = f"… and {earlier} more, messaged earlier (stage 'contacted' in Contacts)"
                yield Option(Content.from_markup("[$text-muted]$more[/]", more=more), disabled=True)
        if rest.ideas:
            yield None
            yield _heading("Ideas")
            for idea in rest.ideas:
                text = "\n".join(textwrap.wrap(idea, max(20, self._width - 2)))
                yield Option(Content.from_markup("[$text-muted]$idea[/]", idea=text), disabled=True)

    def _hint(self, key: str, what: str) -> Option:
        """'  a       add someone you want to reach': a key to press and what it does, wrapped under its text."""
        lines = textwrap.wrap(what, max(20, (self._width or self.text_width) - LABEL_WIDTH - 2)) or [""]
        text = ("\n" + " " * LABEL_WIDTH).join(lines)
        return Option(Content.assemble((f"  {key}".ljust(LABEL_WIDTH), "b"), (text, "$text-muted")), disabled=True)

    def _as_options(self, rows: Iterable[Option | Entry | None], width: int) -> list[Option | None]:
        return [self._option(row, width) if isinstance(row, Entry) else row for row in rows]

    def _option(self, entry: Entry, width: int) -> Option:
        self._entries[entry.option_id] = entry
        return Option(entry.prompt(width=width), id=entry.option_id)

    def _restore(self, option_id: str | None, old_index: int | None) -> None:
        """The same contact if still listed, else whoever now sits where it was (after done or snooze)."""
        enabled = [i for i, option in enumerate(self.options) if not option.disabled]
        index = None
        if option_id is not None:
            index = next((i for i in enabled if self.options[i].id == option_id), None)
        if index is None and old_index is not None:
            index = next((i for i in enabled if i >= old_index), enabled[-1] if enabled else None)
        if index is None and enabled:
            index = enabled[0]
        self.highlighted = index
        self._redraw_highlight(None)

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        super().watch_highlighted(new)
        if self._entries:
            self._redraw_highlight(old)

    def _redraw_highlight(self, old: int | None) -> None:
        for index in {old, self.highlighted} - {None}:
            if index >= self.option_count:
                continue
            option = self.get_option_at_index(index)
            entry = self._entries.get(option.id or "")
            if entry is not None:
                prompt = entry.prompt(width=self._width, highlighted=index == self.highlighted)
                self.replace_option_prompt_at_index(index, prompt)

    @on(events.Resize)
    def _resized(self) -> None:
        if self._shown is not None and self.text_width != self._width:
            self.show(**self._shown)

    def selected_contact_id(self) -> int | None:
        option = self.highlighted_option
        if option is None or option.id is None or option.disabled:
            return None
        return int(option.id.rsplit("-", 1)[1])
