"""Keep-in-touch cadences: plain phrases ("every 2 weeks", "quarterly") or RFC 5545 RRULEs.

A cadence must be able to happen: it is one line, it repeats by the day or slower, and from any day it brings
a date strictly after that day within two years. `parse_cadence` refuses anything else when the user gives it,
so a stored cadence never breaks the follow-ups computed from it later.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from crm.errors import CrmError
from crm.followups.defaults import DEFAULT_CADENCE

ACCEPTED = (
    "weekly, every 2 weeks, biweekly, monthly, every 6 weeks, quarterly, "
    "every N days|weeks|months, or an RRULE such as FREQ=WEEKLY;INTERVAL=3"
)

_NAMED = {
    "daily": relativedelta(days=1),
    "weekly": relativedelta(weeks=1),
    "biweekly": relativedelta(weeks=2),
    "fortnightly": relativedelta(weeks=2),
    "monthly": relativedelta(months=1),
    "bimonthly": relativedelta(months=2),
    "quarterly": relativedelta(months=3),
    "yearly": relativedelta(years=1),
    "annually": relativedelta(years=1),
}
_EVERY = re.compile(r"^every\s+(?:(\d{1,3})\s+)?(day|week|month|year)s?$", re.ASCII)
_UNITS = {"day": "days", "week": "weeks", "month": "months", "year": "years"}

MAX_TEXT = 200  # no cadence is longer
MAX_INTERVAL = 999  # FREQ=DAILY;INTERVAL=999 is already more than two years
MAX_GAP = relativedelta(years=2)  # from any day, the next date comes within this: keeping in touch repeats
GAP_HELP = "two years"
# Where a stored rule's next date is looked for (beyond MAX_GAP: a rule checked from the sample days below may
# still skip further from some rare day, such as a leap day).
SEARCH = relativedelta(years=10)
# dateutil looks for a rule's next date until the end of the calendar (9999) even when told to stop earlier, so
# a rule that never happens would take seconds. The Gregorian calendar repeats every 400 years, weekdays included:
# searching from the same day in the last 400-year cycle that fits the search gives the same answer in bounded time.
_CYCLE_YEARS = 400
_LAST_SEARCH_START = dt.MAXYEAR - 11


def _last_day(year: int, month: int) -> int:
    return 28 if month == 2 else calendar.monthrange(year, month)[1]


# The days a new rule is tried from: the 1st, 15th and last day of every month of an ordinary year and of a leap
# year (Feb 28 for Feb 29: a yearly RRULE from a leap day only meets leap days), so rules tied to month ends,
# weekdays or week numbers show the gap they would have from some day.
_SAMPLE_DAYS = tuple(
    dt.date(year, month, day)
    for year in (2027, 2028)
    for month in range(1, 13)
    for day in (1, 15, _last_day(year, month))
)

# RFC 5545 RRULE parts a day-by-day cadence may use (COUNT and UNTIL end it; BYHOUR and co. are times of day).
_PARTS = {"FREQ", "INTERVAL", "WKST", "BYDAY", "BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS"}
_FREQS = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
_SUB_DAILY = {"HOURLY", "MINUTELY", "SECONDLY"}
_TIME_OF_DAY = {"BYHOUR", "BYMINUTE", "BYSECOND"}
_PART = re.compile(r"^[A-Z]+=[A-Z0-9,+-]+$", re.ASCII)


@dataclass(frozen=True)
class Cadence:
    """How often to keep in touch; `next_after` gives the first date strictly after `anchor`."""

    text: str
    step: relativedelta | None = None
    rrule: str | None = None

    def next_after(self, anchor: dt.date) -> dt.date:
        following = self._next(anchor, SEARCH)
        if following is None:
            raise CrmError(
                f"cadence {self.text!r} has no date in the ten years after {anchor}: "
                f"change it with `crm contact edit CONTACT --cadence ...` ({ACCEPTED})"
            )
        return following

    def _next(self, anchor: dt.date, within: relativedelta) -> dt.date | None:
        """The first date strictly after `anchor` and no later than `anchor + within`, or None."""
        try:
            if self.step is not None:
                following = anchor + self.step
                return following if following <= anchor + within else None
            from dateutil.rrule import rrulestr

            shift = (_LAST_SEARCH_START - anchor.year) // _CYCLE_YEARS * _CYCLE_YEARS
            start = dt.datetime(anchor.year + shift, anchor.month, anchor.day)
            rule = rrulestr(self.rrule, dtstart=start).replace(until=start + within)
            found = rule.after(start + dt.timedelta(days=1), inc=True)  # strictly after the anchor's day
            return None if found is None else found.date().replace(year=found.year - shift)
        except (OverflowError, ValueError):  # past the end of the calendar
            raise CrmError(
                f"cadence {self.text!r} from {anchor} runs past the last date crm handles (2999-12-31)"
            ) from None


@lru_cache(maxsize=512)  # every follow-up computed parses its contact's cadence: check each text once
def parse_cadence(text: str | None) -> Cadence:
    """Parse a cadence phrase or RRULE that can happen; CrmError says why not and lists what is accepted."""
    raw = (text or DEFAULT_CADENCE).strip()
    if any(ord(char) < 32 or 127 <= ord(char) < 160 for char in raw):
        raise CrmError(f"cadence {raw!r} must be one line of plain text: use {ACCEPTED}")
    if len(raw) > MAX_TEXT:
        raise CrmError(f"cadence {raw[:30]!r}... is too long to be a cadence: use {ACCEPTED}")
    phrase = " ".join(raw.lower().split())
    if phrase in _NAMED:
        return Cadence(raw, step=_NAMED[phrase])
    every = _EVERY.match(phrase)
    if every:
        count = int(every.group(1) or 1)
        if count < 1:
            raise CrmError(f"cadence {raw!r} must be at least every 1 {every.group(2)}: use {ACCEPTED}")
        return _within_gap(Cadence(raw, step=relativedelta(**{_UNITS[every.group(2)]: count})))
    if "freq=" in phrase:
        return _parse_rrule(raw)
    raise CrmError(f"cadence {raw!r} is not one I understand: use {ACCEPTED}")


def _parse_rrule(raw: str) -> Cadence:
    from dateutil.rrule import rrulestr

    body = raw.strip()
    if body.upper().startswith("RRULE:"):
        body = body[len("RRULE:") :].strip()
    parts = [part.strip().upper() for part in body.split(";") if part.strip()]
    names = [part.split("=")[0] for part in parts]
    if any(name in ("COUNT", "UNTIL") for name in names):
        raise CrmError(f"cadence {raw!r} ends (COUNT/UNTIL): keeping in touch repeats, so drop them")
    if any(name in _TIME_OF_DAY for name in names):
        raise CrmError(
            f"cadence {raw!r} sets a time of day (BYHOUR/BYMINUTE/BYSECOND): cadences go by the day ({ACCEPTED})"
        )
    for part, name in zip(parts, names, strict=True):
        if not _PART.match(part) or name not in _PARTS:
            raise CrmError(f"cadence {raw!r}: {part[:30]!r} is not an RRULE part crm uses: use {ACCEPTED}")
    if len(set(names)) != len(names):
        raise CrmError(f"cadence {raw!r} gives a part twice: use {ACCEPTED}")
    values = dict(part.split("=", 1) for part in parts)
    freq = values.get("FREQ")
    if freq in _SUB_DAILY:
        raise CrmError(f"cadence {raw!r} repeats more often than daily: keep in touch at most daily ({ACCEPTED})")
    if freq not in _FREQS:
        raise CrmError(f"cadence {raw!r} needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY: use {ACCEPTED}")
    interval = values.get("INTERVAL", "1")
    if not interval.isdigit() or len(interval) > len(str(MAX_INTERVAL)) or not 1 <= int(interval) <= MAX_INTERVAL:
        # INTERVAL=0 never moves on: dateutil would look for the next date forever
        raise CrmError(f"cadence {raw!r}: INTERVAL must be a whole number from 1 to {MAX_INTERVAL}: use {ACCEPTED}")
    body = ";".join(parts)
    try:
        rrulestr(body, dtstart=dt.datetime(2000, 1, 1))
    except (ValueError, TypeError, OverflowError, KeyError, IndexError) as exc:
        raise CrmError(f"cadence {raw!r} is not a valid RRULE ({exc}): use {ACCEPTED}") from None
    return _within_gap(Cadence(raw, rrule=body))


def _within_gap(cadence: Cadence) -> Cadence:
    """The cadence, if from every sample day it brings a next date within MAX_GAP; else CrmError."""
    for day in _SAMPLE_DAYS:
        if cadence._next(day, MAX_GAP) is None:
            raise CrmError(
                f"cadence {cadence.text!r} brings no date within {GAP_HELP} of {day:%b} {day.day} {day.year}: "
                f"keep in touch at least every {GAP_HELP} ({ACCEPTED})"
            )
    return cadence
