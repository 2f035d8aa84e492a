"""The follow-up rules: given a contact's history, when is my next move due, and why.

Pure functions of their inputs (no database, no clock), so every rule is a table-driven test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from dateutil.rrule import DAILY, FR, MO, TH, TU, WE, rrule

from crm.contacts.fields import first_name
from crm.dates import short_date
from crm.followups.cadence import Cadence
from crm.followups.defaults import NUDGE_BUSINESS_DAYS

THEIR_MOVES = ("reply", "chat", "intro", "referral")  # they engaged: a new obligation for me


# Which built-in template answers which follow-up, by the prefix of the follow-up's stable key.
_TEMPLATE_BY_KEY = (
    ("nudge-", "nudge"),
    ("reply-", "reply"),
    ("chat-", "thank-you"),
    ("intro-", "intro-thanks"),
    ("referral-", "referral-thanks"),
    ("introduced-", "first-message"),
    ("keep-", "keep-in-touch"),
)
_TEMPLATE_BY_STAGE = {"identified": "first-message", "contacted": "nudge", "replied": "reply"}


def template_for_due(key: str | None, stage: str | None) -> str:
    """The template that fits what is due for a contact (the CLI's `draft` and the app's draft screen both ask here).

    An explicit or snoozed date keeps no rule key, so the contact's stage decides: nobody written to yet gets a
    first message, someone written to a nudge, anyone engaged a keep-in-touch (or, when they replied but we never
    chatted, the reply offering a chat again).
    """
    for prefix, template in _TEMPLATE_BY_KEY:
        if key and key.startswith(prefix):
            if template == "keep-in-touch" and stage == "replied":
                # They replied but we never chatted: keep-in-touch reports back on a chat there is none of, so
                # the follow-up offers the chat again (the reply template's two slots)
                return "reply"
            return template
    return _TEMPLATE_BY_STAGE.get(stage or "identified", "keep-in-touch")


@dataclass(frozen=True)
class Event:
    """One logged interaction, as the rules see it."""

    id: int
    kind: str
    date: dt.date
    intro_to: str | None = None


@dataclass(frozen=True)
class Introduction:
    """This contact was introduced to me by `by` on `date` (an intro logged on `by`'s history)."""

    id: int
    by: str
    date: dt.date


@dataclass(frozen=True)
class Explicit:
    """A date the user chose (`log --follow-up` or `snooze`), set after interaction `after_id`."""

    date: dt.date
    after_id: int
    note: str | None = None
    key: str | None = None  # a snooze moves one follow-up: it lapses when that one is no longer due


@dataclass(frozen=True)
class Done:
    """`crm done` on `date`, completing what was due from interactions up to `through_id`."""

    date: dt.date
    through_id: int


@dataclass(frozen=True)
class FollowUp:
    due: dt.date
    reason: str
    key: str  # identifies this follow-up across reschedules (stable calendar UIDs)


def add_business_days(start: dt.date, days: int) -> dt.date:
    """The `days`-th Monday-to-Friday day after `start`."""
    weekdays = rrule(
        DAILY, byweekday=(MO, TU, WE, TH, FR), dtstart=dt.datetime.combine(start, dt.time()) + relativedelta(days=1)
    )
    return weekdays[days - 1].date()


def from_history(
    name: str,
    history: Sequence[Event],
    *,
    cadence: Cadence,
    nudge_business_days: int = NUDGE_BUSINESS_DAYS,
    introduced: Introduction | None = None,
) -> tuple[FollowUp | None, int]:
    """The follow-up the rules give, and the id of the newest interaction it follows from."""
    first = first_name(name)
    events = sorted(history, key=lambda e: (e.date, e.id))
    engaged = False
    my_messages: list[Event] = []
    pending: tuple[FollowUp, int] | None = None
    for event in events:
        if event.kind in THEIR_MOVES:
            engaged = True
        when = short_date(event.date)
        next_day = event.date + relativedelta(days=1)
        if event.kind == "reply":
            pending = (FollowUp(next_day, f"respond to {first}'s reply of {when}", f"reply-{event.id}"), event.id)
        elif event.kind == "chat":
            pending = (FollowUp(next_day, f"thank {first} for the chat on {when}", f"chat-{event.id}"), event.id)
        elif event.kind == "intro":
            to = f" to {event.intro_to}" if event.intro_to else ""
            pending = (FollowUp(next_day, f"thank {first} for the intro{to}", f"intro-{event.id}"), event.id)
        elif event.kind == "referral":
            pending = (FollowUp(next_day, f"thank {first} for the referral", f"referral-{event.id}"), event.id)
        elif event.kind == "message":
            pending = None  # my message answers whatever I owed them
            if not engaged:
                my_messages.append(event)
    if pending is not None:
        return pending
    if not engaged:
        if not my_messages:
            if introduced is None:
                return None, 0
            due = introduced.date + relativedelta(days=2)
            reason = f"first message to {name} (introduced by {introduced.by} on {short_date(introduced.date)})"
            return FollowUp(due, reason, f"introduced-{introduced.id}"), introduced.id
        if len(my_messages) == 1:
            sent = my_messages[0]
            due = add_business_days(sent.date, nudge_business_days)
            reason = f"nudge: no reply to your message of {short_date(sent.date)}"
            return FollowUp(due, reason, f"nudge-{sent.id}"), sent.id
        return None, my_messages[-1].id  # one nudge sent and still no reply: no pestering
    last = events[-1]
    due = cadence.next_after(last.date)
    reason = f"keep in touch ({cadence.text}; last {last.kind} on {short_date(last.date)})"
    return FollowUp(due, reason, f"keep-{last.id}"), last.id


def next_follow_up(
    name: str,
    history: Sequence[Event],
    *,
    cadence: Cadence,
    nudge_business_days: int = NUDGE_BUSINESS_DAYS,
    introduced: Introduction | None = None,
    explicit: Explicit | None = None,
    done: Done | None = None,
    archived: bool = False,
) -> FollowUp | None:
    """When my next move with this contact is due, and why; None when nothing is scheduled.

    An explicit date wins until something new of theirs is logged (a reply, chat, intro
    or referral makes a new obligation) or something of mine is logged on or after it;
    a snoozed date also lapses once the follow-up it moved is answered.
    `done` completes what was due and schedules keep-in-touch by cadence from that day, once they have answered
    (before that, nothing: see _after_done).
    """
    if archived:
        return None
    rule, trigger_id = from_history(
        name, history, cadence=cadence, nudge_business_days=nudge_business_days, introduced=introduced
    )
    if done is not None and (rule is None or trigger_id <= done.through_id):
        rule = _after_done(history, cadence=cadence, done=done)
    if explicit is not None and _explicit_still_holds(explicit, history, rule):
        if explicit.key is not None:  # a snooze: the same follow-up, later
            return FollowUp(explicit.date, f"{rule.reason} ({explicit.note or 'snoozed'})", rule.key)
        reason = explicit.note or f"follow up with {first_name(name)} (the date you set)"
        return FollowUp(explicit.date, reason, f"set-{explicit.after_id}")
    return rule


def _after_done(history: Sequence[Event], *, cadence: Cadence, done: Done) -> FollowUp | None:
    """What `done` leaves scheduled: keep-in-touch by cadence with someone who has answered, else nothing.

    Done on a first message or a nudge to someone who never answered is "sent it, now I wait": a nudge after a
    nudge would be pestering, and keep-in-touch (which reports back on a chat) has nothing to write about. Their
    reply, or my first message when none was logged, schedules the next move again.
    """
    if not any(e.kind in THEIR_MOVES for e in history):
        return None
    anchor = max(done.date, *(e.date for e in history))
    last_id = max(e.id for e in history)
    return FollowUp(
        cadence.next_after(anchor),
        f"keep in touch ({cadence.text}; done on {short_date(done.date)})",
        f"keep-done-{max(done.through_id, last_id)}",
    )


def _explicit_still_holds(explicit: Explicit, history: Sequence[Event], rule: FollowUp | None) -> bool:
    if explicit.key is not None and (rule is None or rule.key != explicit.key):
        return False
    for event in history:
        if event.id <= explicit.after_id:
            continue
        if event.kind in THEIR_MOVES or event.date >= explicit.date:
            return False
    return True
