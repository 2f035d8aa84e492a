"""Follow-ups as iCalendar VTODOs (RFC 5545) for calendar and to-do apps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from crm.followups.reads import DueItem

PRODID = "-//crm//networking follow-ups//EN"


def follow_up_uid(contact_id: int, key: str) -> str:
    """Stable per follow-up: re-exporting (or snoozing) it keeps the UID, so apps update, not duplicate."""
    return f"follow-up-{contact_id}-{key}@crm"


def follow_ups_to_ics(items: Iterable[DueItem], *, stamp: dt.datetime | None = None) -> bytes:
    """One VTODO per scheduled follow-up."""
    from icalendar import Calendar, Todo

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "crm follow-ups")
    stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    for item in items:
        todo = Todo()
        todo.add("uid", follow_up_uid(item.contact_id, item.key))
        todo.add("dtstamp", stamp)
        todo.add("due", item.due)
        todo.add("summary", f"{item.name}: {item.reason}")
        where = f" ({item.company})" if item.company else ""
        todo.add(
            "description",
            f"{item.reason}\nContact: {item.name}{where}\nDetails: crm contact show {item.contact_id}",
        )
        todo.add("status", "NEEDS-ACTION")
        todo.add("categories", ["crm", "follow-up"])
        calendar.add_component(todo)
    return calendar.to_ical()
