"""Promises I made a contact ("send Maya the skip-rate analysis by Friday"): reading their date, storing, keeping.

A promise's date is either given (`TEXT @DATE`, `--next-step-due`, the form's date field) or read from a trailing
"by <date>" in its text, but only when that phrase names one day beyond doubt: `today`, `tomorrow`, a weekday
other than the chat's own ("by Friday" said on a Friday could mean today or next week), a month and day
("Dec 3", "3rd December", with or without the year; a day already past that year means next year's), an ISO date,
or `+3d` / `+2w`. "by next Friday", "by 3/12", "by the end of the month", "by then" stay text: the promise is
then undated, listed under the contact until done, never due on a guessed day.

The parsing is pure (no database, `today` passed in); the writes take the caller's session and import the ORM
only when they run, so the log form can preview dates without loading it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crm.dates import parse_date, weekday_date
from crm.errors import CrmError

if TYPE_CHECKING:
    from sqlmodel import Session

    from crm.models import Contact, Interaction, Promise

SEPARATOR = ";"  # several promises (or suggested names) typed in one line of the log form

_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>\d{4}))?"
_MONTH_DAY = re.compile(rf"(?:{_MONTH}\s+{_DAY}|{_DAY}\s+(?:of\s+)?{_MONTH}){_YEAR}", re.IGNORECASE)
_ISO = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_RELATIVE = re.compile(r"[+]\s*\d{1,4}\s*[dw]", re.IGNORECASE)
# The trailing "by <phrase>" of a promise; the phrase is checked (due_phrase) before it is taken for a date.
_BY = re.compile(r"^(?P<text>.*)\bby\s+(?P<phrase>\S.*?)[\s.!]*$", re.IGNORECASE | re.DOTALL)  # the last "by"
# An explicit date: the text, then " @DATE" at the end ("send the deck @fri", "send the deck @ 2026-12-03").
_AT = re.compile(r"^(?P<text>.*?)(?:^|\s+)@\s*(?P<date>[^@]*?)\s*$", re.DOTALL)


def due_phrase(phrase: str, *, said_on: dt.date) -> dt.date | None:
    """The one day a phrase said on `said_on` names ("Friday", "Dec 3", "tomorrow"); None when it is not sure."""
    text = " ".join(phrase.strip().rstrip(".!").split()).lower()
    if text.startswith("this "):  # "by this Friday" is "by Friday"; "by next Friday" stays ambiguous
        text = text[5:]
    if text == "today":
        return said_on
    if text == "tomorrow":
        return said_on + dt.timedelta(days=1)
    if text in _WEEKDAYS:
        ahead = (_WEEKDAYS[text] - said_on.weekday()) % 7
        return said_on + dt.timedelta(days=ahead) if ahead else None
    if _ISO.fullmatch(text) or _RELATIVE.fullmatch(text):
        try:
            day = parse_date(text, today=said_on)
        except CrmError:
            return None
        return day if day >= said_on else None
    found = _MONTH_DAY.fullmatch(text)
    if found:
        try:
            day = parse_date(text, today=said_on)
        except CrmError:
            return None
        if day < said_on and found.group("year") is None:  # "by Jan 5" said in November: next January
            try:
                day = day.replace(year=day.year + 1)
            except ValueError:  # Feb 29 of a year that has none
                return None
        return day if day >= said_on else None
    return None


@dataclass(frozen=True)
class PromiseText:
    """A promise as typed, read: its text (without the date phrase) and its due date, if it has one."""

    text: str
    due: dt.date | None = None
    read_from_text: bool = False  # the date came from a trailing "by <date>" in the text

    def describe(self, *, today: dt.date) -> str:
        """'send the deck (due Fri Nov 27)' or 'send the deck (no date)': what the form previews."""
        return f"{self.text} ({'due ' + weekday_date(self.due, today=today) if self.due else 'no date'})"


def read_promise(text: str, *, said_on: dt.date, today: dt.date, explicit: dt.date | None = None) -> PromiseText:
    """A promise's text and date: `explicit`, else a trailing " @DATE" (read like every date crm takes, from
    `today`), else a trailing "by <date>" when unambiguous (from `said_on`, the day it was promised).

    CrmError when there is no text, when an explicit date is not a date, or when it comes before `said_on`.
    """
    clean = " ".join((text or "").split())
    due = explicit
    at = _AT.match(clean)
    if at is not None and explicit is None:
        clean = at.group("text").strip()
        if not at.group("date"):
            raise CrmError(f"{text.strip()!r} ends in '@' without a date: write 'TEXT @DATE' (@fri, @2026-12-03)")
        try:
            due = parse_date(at.group("date"), today=today, facing="future")
        except CrmError as err:  # " @" always means a date: say so (an @ with no space before it is text)
            raise CrmError(f"{text.strip()!r}: after ' @' comes the date it is due; {err}") from None
    if not clean:
        raise CrmError("a promise needs some text: what did you promise? ('send the skip-rate analysis @fri')")
    if due is not None:
        _not_before(due, said_on, clean)
        return PromiseText(clean, due)
    by = _BY.match(clean)
    head = by.group("text").rstrip(" ,;-–") if by is not None else ""
    if head:
        day = due_phrase(by.group("phrase"), said_on=said_on)
        if day is not None:
            return PromiseText(head, day, read_from_text=True)
    return PromiseText(clean)


def read_promises(line: str, *, said_on: dt.date, today: dt.date) -> list[PromiseText]:
    """Several promises typed in one line, separated by ';' (the log form's "Also promised")."""
    return [read_promise(part, said_on=said_on, today=today) for part in line.split(SEPARATOR) if part.strip()]


def _not_before(due: dt.date, said_on: dt.date, text: str) -> None:
    if due < said_on:
        raise CrmError(
            f"{text!r} would be due {due.isoformat()}, before it was promised ({said_on.isoformat()}):"
            " give a later date"
        )


# ---------------------------------------------------------------- writes


def add_promise(
    *,
    session: Session,
    contact: Contact,
    promise: PromiseText,
    interaction: Interaction | None = None,
    from_next_step: bool = False,
) -> Promise:
    """Store one promise to `contact` in the caller's transaction."""
    from crm.models import Promise

    row = Promise(
        contact_id=contact.id,
        interaction_id=interaction.id if interaction is not None else None,
        text=promise.text,
        due=promise.due,
        from_next_step=from_next_step,
    )
    session.add(row)
    session.flush()
    return row


def complete_promise(*, session: Session, promise_id: int, today: dt.date, contact: Contact | None = None) -> Promise:
    """Mark a promise kept today; CrmError when there is no such open promise (to `contact`, when given)."""
    from crm.models import Contact, Promise

    row = session.get(Promise, promise_id)
    if row is None or (contact is not None and row.contact_id != contact.id):
        whose = f" to {contact.name}" if contact is not None else ""
        raise CrmError(f"no promise{whose} has id {promise_id}: {_open_list(session, contact)}")
    if row.done_on is not None:
        owner = session.get(Contact, row.contact_id)
        raise CrmError(f"promise {promise_id} to {owner.name} ({row.text!r}) was done on {row.done_on.isoformat()}")
    row.done_on = today
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class PromiseUndo:
    """A promise just marked kept, as `undo_promise_done` needs it to reopen it (the app holds it for `u`)."""

    promise_id: int
    contact_id: int
    name: str  # whose promise
    text: str
    done_on: dt.date


def complete_promise_undoably(*, session: Session, promise_id: int, today: dt.date) -> PromiseUndo:
    """`complete_promise`, returning what `undo_promise_done` needs to reopen it."""
    from crm.models import Contact

    row = complete_promise(session=session, promise_id=promise_id, today=today)
    owner = session.get(Contact, row.contact_id)
    return PromiseUndo(row.id, row.contact_id, owner.name, row.text, today)


def undo_promise_done(*, session: Session, token: PromiseUndo) -> Promise:
    """Reopen a promise `complete_promise` kept (in the caller's transaction); CrmError, with nothing changed,
    when it is gone or no longer as that left it."""
    from crm.models import Promise

    row = session.get(Promise, token.promise_id)
    if row is None:
        raise CrmError(f"nothing undone: your promise to {token.name} ({token.text!r}) no longer exists")
    if row.done_on != token.done_on or row.contact_id != token.contact_id:
        raise CrmError(f"nothing undone: your promise to {token.name} ({token.text!r}) changed since")
    row.done_on = None
    session.add(row)
    session.flush()
    return row


def _open_list(session: Session, contact: Contact | None) -> str:
    """Where to find the right id: the contact's open promises, listed."""
    if contact is None:
        return "see `crm contact show CONTACT`"
    from sqlalchemy import select

    from crm.models import Promise

    rows = session.scalars(
        select(Promise).where(Promise.contact_id == contact.id, Promise.done_on.is_(None)).order_by(Promise.id)
    ).all()
    if not rows:
        return f"{contact.name} has no open promises"
    listed = "; ".join(f"{row.id} {row.text!r}" + (f" (due {row.due.isoformat()})" if row.due else "") for row in rows)
    return f"{contact.name}'s open promises: {listed}"
