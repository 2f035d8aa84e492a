"""Keep-in-touch cadences: plain phrases ("every 2 weeks", "quarterly") or RFC 5545 RRULEs."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

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
_EVERY = re.compile(r"^every\s+(?:(\d{1,3})\s+)?(day|week|month|year)s?$")
_UNITS = {"day": "days", "week": "weeks", "month": "months", "year": "years"}


@dataclass(frozen=True)
class Cadence:
    """How often to keep in touch; `next_after` gives the first date strictly after `anchor`."""

    text: str
    step: relativedelta | None = None
    rrule: str | None = None

    def next_after(self, anchor: dt.date) -> dt.date:
        if self.step is not None:
            return anchor + self.step
        from dateutil.rrule import rrulestr

        start = dt.datetime(anchor.year, anchor.month, anchor.day)
        rule = rrulestr(self.rrule, dtstart=start)
        following = rule.after(start)
        if following is None:
            raise CrmError(f"cadence {self.text!r} has no date after {anchor}: it has ended")
        return following.date()


def parse_cadence(text: str | None) -> Cadence:
    """Parse a cadence phrase or RRULE; CrmError lists what is accepted."""
    raw = (text or DEFAULT_CADENCE).strip()
    phrase = " ".join(raw.lower().split())
    if phrase in _NAMED:
        return Cadence(raw, step=_NAMED[phrase])
    every = _EVERY.match(phrase)
    if every:
        count = int(every.group(1) or 1)
        if count < 1:
            raise CrmError(f"cadence {raw!r} must be at least every 1 {every.group(2)}: use {ACCEPTED}")
        return Cadence(raw, step=relativedelta(**{_UNITS[every.group(2)]: count}))
    if "freq=" in phrase:
        return _parse_rrule(raw)
    raise CrmError(f"cadence {raw!r} is not one I understand: use {ACCEPTED}")


def _parse_rrule(raw: str) -> Cadence:
    from dateutil.rrule import rrulestr

    body = raw.strip()
    if body.upper().startswith("RRULE:"):
        body = body[len("RRULE:") :]
    if any(part.split("=")[0].strip().upper() in ("COUNT", "UNTIL") for part in body.split(";")):
        raise CrmError(f"cadence {raw!r} ends (COUNT/UNTIL): keeping in touch repeats, so drop them")
    try:
        rrulestr(body, dtstart=dt.datetime(2000, 1, 1)).after(dt.datetime(2000, 1, 1))
    except (ValueError, TypeError) as exc:
        raise CrmError(f"cadence {raw!r} is not a valid RRULE ({exc}): use {ACCEPTED}") from None
    return Cadence(raw, rrule=body)
