"""Labels only the screens show (the date formats themselves are crm.dates'); pure functions, today passed in."""

from __future__ import annotations

import datetime as dt

from crm.dates import short_date, weekday_date


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
