"""Today's date and the date phrases users type (`today`, `+3d`, `Nov 20`, `2026-11-20`)."""

from __future__ import annotations

import datetime as dt
import os
import re

from crm.errors import CrmError

DATE_HELP = "use YYYY-MM-DD, a date like 'Nov 20', today, tomorrow, yesterday, +3d or +2w"

_RELATIVE = re.compile(r"^([+-])\s*(\d{1,4})\s*([dw])$", re.IGNORECASE)
_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


def today() -> dt.date:
    """The local calendar date, or $CRM_TODAY (YYYY-MM-DD) so tests and planning are reproducible."""
    fixed = os.environ.get("CRM_TODAY")
    if fixed:
        try:
            return dt.date.fromisoformat(fixed.strip())
        except ValueError:
            raise CrmError(f"CRM_TODAY={fixed!r} is not a date: set it as YYYY-MM-DD") from None
    return dt.date.today()


def parse_date(text: str, *, today: dt.date) -> dt.date:
    """Parse a user's date phrase relative to `today`; CrmError names the bad text."""
    raw = (text or "").strip()
    word = raw.lower()
    if not word:
        raise CrmError(f"empty date: {DATE_HELP}")
    if word == "today":
        return today
    if word == "tomorrow":
        return today + dt.timedelta(days=1)
    if word == "yesterday":
        return today - dt.timedelta(days=1)
    rel = _RELATIVE.match(word)
    if rel:
        sign, count, unit = rel.groups()
        days = int(count) * (7 if unit.lower() == "w" else 1)
        return today + dt.timedelta(days=days if sign == "+" else -days)
    if _ISO.match(word):
        try:
            return dt.date.fromisoformat("-".join(f"{int(p):02d}" for p in word.split("-")))
        except ValueError:
            raise CrmError(f"{raw!r} is not a real date: {DATE_HELP}") from None
    from dateutil import parser as dateutil_parser

    # Missing parts (year, day) come from today, so "Nov 20" is this year's Nov 20.
    default = dt.datetime(today.year, today.month, today.day)
    try:
        parsed = dateutil_parser.parse(raw, default=default)
    except (ValueError, OverflowError):
        raise CrmError(f"{raw!r} is not a date I understand: {DATE_HELP}") from None
    return parsed.date()


def short_date(value: dt.date, *, today: dt.date | None = None) -> str:
    """'Nov 17'; with the year ('Nov 17 2025') when `today` is given and the year differs. The one short format."""
    label = f"{value:%b} {value.day}"
    return label if today is None or value.year == today.year else f"{label} {value.year}"


def weekday_date(value: dt.date, *, today: dt.date | None = None) -> str:
    """'Thu Nov 26' (with the year when it is not this year's)."""
    return f"{value:%a} {short_date(value, today=today)}"
