"""Labels only the screens show (the date formats themselves are crm.dates'); pure functions, today passed in.

And one switch the app turns on as it starts: stored text is shown, never obeyed (`show_control_characters`).
"""

from __future__ import annotations

import datetime as dt

from crm.dates import short_date, weekday_date


def show_control_characters() -> None:
    """Make every widget show a control character in stored text as crm's visible escape (`\\u001b`).

    Textual and Rich pass ESC, DEL and C1 controls (so `ESC[2J`, OSC 52 and OSC 8 in a name) through to the
    terminal, and drop BEL, backspace and CR without a trace. Both run all text they are given through one
    translate table: filling it with crm.display.VISIBLE covers every Static, Label, DataTable cell, option,
    Input, TextArea, notification and palette hit at once, today's screens and tomorrow's. The tables are
    private to the pinned Textual and Rich; tests/tui/test_terminal_escapes.py fails if a new version moves them.
    """
    import rich.control
    import textual.content

    from crm.display import VISIBLE

    for table in (textual.content._CONTROL_STRIP_TRANSLATE, rich.control._CONTROL_STRIP_TRANSLATE):
        table.update(VISIBLE)


def as_date(value: dt.date | str | None) -> dt.date | None:
    """Dates as the read functions give them (ISO text, or nothing) as dates."""
    if value is None or value == "":
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def date_label(value: dt.date | str | None, *, today: dt.date) -> str:
    """crm's short date ('Nov 20', 'Nov 20 2025') for a stored date; '' for none."""
    day = as_date(value)
    return "" if day is None else short_date(day, today=today)


def due_label(due: dt.date, *, today: dt.date) -> str:
    """How a follow-up date reads in a list: '3d overdue', 'today', 'tomorrow', 'Fri Nov 27'."""
    days = (due - today).days
    if days < 0:
        return f"{-days}d overdue"
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return weekday_date(due, today=today)


def days_ago(value: dt.date, *, today: dt.date) -> str:
    days = (today - value).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"
