"""What is derived from a contact's history and kept on the contact: stage and next follow-up.

Recomputed in the caller's transaction whenever something that affects it changes, so
"who is due" is one indexed query rather than a walk through everyone's history.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select, update
from sqlmodel import Session

from crm.dates import short_date, weekday_date
from crm.errors import CrmError
from crm.followups.cadence import parse_cadence
from crm.followups.freshness import FINGERPRINT_KEY, fingerprint
from crm.followups.rules import Done, Event, Explicit, FollowUp, Introduction, next_follow_up
from crm.models import Contact, Interaction, Meta
from crm.store.settings import Settings, load_settings

# The strongest kind seen decides the stage; a `note` moves nothing.
_STAGE_BY_KIND = (
    ("intro", "advocate"),
    ("referral", "advocate"),
    ("chat", "chatted"),
    ("reply", "replied"),
    ("message", "contacted"),
)


def derive_stage(kinds: set[str]) -> str:
    for kind, stage in _STAGE_BY_KIND:
        if kind in kinds:
            return stage
    return "identified"


def _events(rows) -> list[Event]:
    return [Event(r.id, r.kind, r.date, getattr(r, "intro_to_name", None)) for r in rows]


def _history_query():
    introduced = Contact.__table__.alias("introduced")
    return (
        select(
            Interaction.id,
            Interaction.contact_id,
            Interaction.kind,
            Interaction.date,
            introduced.c.name.label("intro_to_name"),
        )
        .outerjoin(introduced, introduced.c.id == Interaction.intro_to_id)
        .order_by(Interaction.contact_id, Interaction.date, Interaction.id)
    )


def _introductions_query():
    introducer = Contact.__table__.alias("introducer")
    return (
        select(Interaction.id, Interaction.intro_to_id, Interaction.date, introducer.c.name)
        .join(introducer, introducer.c.id == Interaction.contact_id)
        .where(Interaction.kind == "intro", Interaction.intro_to_id.is_not(None))
        .order_by(Interaction.date, Interaction.id)
    )


def compute(
    contact: Contact, events: list[Event], introduced: Introduction | None, settings: Settings
) -> FollowUp | None:
    """The contact's next follow-up from its stored settings and history."""
    explicit = (
        Explicit(contact.follow_up_on, contact.follow_up_after_id or 0, contact.follow_up_note, contact.follow_up_key)
        if contact.follow_up_on
        else None
    )
    done = Done(contact.done_on, contact.done_through_id or 0) if contact.done_on else None

    def by(cadence_text: str) -> FollowUp | None:
        return next_follow_up(
            contact.name,
            events,
            cadence=parse_cadence(cadence_text),
            nudge_business_days=settings.nudge_business_days,
            introduced=introduced,
            explicit=explicit,
            done=done,
            archived=contact.archived,
        )

    try:
        return by(contact.cadence or settings.default_cadence)
    except CrmError:
        if not contact.cadence:
            raise
        # A cadence stored before the rules for cadences got stricter (one that can never come round) must not
        # lock the user out of every command: keep in touch by the default until they edit it.
        return by(settings.default_cadence)


def _store(contact: Contact, follow_up: FollowUp | None, stage: str) -> None:
    contact.stage = stage
    contact.next_follow_up = follow_up.due if follow_up else None
    contact.next_follow_up_reason = follow_up.reason if follow_up else None
    contact.next_follow_up_key = follow_up.key if follow_up else None


def history_of(session: Session, contact_id: int) -> list[Event]:
    return _events(session.execute(_history_query().where(Interaction.contact_id == contact_id)))


def introduction_of(session: Session, contact_id: int) -> Introduction | None:
    row = session.execute(_introductions_query().where(Interaction.intro_to_id == contact_id).limit(1)).first()
    return Introduction(row.id, row.name, row.date) if row else None


def refresh_contact(session: Session, contact: Contact, *, settings: Settings | None = None) -> FollowUp | None:
    """Recompute the contact's stage and next follow-up inside the caller's transaction."""
    session.flush()
    events = history_of(session, contact.id)
    follow_up = compute(contact, events, introduction_of(session, contact.id), settings or load_settings())
    _store(contact, follow_up, derive_stage({e.kind for e in events}))
    session.add(contact)
    session.flush()
    return follow_up


def recompute_all(session: Session, settings: Settings) -> int:
    """Recompute every contact (after a settings or rules change) with two queries and one update pass."""
    history: dict[int, list] = defaultdict(list)
    for row in session.execute(_history_query()):
        history[row.contact_id].append(row)
    introductions: dict[int, Introduction] = {}
    for row in session.execute(_introductions_query()):
        introductions.setdefault(row.intro_to_id, Introduction(row.id, row.name, row.date))
    updates = []
    for contact in session.scalars(select(Contact)):
        events = _events(history.get(contact.id, ()))
        follow_up = compute(contact, events, introductions.get(contact.id), settings)
        updates.append(
            {
                "cid": contact.id,
                "stage": derive_stage({e.kind for e in events}),
                "next_follow_up": follow_up.due if follow_up else None,
                "next_follow_up_reason": follow_up.reason if follow_up else None,
                "next_follow_up_key": follow_up.key if follow_up else None,
            }
        )
    session.expunge_all()
    if updates:
        table = Contact.__table__
        statement = (
            update(table)
            .where(table.c.id == bindparam("cid"))
            .values(
                stage=bindparam("stage"),
                next_follow_up=bindparam("next_follow_up"),
                next_follow_up_reason=bindparam("next_follow_up_reason"),
                next_follow_up_key=bindparam("next_follow_up_key"),
            )
        )
        session.connection().execute(statement, updates)
    _set_meta(session, FINGERPRINT_KEY, fingerprint(settings))
    session.flush()
    return len(updates)


