"""Today's date and the date phrases users type (`today`, `+3d`, `Nov 20`, `2026-11-20`)."""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Literal

from crm.errors import CrmError

DATE_HELP = (
    "use YYYY-MM-DD, a date like 'Nov 20' or 31/12 (3/12 is March 12: month first), today, tomorrow, +3d, +2w,"
    " 'in 2 weeks' or a weekday"
)
# Which way a date faces: a snooze, a follow-up or a promise is ahead ("future"), a logged chat or a hook's
# publication behind ("past"). A bare weekday or "2 weeks" means the next one ahead, or the last one behind;
# None keeps the reading every caller had before (a weekday is today or the next one; "2 weeks" is refused).
Facing = Literal["future", "past"] | None

# The calendar crm works in. Python's ends at 9999-12-31, and follow-ups add days, weeks and a cadence (at most two
# years) to the dates users give: keeping every date a user gives within these bounds keeps all of that arithmetic
# far from the end, so no command ends in "date value out of range".
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2999, 12, 31)
RANGE_HELP = f"crm keeps dates from {EARLIEST.isoformat()} to {LATEST.isoformat()}"
MAX_DATE_TEXT = 100  # no date phrase is longer; dateutil need not read a page of text

_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
MAX_OFFSET = 9999  # "+9999d" (27 years) or "+9999w": a longer count is a typo, not a plan
# "+3d", "-2w", "+3 days", "in 2 weeks", "2 weeks ago", "3d", "a week": a count of days or weeks, and a direction
_OFFSET = re.compile(
    r"^(?:(?P<sign>[+-])\s*|(?P<in>in)\s+)?(?P<count>\d+|an?|one)\s*(?P<unit>d|days?|w|wks?|weeks?)(?P<ago>\s+ago)?$"
)
# Day and month in figures: "31/12", "13.12", "12/31/2026", "31-12-26"
_NUMERIC = re.compile(r"^(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?:(?P=sep)(?P<year>\d{2}|\d{4}))?$")
_TOMORROW = ("tomorrow", "tmrw", "tmr")
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "weds", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        )
    )
    for name in names
}
_VAGUE = re.compile(r"^(?:(?:next|this|last)\s+(?:week|wk|month|year)|end\s+of\s+(?:the\s+)?(?:week|month)|eow|eom)$")
_WORDS = ("today", "tomorrow", "yesterday", *(name for name in _WEEKDAYS if len(name) > 4))


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


def parse_date(text: str, *, today: dt.date, facing: Facing = None) -> dt.date:
    """Parse a user's date phrase relative to `today`; CrmError names the bad text (or says it is out of range).

    `facing` is the way the date looks from today (see Facing): "future" reads `thu` as the next Thursday after
    today and `2 weeks` as in two weeks; "past" reads them as the last Thursday before today and two weeks ago.
    """
    raw = " ".join((text or "").split())
    word = raw.lower()
    if not word:
        raise CrmError(f"empty date: {DATE_HELP}")
    if len(raw) > MAX_DATE_TEXT:
        raise CrmError(f"{raw[:20]!r}... is too long to be a date: {DATE_HELP}")
    try:
        day = _parse(raw, word, today=today, facing=facing)
    except OverflowError:  # `today` itself at the end of Python's calendar
        raise CrmError(f"{raw!r} is out of range: {RANGE_HELP}") from None
    return in_range(day, raw)


def _parse(raw: str, word: str, *, today: dt.date, facing: Facing) -> dt.date:
    if word == "today":
        return today
    if word in _TOMORROW:
        return today + dt.timedelta(days=1)
    if word == "yesterday":
        return today - dt.timedelta(days=1)
    offset = _OFFSET.match(word)
    if offset:
        return today + dt.timedelta(days=_offset_days(raw, offset, facing=facing, today=today))
    day = _weekday(raw, word, today=today, facing=facing)
    if day is not None:
        return day
    if _VAGUE.match(word):
        if word.startswith("last"):
            monday = today - dt.timedelta(days=today.weekday() or 7)
            example, week = "'last mon'", f"-1w ({weekday_date(today - dt.timedelta(weeks=1), today=today)})"
        else:
            monday = today + dt.timedelta(days=7 - today.weekday())
            example, week = "'mon'", f"+1w ({weekday_date(today + dt.timedelta(weeks=1), today=today)})"
        raise CrmError(
            f"{raw!r} names no one day: type a weekday ({example} is {weekday_date(monday, today=today)}), "
            f"{week} or a date"
        )
    if _ISO.match(word):
        try:
            year, month, day_ = (int(part) for part in word.split("-"))
            return dt.date.fromisoformat(f"{year:04d}-{month:02d}-{day_:02d}")
        except ValueError:
            raise CrmError(f"{raw!r} is not a real date: {DATE_HELP}") from None
    numeric = _NUMERIC.match(word)
    if numeric:
        return _numeric(raw, numeric, today=today)
    from dateutil import parser as dateutil_parser

    # Missing parts (year, day) come from today, so "Nov 20" is this year's Nov 20.
    default = dt.datetime(today.year, today.month, today.day)
    try:
        parsed = dateutil_parser.parse(raw, default=default)
    except (ValueError, OverflowError, TypeError, ArithmeticError):
        # dateutil raises ParserError (a ValueError) for text it cannot read, and OverflowError or others for
        # numbers it reads but cannot hold
        raise CrmError(f"{raw!r} is not a date I understand: {_hint(word)}{DATE_HELP}") from None
    return parsed.date()


