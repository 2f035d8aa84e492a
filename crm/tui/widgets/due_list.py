"""This week's follow-ups, grouped (overdue, today, later this week), then who has not answered yet."""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass

from textual import events, on
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from crm.followups.reads import Awaiting, DueItem
from crm.tui.formatting import days_ago, due_label, short_date, weekday_date

LABEL_WIDTH = 12


@dataclass(frozen=True)
class Entry:
    """One contact's line: drawn again when highlighted (plain colours read on the cursor) or resized."""

    option_id: str
    label: str
    label_style: str
    name: str
    company: str | None
    detail: str

    def prompt(self, *, width: int, highlighted: bool = False) -> Content:
        pad = " " * max(1, LABEL_WIDTH - len(self.label))
        firm = f" · {self.company}" if self.company else ""
        # Wrapped by hand so a long reason hangs under the name, not under the date.
        lines = textwrap.wrap(self.detail, max(20, width - LABEL_WIDTH - 2)) or [""]
        detail = "\n".join(" " * LABEL_WIDTH + line for line in lines)
        # Assembled from styled parts rather than parsed from markup: ~15x faster, which shows at hundreds of rows.
        return Content.assemble(
            (self.label, "b" if highlighted else self.label_style),
            pad,
            (self.name, "b"),
            (firm, "" if highlighted else "$text-muted"),
            "\n" + detail,
        )


def _heading(text: str, count: int | None = None) -> Option:
    suffix = f" ({count})" if count is not None else ""
    return Option(Content.from_markup("[b $text-primary]$text[/]$suffix", text=text, suffix=suffix), disabled=True)


class DueList(OptionList):
    """Options are contacts (ids `due-N`, `awaiting-N`); headings and ideas are disabled options."""

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

    @property
    def text_width(self) -> int:
        return self.scrollable_content_region.width or self.size.width or 80

    def show(
        self,
        *,
        today: dt.date,
        week_end: dt.date,
        due: list[DueItem],
        awaiting: list[Awaiting],
        ideas: list[str],
        awaiting_total: int | None = None,
    ) -> None:
        """Replace the options, keeping the highlight on the same contact where it is still listed."""
        self._shown = {
            "today": today,
            "week_end": week_end,
            "due": due,
            "awaiting": awaiting,
            "ideas": ideas,
            "awaiting_total": awaiting_total,
        }
        awaiting_total = len(awaiting) if awaiting_total is None else awaiting_total
        kept = self.highlighted_option.id if self.highlighted_option is not None else None
        kept_index = self.highlighted
        width = self._width = self.text_width
        self._entries = {}
        overdue = [item for item in due if item.due < today]
        due_today = [item for item in due if item.due == today]
        later = [item for item in due if item.due > today]
        options: list[Option | None] = []
        if not due:
            options.append(_heading("Nothing due this week"))
        for title, items, style in (
            ("Overdue", overdue, "b $text-error"),
            ("Today", due_today, "b $text-warning"),
            (f"Later this week (to {weekday_date(week_end, today=today)})", later, "$text-accent"),
        ):
            if not items:
                continue
            if options:
                options.append(None)
            options.append(_heading(title, len(items)))
            for item in items:
                entry = Entry(
                    f"due-{item.contact_id}",
                    due_label(item.due, today=today),
                    style,
                    item.name,
                    item.company,
                    item.reason,
                )
                options.append(self._option(entry, width))
        if awaiting:
            options.append(None)
            options.append(_heading("Awaiting reply", awaiting_total))
            for person in reversed(awaiting):  # the newest message first: the oldest were nudged long ago
                detail = f"messaged {short_date(person.since, today=today)}, no answer yet"
                entry = Entry(
                    f"awaiting-{person.contact_id}",
                    days_ago(person.since, today=today),
                    "$text-muted",
                    person.name,
                    person.company,
                    detail,
                )
                options.append(self._option(entry, width))
            if awaiting_total > len(awaiting):
                more = f"… and {awaiting_total - len(awaiting)} more, messaged earlier (stage 'contacted' in Contacts)"
                options.append(Option(Content.from_markup("[$text-muted]$more[/]", more=more), disabled=True))
        if ideas:
            options.append(None)
            options.append(_heading("Ideas"))
            for idea in ideas:
                text = "\n".join(textwrap.wrap(idea, max(20, width - 2)))
                options.append(Option(Content.from_markup("[$text-muted]$idea[/]", idea=text), disabled=True))
        self.set_options(options)
        self._restore(kept, kept_index)

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