def _set_meta(session: Session, key: str, value: str) -> None:
    session.merge(Meta(key=key, value=value))


# ---------------------------------------------------------------- actions


def _refuse_archived(contact: Contact) -> None:
    if contact.archived:
        raise CrmError(
            f"{contact.name} is archived, so nothing is due: `crm contact archive {contact.id} --undo` first"
        )


def mark_done(*, session: Session, contact: Contact, today: dt.date) -> FollowUp | None:
    """Complete the current follow-up; the next one comes by cadence from today."""
    _refuse_archived(contact)
    if contact.next_follow_up is None:
        raise CrmError(f"nothing is scheduled for {contact.name}: log what happened with `crm log`")
    newest = session.scalar(select(func.max(Interaction.id)).where(Interaction.contact_id == contact.id))
    intro = introduction_of(session, contact.id)
    contact.done_on = today
    contact.done_through_id = max(newest or 0, intro.id if intro else 0)
    contact.follow_up_on = contact.follow_up_note = contact.follow_up_after_id = contact.follow_up_key = None
    return refresh_contact(session, contact)


# The fields `mark_done` changes (the derived ones are recomputed from them), and those that say the contact changed.
_SCHEDULE = ("done_on", "done_through_id", "follow_up_on", "follow_up_note", "follow_up_after_id", "follow_up_key")
_WATCHED = (*_SCHEDULE, "next_follow_up", "next_follow_up_key", "archived", "cadence", "updated_at")


@dataclass(frozen=True)
class DoneUndo:
    """What `mark_done_undoably` changed: the schedule as it was, and the contact as done left it.

    Plain values, held by the app for a few seconds so `u` can put the follow-up back (`undo_done`).
    """

    contact_id: int
    name: str
    before: tuple  # the _SCHEDULE fields before done
    after: tuple  # the _WATCHED fields right after done
    newest_interaction_id: int  # logging something since changes what undoing would mean
    follow_up: FollowUp | None  # the next follow-up done scheduled


def _watched(contact: Contact) -> tuple:
    """The _WATCHED fields, timestamps compared as stored (SQLite keeps no time zone)."""
    return tuple(
        value.replace(tzinfo=None) if isinstance(value, dt.datetime) else value
        for value in (getattr(contact, name) for name in _WATCHED)
    )


def _newest_interaction(session: Session, contact_id: int) -> int:
    return session.scalar(select(func.max(Interaction.id)).where(Interaction.contact_id == contact_id)) or 0


def mark_done_undoably(*, session: Session, contact: Contact, today: dt.date) -> DoneUndo:
    """`mark_done`, returning what `undo_done` needs to put the follow-up back as it was."""
    before = tuple(getattr(contact, name) for name in _SCHEDULE)
    follow_up = mark_done(session=session, contact=contact, today=today)
    return DoneUndo(
        contact.id,
        contact.name,
        before,
        _watched(contact),
        _newest_interaction(session, contact.id),
        follow_up,
    )


def undo_done(*, session: Session, token: DoneUndo) -> FollowUp | None:
    """Put the follow-up back as it was before `mark_done` (in the caller's transaction).

    CrmError, with nothing changed, when the contact is gone or changed since (logged, snoozed, edited, archived):
    undoing then would overwrite what was done after.
    """
    contact = session.get(Contact, token.contact_id)
    if contact is None:
        raise CrmError(f"nothing undone: {token.name} no longer exists")
    if _watched(contact) != token.after or _newest_interaction(session, contact.id) != token.newest_interaction_id:
        raise CrmError(f"nothing undone: {token.name} changed since (their follow-up is as it is now)")
    for name, value in zip(_SCHEDULE, token.before, strict=True):
        setattr(contact, name, value)
    return refresh_contact(session, contact)


def validate_snooze(until: dt.date, *, today: dt.date, due: dt.date | None = None) -> dt.date:
    """A follow-up moves later: CrmError for a date in the past, or before `due` (the follow-up's current date).

    The app's form asks here too.
    """
    if until < today:
        raise CrmError(f"{until.isoformat()} is in the past: snooze to today or later (e.g. +3d)")
    if due is not None and until < due:
        raise CrmError(
            f"{until.isoformat()} is before the follow-up's date, {weekday_date(due, today=today)}:"
            " snooze only moves it later"
        )
    return until


def snooze(*, session: Session, contact: Contact, until: dt.date, today: dt.date) -> FollowUp | None:
    """Move the contact's follow-up to `until` (an explicit date, which wins over the rules)."""
    _refuse_archived(contact)
    validate_snooze(until, today=today, due=contact.next_follow_up)
    current = contact.next_follow_up_key or ""
    if current.startswith("set-"):  # moving a date the user planned keeps their plan (and its note)
        set_explicit(
            session=session, contact=contact, on=until, note=contact.follow_up_note, after_id=contact.follow_up_after_id
        )
    elif current:  # a snooze moves the follow-up due now; once that one is answered, it lapses
        set_explicit(session=session, contact=contact, on=until, note=f"snoozed to {short_date(until)}", key=current)
    else:
        set_explicit(session=session, contact=contact, on=until, note=None)
    return refresh_contact(session, contact)


def set_explicit(
    *,
    session: Session,
    contact: Contact,
    on: dt.date,
    note: str | None,
    key: str | None = None,
    after_id: int | None = None,
) -> None:
    """Record a date the user chose; `key` ties it to one follow-up (a snooze), None to a plan."""
    if after_id is None:
        after_id = session.scalar(select(func.max(Interaction.id)).where(Interaction.contact_id == contact.id)) or 0
    contact.follow_up_on = on
    contact.follow_up_note = note
    contact.follow_up_after_id = after_id
    contact.follow_up_key = key