def _offset_days(raw: str, found: re.Match, *, facing: Facing, today: dt.date) -> int:
    """Signed days of "+3d", "in 2 weeks", "2 weeks ago", or of "2 weeks" read the way the date faces."""
    count_text = found.group("count")
    count = 1 if not count_text.isdigit() else int(count_text)
    unit = found.group("unit")
    if count_text.isdigit() and len(count_text) > len(str(MAX_OFFSET)) or count > MAX_OFFSET:
        ahead = not (found.group("sign") == "-" or found.group("ago"))
        raise CrmError(
            f"{raw!r} is too far {'ahead' if ahead else 'back'}: at most {MAX_OFFSET} days or weeks ({RANGE_HELP})"
        )
    if found.group("sign") and found.group("ago") or found.group("in") and found.group("ago"):
        raise CrmError(f"{raw!r} says two directions: write +{count}{unit[0]} or {count}{unit[0]} ago")
    if found.group("sign") == "-" or found.group("ago"):
        sign = -1
    elif found.group("sign") == "+" or found.group("in"):
        sign = 1
    elif facing is not None:
        sign = 1 if facing == "future" else -1
    else:
        span = dt.timedelta(days=count * (7 if unit[0] == "w" else 1))
        raise CrmError(
            f"{raw!r}: ahead or back? 'in {raw}' (+{count}{unit[0]}, {weekday_date(today + span, today=today)}) "
            f"or '{raw} ago' (-{count}{unit[0]}, {weekday_date(today - span, today=today)})"
        )
    return sign * count * (7 if unit[0] == "w" else 1)


def _weekday(raw: str, word: str, *, today: dt.date, facing: Facing) -> dt.date | None:
    """A weekday phrase ("thu", "this thu", "next thu", "last thu"), None when `word` is not one."""
    qualifier, _, name = word.rpartition(" ")
    if name.endswith("."):
        name = name[:-1]
    if name not in _WEEKDAYS or qualifier not in ("", "this", "next", "last", "on"):
        return None
    number = _WEEKDAYS[name]
    ahead = (number - today.weekday()) % 7  # 0 on that very day
    coming = today + dt.timedelta(days=ahead or 7)  # the next one after today
    previous = today - dt.timedelta(days=(today.weekday() - number) % 7 or 7)  # the last one before today
    if qualifier == "last":
        return previous
    if qualifier == "next":
        if coming.isocalendar()[:2] != today.isocalendar()[:2]:  # the coming one is already in next week
            return coming
        later = coming + dt.timedelta(weeks=1)
        raise CrmError(
            f"{raw!r} could be {weekday_date(coming, today=today)} or {weekday_date(later, today=today)}: "
            f"type '{name}' for the first, or the date ('{short_date(later)}')"
        )
    if qualifier == "this":  # this week's (Monday to Sunday), whichever way it lies
        return today + dt.timedelta(days=number - today.weekday())
    if facing == "past":
        return previous
    if facing is None and ahead == 0:  # no direction known: today, as dateutil reads it
        return today
    return coming


def _numeric(raw: str, found: re.Match, *, today: dt.date) -> dt.date:
    """Day and month in figures: the one reading that makes a date ("31/12" is Dec 31), else month first ("3/12" is
    March 12, as dateutil reads it); with dots, where Europe writes day first, a form that could be either is refused.
    """
    a, b = int(found.group("a")), int(found.group("b"))
    if a > 12 >= b:
        day, month = a, b
    elif b > 12 >= a or found.group("sep") != "." or a == b:
        month, day = a, b
    else:
        raise CrmError(
            f"{raw!r} could be {dt.date(today.year, a, 1):%b} {b} or {dt.date(today.year, b, 1):%b} {a}: "
            f"write the month as a word ('{b} {dt.date(today.year, a, 1):%b}') or YYYY-MM-DD"
        )
    year_text = found.group("year")
    if year_text is None:
        year = today.year
    elif len(year_text) == 4:
        year = int(year_text)
    else:  # two figures: the year within 50 of today's, as dateutil reads it
        year = today.year // 100 * 100 + int(year_text)
        if year > today.year + 50:
            year -= 100
        elif year <= today.year - 50:
            year += 100
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CrmError(f"{raw!r} is not a real date: {DATE_HELP}") from None


def _hint(word: str) -> str:
    """ "did you mean 'tomorrow'? " for a near miss of a word crm knows; empty otherwise."""
    import difflib

    close = difflib.get_close_matches(word, _WORDS, n=1, cutoff=0.75)
    return f"did you mean {close[0]!r}? " if close else ""


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
