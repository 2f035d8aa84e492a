"""Dates and labels as the screens show them; pure functions of their inputs (today passed in)."""

from __future__ import annotations

import datetime as dt


def as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def short_date(value: dt.date | str | None, *, today: dt.date) -> str:
    """'Nov 20' this year, 'Nov 20 2025' otherwise, '' for no date."""
    day = as_date(value)
    if day is None:
        return ""
    label = f"{day:%b} {day.day}"
    return label if day.year == today.year else f"{label} {day.year}"


def weekday_date(value: dt.date, *, today: dt.date) -> str:
    """'Thu Nov 26' (with the year when it is not this year's)."""
    return f"{value:%a} {short_date(value, today=today)}"


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
