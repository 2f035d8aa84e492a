"""Interactions: logging what happened with a contact, the stage that follows from it, and what a chat leaves
behind (advice, people suggested to me, promises I made)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session

from crm.contacts.fields import KINDS, check_length
from crm.contacts.reads import find_exact_name as exact_name_ids
from crm.contacts.reads import identifier_kind
from crm.contacts.writes import ContactChanges, create_contact, find_exact_name, resolve_contact
from crm.errors import CrmError
from crm.followups.promises import SEPARATOR, PromiseText, add_promise, read_promise
from crm.followups.writes import refresh_contact, set_explicit
from crm.models import Contact, Interaction, Promise
from crm.store.db import raw_connection
from crm.store.dialect import fold

# Advice and suggested names come from them: not from a message I sent.
THEIR_WORDS = ("reply", "chat", "intro", "referral", "note")


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


def same_name(session: Session, name: str) -> list[Contact]:
    """The contacts named `name`: exactly (case aside), else the same accents aside ("Lucia Fernandez" is Lucía
    Fernández when no Lucia Fernandez exists), as a lookup by name finds them (crm.contacts.reads.find_by_name)."""
    same = find_exact_name(session, name)
    if same:
        return same
    return [session.get(Contact, cid) for cid in exact_name_ids(raw_connection(session), name, accents=False)]


def _intro_target(session: Session, introducer: Contact, name: str, *, today: dt.date) -> Contact:
    """The person an intro was to: an existing contact named so (accents aside: `same_name`), else a new one."""
    text = name.strip()
    if not text:
        raise CrmError("--intro-to needs the name of the person you were introduced to")
    if identifier_kind(text) is not None:
        target = resolve_contact(session, text)
    else:
        same = same_name(session, text)
        if len(same) > 1:
            listed = "; ".join(f"#{c.id} {c.name}" + (f" ({c.company})" if c.company else "") for c in same)
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


@dataclass(frozen=True)
class Suggested:
    """Someone a contact suggested I talk to ("Jia Song (Spotify)"); `add`: make them a contact introduced by them."""

    name: str
    company: str | None = None
    add: bool = False

    @property
    def label(self) -> str:
        return self.name + (f" ({self.company})" if self.company else "")


_PARENS = re.compile(r"^(?P<name>[^()]*?)\s*\((?P<company>[^()]*)\)$")


def read_suggested(text: str, *, add: bool = False) -> Suggested:
    """'NAME[, COMPANY]' or 'NAME (COMPANY)'; CrmError when there is no name."""
    clean = " ".join((text or "").split())
    found = _PARENS.match(clean)
    if found is not None:
        name, company = found.group("name"), found.group("company")
    else:
        name, _, company = clean.partition(",")
    name, company = name.strip(" ,"), company.strip(" ,") or None
    if not name:
        raise CrmError(f"{text.strip()!r} names nobody: write a suggested person as 'NAME' or 'NAME, COMPANY'")
    check_length(name, "name", "a suggested person's name")
    check_length(company, "line", "a suggested person's company")
    return Suggested(name, company, add)


def read_suggested_line(line: str) -> list[Suggested]:
    """Several suggested people typed in one line, separated by ';' (the log form's "Suggested")."""
    return [read_suggested(part) for part in line.split(SEPARATOR) if part.strip()]


@dataclass(frozen=True)
class SuggestedOutcome:
    """What became of one suggested person: added as a contact, linked to an existing one, or only noted."""

    suggested: Suggested
    contact: Contact | None = None
    outcome: str = "noted"  # "added", "linked", "noted", or "already introduced by NAME"


@dataclass
class Logged:
    """What logging one interaction wrote: the interaction, the person an intro was to, promises, suggestions."""

    interaction: Interaction
    intro_to: Contact | None = None
    # The name typed with --intro-to when it named `intro_to` only accents aside ("Lucia Fernandez" for Lucía
    # Fernández): the link is worth saying.
    intro_typed: str | None = None
    promises: list[Promise] = field(default_factory=list)
    suggested: list[SuggestedOutcome] = field(default_factory=list)


def _suggested_contact(session: Session, suggester: Contact, person: Suggested, *, today: dt.date) -> SuggestedOutcome:
    """The contact a suggested person becomes: an existing one named so (linked; accents aside: `same_name`), else
    a new one."""
    same = same_name(session, person.name)
    if len(same) > 1 and person.company:
        at = [c for c in same if (c.company or "").casefold() == person.company.casefold()]
        same = at or same
    if len(same) > 1:
        listed = "; ".join(f"#{c.id} {c.name}" + (f" ({c.company})" if c.company else "") for c in same)
        raise CrmError(
            f"{person.name!r} names {len(same)} contacts: {listed}; log without adding them and link the one you "
            f"mean with `crm contact edit ID --introduced-by {suggester.id}`"
        )
    if not same:
        created = create_contact(
            session=session,
            changes=ContactChanges(name=person.name, company=person.company, source=f"suggested by {suggester.name}"),
            today=today,
        )
        created.introduced_by_id = suggester.id
        session.add(created)
        session.flush()
        return SuggestedOutcome(person, created, "added")
    found = same[0]
    if found.id == suggester.id:
        raise CrmError(f"{suggester.name} cannot suggest talking to themselves: leave {person.name!r} out")
    if found.introduced_by_id is None:
        found.introduced_by_id = suggester.id
        session.add(found)
        session.flush()
        return SuggestedOutcome(person, found, "linked")
    if found.introduced_by_id == suggester.id:
        return SuggestedOutcome(person, found, "linked")
    introducer = session.get(Contact, found.introduced_by_id)
    return SuggestedOutcome(person, found, f"already introduced by {introducer.name if introducer else 'someone'}")


def log_interaction(**kwargs) -> Interaction:
    """`record_interaction`, for callers that need only the interaction."""
    return record_interaction(**kwargs).interaction


def record_interaction(
    *,
    session: Session,
    contact: Contact,
    kind: str,
    date: dt.date,
    today: dt.date,
    notes: str | None = None,
    takeaways: str | None = None,
    next_step: str | None = None,
    next_step_due: dt.date | None = None,
    follow_up: dt.date | None = None,
    intro_to: str | None = None,
    advice: str | None = None,
    suggested: Sequence[Suggested] = (),
    promises: Sequence[str | PromiseText] = (),
) -> Logged:
    """Record one interaction in the caller's transaction, with what it leaves behind.

    For an intro, the person introduced (made a contact if new). Advice and suggested people (a reply, chat, intro,
    referral or note: their words, not my message); each suggested person with `add` becomes a contact introduced
    by this one (an existing contact of that exact name is linked instead). A next step with a date (`next_step_due`,
    or an unambiguous trailing "by <date>") and each of `promises` become promises (crm.followups.promises).
    """
    kind = check_kind(kind)
    for value, label in ((notes, "notes"), (takeaways, "takeaways"), (next_step, "next step"), (advice, "advice")):
        check_length(_text(value), "text", f"the {label}")
    for promise in promises:
        check_length(promise.text if isinstance(promise, PromiseText) else _text(promise), "text", "a promise")
    validate_log_date(date, today=today)
    if follow_up is not None and follow_up < date:
        raise CrmError(f"--follow-up {follow_up.isoformat()} is before the interaction itself ({date.isoformat()})")
    if intro_to is not None and kind != "intro":
        raise CrmError("--intro-to only goes with --kind intro")
    if kind not in THEIR_WORDS and (_text(advice) or suggested):
        what = "--advice" if _text(advice) else "--suggested"
        raise CrmError(f"{what} is what they said: log it with a reply, chat, intro, referral or note, not a {kind}")
    step = _text(next_step)
    if next_step_due is not None and step is None:
        raise CrmError("--next-step-due needs a --next-step: what is due then?")
    step_promise = read_promise(step, said_on=date, today=today, explicit=next_step_due) if step else None
    # A next step becomes a promise when it has a date; without one it stays the chat's next step, as ever.
    read = [p if isinstance(p, PromiseText) else read_promise(p, said_on=date, today=today) for p in promises]
    names = _unique(suggested)
    target = _intro_target(session, contact, intro_to, today=today) if intro_to is not None else None
    interaction = Interaction(
        contact_id=contact.id,
        kind=kind,
        date=date,
        notes=_text(notes),
        takeaways=_text(takeaways),
        next_step=step,
        follow_up=follow_up,
        advice=_text(advice),
        suggested=check_length("\n".join(p.label for p in names) or None, "text", "the suggested people"),
        intro_to_id=target.id if target else None,
    )
    session.add(interaction)
    session.flush()
    logged = Logged(interaction, target)
    typed = " ".join(intro_to.split()) if intro_to is not None else ""
    if target is not None and identifier_kind(typed) is None and fold(" ".join(target.name.split())) != fold(typed):
        logged.intro_typed = typed
    if step_promise is not None and step_promise.due is not None:
        logged.promises.append(
            add_promise(session=session, contact=contact, promise=step_promise, interaction=interaction,
                        from_next_step=True)
        )  # fmt: skip
    for promise in read:
        logged.promises.append(add_promise(session=session, contact=contact, promise=promise, interaction=interaction))
    for person in names:
        outcome = _suggested_contact(session, contact, person, today=today) if person.add else SuggestedOutcome(person)
        logged.suggested.append(outcome)
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
    return logged


def _unique(people: Sequence[Suggested]) -> list[Suggested]:
    """Each person once (by name, case ignored); asked to add them anywhere, they are added."""
    seen: dict[str, Suggested] = {}
    for person in people:
        key = person.name.casefold()
        if key in seen:
            if person.add and not seen[key].add:
                seen[key] = Suggested(seen[key].name, seen[key].company or person.company, True)
        else:
            seen[key] = person
    return list(seen.values())


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    stripped = value.strip()
    return stripped or None
