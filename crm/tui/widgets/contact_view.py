"""One contact, read-only: the profile, their hooks, and the timeline newest first."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Label, Static

from crm.dates import weekday_date
from crm.tui.formatting import as_date, date_label, due_label

KIND_STYLES = {
    "message": "$text-primary",
    "reply": "$text-success",
    "chat": "$text-accent",
    "intro": "$text-warning",
    "referral": "$text-warning",
    "note": "$text-muted",
}


class Row(Horizontal):
    """A label and its value; the value wraps under itself, not under the label."""

    DEFAULT_CSS = """
    Row {
        height: auto;
    }
    Row > .row-key {
        width: 15;
        color: $text-muted;
    }
    Row > .row-value {
        width: 1fr;
    }
    """

    def __init__(self, key: str, value: str | Content, *, key_width: int | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.key = key
        self.value = value
        self.key_width = key_width

    def compose(self) -> ComposeResult:
        label = Label(self.key, classes="row-key", markup=False)
        if self.key_width is not None:
            label.styles.width = self.key_width
        yield label
        yield Static(self.value, classes="row-value", markup=False)


def _school(details: dict) -> str:
    return ", ".join(str(part) for part in (details["school"], details["program"], details["grad_year"]) if part)


def header(details: dict, *, today: dt.date) -> Content:
    from crm.display import position

    role = " · ".join(position(details["role"], details["team"], details["company"]))
    archived = "  [$text-warning](archived)[/]" if details["archived"] else ""
    return Content.from_markup(
        "[b]$name[/b]  [$text-accent]$stage[/]" + archived + ("\n$role" if role else ""),
        name=details["name"],
        stage=details["stage"],
        role=role,
    )


def follow_up_line(details: dict, *, today: dt.date) -> Content:
    due = as_date(details["next_follow_up"])
    if due is None:
        if details["stage"] == "identified":  # never written to: the next thing to do is the first message
            return Content.from_markup("[$text-muted]nothing scheduled yet: d drafts a first message[/]")
        return Content.from_markup("[$text-muted]nothing scheduled: log what happens next with l[/]")
    style = "$text-error" if due < today else "$text-warning" if due == today else "$text-accent"
    when = due_label(due, today=today)
    if due > today:
        when = weekday_date(due, today=today)
    return Content.from_markup(
        f"[b {style}]$when[/]  $reason",
        when=when,
        reason=details["next_follow_up_reason"] or "",
    )


def profile_rows(details: dict) -> list[Row]:
    """The profile; the chain of introductions that led to them ('Ivan Roy -> Jia Song -> Lee Park') stands in for
    'introduced by' when the screen has read it."""
    introducer = details["introduced_by"]
    path = details.get("warm_path")
    fields = (
        ("Email", details["email"]),
        ("LinkedIn", details["linkedin_url"]),
        ("School", _school(details)),
        ("Location", details["location"]),
        ("Source", details["source"]),
        ("Warm path", path),
        ("Introduced by", introducer["name"] if introducer and not path else None),
        ("Cadence", details["cadence"]),
        ("Tags", ", ".join(details["tags"])),
        ("Notes", details["notes"]),
    )
    return [Row(key, str(value)) for key, value in fields if value]


def hook_rows(details: dict, *, today: dt.date) -> list[Widget]:
    rows: list[Widget] = []
    for hook in details["hooks"]:
        text = Content.from_markup(
            "$text" + ("\n[$text-muted]$url[/]" if hook["url"] else ""), text=hook["text"], url=hook["url"] or ""
        )
        rows.append(Row(date_label(hook["date"], today=today) or "undated", text))
    return rows


def timeline_rows(details: dict, *, today: dt.date) -> list[Widget]:
    rows: list[Widget] = []
    for entry in details["interactions"]:
        parts = [f"[b {KIND_STYLES.get(entry['kind'], '')}]$kind[/]"]
        values = {"kind": entry["kind"]}
        if entry["intro_to"]:
            parts[0] += " to [b]$intro[/b]"
            values["intro"] = entry["intro_to"]["name"]
        for key, label in (
            ("notes", ""), ("takeaways", "Takeaways: "), ("advice", "Advice: "), ("next_step", "Next step: ")
        ):  # fmt: skip
            if entry.get(key):
                parts.append(f"[$text-muted]{label}[/]${key}" if label else f"${key}")
                values[key] = entry[key]
        if entry.get("suggested"):
            parts.append("[$text-muted]Suggested: [/]$suggested")
            values["suggested"] = ", ".join(entry["suggested"])
        if entry["follow_up"]:
            parts.append("[$text-muted]Follow up: [/]$follow_up")
            values["follow_up"] = date_label(entry["follow_up"], today=today)
        rows.append(Row(date_label(entry["date"], today=today), Content.from_markup("\n".join(parts), **values)))
    return rows


def promise_rows(details: dict, *, today: dt.date) -> list[Widget]:
    """Open promises: dated ones under their date (`x` in This week marks one kept), then undated ones."""
    rows: list[Widget] = []
    for promise in details.get("promises") or ():
        key = f"due {date_label(promise['due'], today=today)}" if promise["due"] else "no date"
        text = promise["text"]
        if promise["id"] is None:  # a chat's undated next step: open until my next message
            text += f" (next step of the chat on {date_label(promise['noted_on'], today=today)})"
        rows.append(Row(key, text))
    return rows


class Section(Vertical):
    DEFAULT_CSS = """
    Section {
        height: auto;
        margin-bottom: 1;
    }
    Section > .section-title {
        text-style: bold;
        color: $text-primary;
    }
    Section > Row {
        margin-bottom: 0;
    }
    Section.-spaced > Row {
        margin-bottom: 1;
    }
    """

    def __init__(
        self,
        title: str,
        children: list[Widget],
        *,
        empty: str,
        spaced: bool = False,
        counted: bool = True,
        id: str | None = None,
    ) -> None:
        super().__init__(classes="-spaced" if spaced else "", id=id)
        self.title = title
        self.counted = counted
        self.rows = children
        self.empty = empty

    def compose(self) -> ComposeResult:
        count = f" ({len(self.rows)})" if self.rows and self.counted else ""
        yield Label(self.title + count, classes="section-title", markup=False)
        if self.rows:
            yield from self.rows
        else:
            yield Static(self.empty, classes="section-empty", markup=False)


class ContactView(VerticalScroll, can_focus=True):
    """Everything about one contact; rebuilt whenever `details` (from contact_details) is set."""

    details: reactive[dict | None] = reactive(None, recompose=True, always_update=True)

    def __init__(self, *, today: dt.date, id: str | None = None) -> None:
        super().__init__(id=id)
        self.today = today

    def compose(self) -> ComposeResult:
        details = self.details
        if details is None:
            return
        today = self.today
        with Vertical(id="contact-side"):
            yield Row("Next follow-up", follow_up_line(details, today=today), id="follow-up-line")
            yield Section("Profile", profile_rows(details), empty="No details yet: press e to add more.", counted=False)
            yield Section("Hooks", hook_rows(details, today=today), empty="No research yet: press h to add a hook.")
            if details.get("promises"):
                yield Section("Promises", promise_rows(details, today=today), empty="", id="contact-promises")
        yield Section(
            "Timeline",
            timeline_rows(details, today=today),
            empty="Nothing logged yet: press l to log a message, reply or chat.",
            spaced=True,
            id="contact-timeline",
        )
