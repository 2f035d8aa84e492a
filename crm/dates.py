"""Today's date and the date phrases users type (`today`, `+3d`, `Nov 20`, `2026-11-20`)."""

from __future__ import annotations

import datetime as dt
import os
import re

from crm.errors import CrmError

DATE_HELP = "use YYYY-MM-DD, a date like 'Nov 20', today, tomorrow, yesterday, +3d or +2w"

# The calendar crm works in. Python's ends at 9999-12-31, and follow-ups add days, weeks and a cadence (at most two
# years) to the dates users give: keeping every date a user gives within these bounds keeps all of that arithmetic
# far from the end, so no command ends in "date value out of range".
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2999, 12, 31)
RANGE_HELP = f"crm keeps dates from {EARLIEST.isoformat()} to {LATEST.isoformat()}"
MAX_DATE_TEXT = 100  # no date phrase is longer; dateutil need not read a page of text

_RELATIVE = re.compile(r"^([+-])\s*(\d{1,4})\s*([dw])$", re.IGNORECASE)
_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


def today() -> dt.date:
    """The local calendar date, or $CRM_TODAY (YYYY-MM-DD) so tests and planning are reproducible."""
    fixed = os.environ.get("CRM_TODAY")
    if fixed:
        try:
            day = dt.date.fromisoformat(fixed.strip())
        except ValueError:
            raise CrmError(f"CRM_TODAY={fixed!r} is not a date: set it as YYYY-MM-DD") from None
        if not EARLIEST <= day <= LATEST:
            raise CrmError(f"CRM_TODAY={fixed!r} is out of range: {RANGE_HELP}")
        return day
    return dt.date.today()


def in_range(day: dt.date, text: str) -> dt.date:
    """`day` (which the user wrote as `text`), or CrmError when it is outside the calendar crm works in."""
    if not EARLIEST <= day <= LATEST:
        raise CrmError(f"{text!r} is out of range: {RANGE_HELP}")
    return day


def parse_date(text: str, *, today: dt.date) -> dt.date:
    """Parse a user's date phrase relative to `today`; CrmError names the bad text (or says it is out of range)."""
    raw = (text or "").strip()
    word = raw.lower()
    if not word:
        raise CrmError(f"empty date: {DATE_HELP}")
    if len(raw) > MAX_DATE_TEXT:
        raise CrmError(f"{raw[:20]!r}... is too long to be a date: {DATE_HELP}")
    try:
        day = _parse(raw, word, today=today)
    except OverflowError:  # `today` itself at the end of Python's calendar
        raise CrmError(f"{raw!r} is out of range: {RANGE_HELP}") from None
    return in_range(day, raw)


def _parse(raw: str, word: str, *, today: dt.date) -> dt.date:
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
            year, month, day = (int(part) for part in word.split("-"))
            return dt.date.fromisoformat(f"{year:04d}-{month:02d}-{day:02d}")
        except ValueError:
            raise CrmError(f"{raw!r} is not a real date: {DATE_HELP}") from None
    from dateutil import parser as dateutil_parser

    # Missing parts (year, day) come from today, so "Nov 20" is this year's Nov 20.
    default = dt.datetime(today.year, today.month, today.day)
    try:
        parsed = dateutil_parser.parse(raw, default=default)
    except (ValueError, OverflowError, TypeError, ArithmeticError):
        # dateutil raises ParserError (a ValueError) for text it cannot read, and OverflowError or others for
        # numbers it reads but cannot hold
        raise CrmError(f"{raw!r} is not a date I understand: {DATE_HELP}") from None
    return parsed.date()


def short_date(value: dt.date, *, today: dt.date | None = None) -> str:
    """'Nov 17'; with the year ('Nov 17 2025') when `today` is given and the year differs. The one short format."""
    label = f"{value:%b} {value.day}"
    return label if today is None or value.year == today.year else f"{label} {value.year}"


def weekday_date(value: dt.date, *, today: dt.date | None = None) -> str:
    """'Thu Nov 26' (with the year when it is not this year's)."""
    return f"{value:%a} {short_date(value, today=today)}"


def weekend_note(day: dt.date, *, today: dt.date | None = None) -> str | None:
    """ "a Saturday: Mon Nov 30 is the next weekday" for a date on a weekend (None on a weekday).

    Snoozing "+2d" on a Thursday lands on Saturday, when nobody answers networking mail: say so, and name
    the Monday, rather than quietly moving the date the user chose.
    """
    if day.weekday() < 5:
        return None
    monday = next_weekday(day)
    return f"a {day:%A}: {weekday_date(monday, today=today)} is the next weekday"


def next_weekday(day: dt.date) -> dt.date:
    """The day itself on a weekday; the Monday after, on a weekend."""
    return day + dt.timedelta(days=max(0, 7 - day.weekday())) if day.weekday() >= 5 else day


def week_bounds(today: dt.date, *, week_start: str = "monday") -> tuple[dt.date, dt.date]:
    """First and last day of the week containing `today` (Monday-Sunday, or Sunday-Saturday)."""
    offset = today.weekday() if week_start == "monday" else (today.weekday() + 1) % 7
    start = today - dt.timedelta(days=offset)
    return start, start + dt.timedelta(days=6)
