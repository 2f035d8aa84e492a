"""Interactions: logging what happened with a contact, and the stage that follows from it."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from crm.contacts.fields import KINDS
from crm.contacts.reads import identifier_kind
from crm.contacts.writes import ContactChanges, create_contact, find_exact_name, resolve_contact
from crm.errors import CrmError
from crm.followups.writes import refresh_contact, set_explicit
from crm.models import Contact, Interaction


def check_kind(kind: str) -> str:
    clean = (kind or "").strip().lower()
    if clean not in KINDS:
        raise CrmError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    return clean


def validate_log_date(date: dt.date, *, today: dt.date) -> dt.date:
    """What is logged has happened: CrmError for a date after today. The app's form asks here too."""
    if date > today:
        raise CrmError(
            f"{date.isoformat()} is in the future: log it once it has happened (use --follow-up to plan ahead)"
        )
    return date


def _intro_target(session: Session, introducer: Contact, name: str, *, today: dt.date) -> Contact:
    """The person an intro was to: an existing contact named exactly so, else a new one."""
    text = name.strip()
    if not text:
        raise CrmError("--intro-to needs the name of the person you were introduced to")
    if identifier_kind(text) is not None:
        target = resolve_contact(session, text)
    else:
        same = find_exact_name(session, text)
        if len(same) > 1:
            listed = "; ".join(f"#{c.id} {c.name}" for c in same)
            raise CrmError(f"{text!r} names {len(same)} contacts: {listed}; use an id with --intro-to")
        target = same[0] if same else None
    if target is None:
        target = create_contact(
            session=session,
            changes=ContactChanges(name=text, company=None, source=f"intro from {introducer.name}"),
            today=today,
        )
        target.introduced_by_id = introducer.id
    elif target.id == introducer.id:
        raise CrmError(f"{introducer.name} cannot introduce you to themselves")
    elif target.introduced_by_id is None:
        target.introduced_by_id = introducer.id
    session.add(target)
    session.flush()
    return target


def log_interaction(
    *,
    session: Session,
    contact: Contact,
    kind: str,
    date: dt.date,
    today: dt.date,
    notes: str | None = None,
    takeaways: str | None = None,
    next_step: str | None = None,
    follow_up: dt.date | None = None,
    intro_to: str | None = None,
) -> Interaction:
    """Record one interaction (and, for an intro, the person introduced) in the caller's transaction."""
    kind = check_kind(kind)
    validate_log_date(date, today=today)
    if follow_up is not None and follow_up < date:
        raise CrmError(f"--follow-up {follow_up.isoformat()} is before the interaction itself ({date.isoformat()})")
    if intro_to is not None and kind != "intro":
        raise CrmError("--intro-to only goes with --kind intro")
    target = _intro_target(session, contact, intro_to, today=today) if intro_to is not None else None
    interaction = Interaction(
        contact_id=contact.id,
        kind=kind,
        date=date,
        notes=_text(notes),
        takeaways=_text(takeaways),
        next_step=_text(next_step),
        follow_up=follow_up,
        intro_to_id=target.id if target else None,
    )
    session.add(interaction)
    session.flush()
    if follow_up is not None:
        note = (
            f"next step: {interaction.next_step}"
            if interaction.next_step
            else f"you set {follow_up:%b} {follow_up.day}"
        )
        set_explicit(session=session, contact=contact, on=follow_up, note=note, after_id=interaction.id)
    refresh_contact(session, contact)
    if target is not None:
        refresh_contact(session, target)
    return interaction


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    stripped = value.strip()
    return stripped or None
