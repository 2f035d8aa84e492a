"""Contacts: creating, editing, finding (by id, email, LinkedIn URL or part of a name) and listing."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, or_, select
from sqlmodel import Session

from crm.contacts.fields import (
    COLUMN_KINDS,
    CONTACT_FIELDS,
    LIMITS,
    ContactChanges,
    check_length,
    clean_name,
    normalize_email,
    normalize_linkedin,
    normalize_tag,
    parse_grad_year,
)
from crm.contacts.reads import find_exact_name as directory_exact_name
from crm.contacts.reads import resolve_contact_id
from crm.errors import CrmError
from crm.followups.writes import refresh_contact
from crm.models import Contact, ContactTag, Draft, Hook, Interaction, Promise, _now
from crm.store.db import raw_connection

if TYPE_CHECKING:
    from crm.store.store import Store

# Fields a user sets directly; everything else is derived or bookkeeping.
EDITABLE_TEXT = (
    "name", "email", "linkedin_url", "company", "team", "role", "school",
    "program", "location", "source", "cadence", "notes",
)  # fmt: skip


def _clean_text(name: str, value: str) -> str | None:
    if name == "name":
        return clean_name(value)
    text = value.strip()
    if not text:
        return None
    if name == "email":
        return normalize_email(text)
    if name == "linkedin_url":
        return normalize_linkedin(text)
    field = next(f for f in CONTACT_FIELDS if f.name == name)
    check_length(text, COLUMN_KINDS["contact"][name], f"the {field.label.lower()}")
    if name == "cadence":
        from crm.followups.cadence import parse_cadence

        parse_cadence(text)  # raises CrmError naming the accepted phrases
    return text


def _check_unique(session: Session, contact: Contact) -> None:
    for column in ("email", "linkedin_url"):
        value = getattr(contact, column)
        if not value:
            continue
        clash = session.scalar(select(Contact).where(getattr(Contact, column) == value, Contact.id != contact.id))
        if clash is not None:
            label = "email" if column == "email" else "LinkedIn URL"
            raise CrmError(
                f"{clash.name} (#{clash.id}) already has the {label} {value}: "
                "edit that contact instead, or clear the field there first"
            )


def apply_changes(session: Session, contact: Contact, changes: ContactChanges, *, today: dt.date) -> Contact:
    """Validate and apply `changes` to `contact` (new or existing) inside the caller's transaction."""
    for name in EDITABLE_TEXT:
        value = getattr(changes, name)
        if value is not None:
            setattr(contact, name, _clean_text(name, value))
    if changes.grad_year is not None:
        contact.grad_year = (
            None if str(changes.grad_year).strip() == "" else parse_grad_year(changes.grad_year, today=today)
        )
    if changes.introduced_by is not None:
        if changes.introduced_by.strip() == "":
            contact.introduced_by_id = None
        else:
            introducer = resolve_contact(session, changes.introduced_by)
            if contact.id is not None and introducer.id == contact.id:
                raise CrmError(f"{contact.name} cannot be introduced by themselves")
            contact.introduced_by_id = introducer.id
    contact.updated_at = _now()
    session.add(contact)
    session.flush()
    _check_unique(session, contact)
    for tag in {normalize_tag(t) for t in changes.add_tags}:
        session.merge(ContactTag(contact_id=contact.id, tag=tag))
    removed = {normalize_tag(t) for t in changes.remove_tags}
    if removed:
        session.execute(delete(ContactTag).where(ContactTag.contact_id == contact.id, ContactTag.tag.in_(removed)))
    refresh_contact(session, contact)  # the name (in reasons) and the cadence both shape the follow-up
    return contact


def create_contact(*, session: Session, changes: ContactChanges, today: dt.date) -> Contact:
    if changes.name is None:
        raise CrmError("a contact needs a name: give a non-empty NAME")
    return apply_changes(session, Contact(name=changes.name), changes, today=today)


def edit_contact(*, session: Session, contact: Contact, changes: ContactChanges, today: dt.date) -> Contact:
    return apply_changes(session, contact, changes, today=today)


def archive_contact(*, session: Session, contact: Contact, archived: bool = True) -> Contact:
    contact.archived = archived
    contact.updated_at = _now()
    refresh_contact(session, contact)
    return contact


# -- forgetting ----------------------------------------------------------------------------------------------------
#
# Forgetting someone removes them and everything of theirs (tags, hooks, interactions, drafts, promises, their
# follow-up, the search index's entries), and what crm itself wrote about them on other contacts: in `source`
# ("intro from NAME", crm's words after a logged intro; provenance you typed counts too) and in the "merged from ..."
# lines a merge appends to notes, the name becomes FORGOTTEN; follow-ups whose reasons named them ("first message
# to X (introduced by NAME ...)") are recomputed; intro links to them point at nobody. Your own words about other
# people (notes, interactions, hooks, drafts, promises) are yours and are left alone: the contacts whose words still
# name them are listed, so you can edit them. Names and emails match whole, case ignored (ASCII case, in SQL).
# A rewritten value stays within its limit (crm.contacts.fields.LIMITS: a longer one could be neither copied nor
# restored), though the phrase is longer than a short name: `_fitted` shortens the words around it then.

FORGOTTEN = "a forgotten contact"

# crm's line in the notes of a merged contact (crm.contacts.merge.MergePlan.note)
_MERGE_LINE = "merged from "


@dataclass(frozen=True)
class Mention:
    """A contact (other than the forgotten one) whose fields named them, and which fields."""

    id: int
    name: str
    fields: tuple[str, ...]

    def as_json(self) -> dict:
        return {"id": self.id, "name": self.name, "fields": list(self.fields)}


@dataclass(frozen=True)
class Forgotten:
    """What forgetting someone did, and what is left for the user to do."""

    id: int
    name: str
    rewritten: tuple[Mention, ...] = ()  # crm's own words about them on other contacts, rewritten
    still_named: tuple[Mention, ...] = ()  # the user's own words that still name them, left alone
    wal_cleared: bool = True  # False: another program's read kept the old pages in the -wal until it closes
    backups: tuple[Path, ...] = ()  # backups beside the database that still hold them
    database: Path | None = None
    shared_kept: bool = False  # a club's shared record of them stays: other members know them (crm.club)

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "rewritten": [m.as_json() for m in self.rewritten],
            "still_named": [m.as_json() for m in self.still_named],
            "wal_cleared": self.wal_cleared,
            "backups": [str(path) for path in self.backups],
            "shared_record_kept": self.shared_kept,
            "outside_crm": OUTSIDE_CRM,
        }

    def report(self) -> list[str]:
        """What was done and what is left for the user, in lines the CLI prints and the app shows."""
        name = self.name
        lines = [f"Forgot #{self.id} {name} and all their history."]
        if self.shared_kept:
            lines = [
                f"Forgot your history with #{self.id} {name}. The club's shared record of them (name, company, "
                "hooks) stays: other club members know them, or it has hooks (the club's research)."
            ]
        if self.rewritten:
            lines.append(f"crm's own mentions of {name} now say {FORGOTTEN!r}: {_listed(self.rewritten)}.")
        if self.still_named:
            lines.append(
                f"Your own words still name {name} (crm leaves them alone: edit them if they should go): "
                f"{_listed(self.still_named)}."
            )
        if not self.wal_cleared:
            lines.append(
                f"Another program (the crm app, say) was reading the database: the old copies of {name}'s pages stay "
                f"in {self.database or 'the database'} and its -wal until it closes (if it is killed instead, the "
                "next crm command clears them)."
            )
        if self.backups:
            lines.append(f"These backups still hold {name}: delete them if they should forget too:")
            lines += [f"  {path}" for path in self.backups]
        lines.append(OUTSIDE_CRM)
        return lines


# Said after every forget: what crm cannot reach.
OUTSIDE_CRM = (
    "Files you exported earlier (crm export) and copies made with `crm backup PATH` elsewhere are outside crm's "
    "reach: delete them yourself if they should forget too."
)


def _listed(mentions: tuple[Mention, ...]) -> str:
    return ", ".join(f"#{m.id} {m.name} ({', '.join(m.fields)})" for m in mentions)


def _like(column, term: str):
    """`column` may contain `term`: a cheap first pass in SQL (ILIKE), checked in Python after (`_pattern`). ILIKE
    ignores case for ASCII letters only on SQLite (and on a server in the C locale), so every other character, and
    the letters `re.IGNORECASE` also matches to non-ASCII ones (i: İ ı, k: the Kelvin sign, s: ſ), match any one
    character here: the pass lets through everything the Python check would find."""
    escaped = "".join(
        "_" if not ch.isascii() or ch in "iIkKsS" else ch.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        for ch in term
    )
    return column.ilike(f"%{escaped}%", escape="\\")


def _pattern(terms: list[str]) -> re.Pattern[str]:
    """The terms as whole words, case ignored: forgetting "Ana" leaves "Canada" alone."""
    return re.compile("|".join(rf"(?<!\w){re.escape(term)}(?!\w)" for term in terms), re.IGNORECASE)


_WORD = re.compile(r"\w")
_CUT = "…"  # where a rewritten value lost some of its words to stay within its limit
_SHORTENED = " shortened to fit"  # said after the field's label in the report


def _fitted(text: str, terms: list[str], most: int) -> str:
    """`text` with every term replaced by FORGOTTEN, in at most `most` characters.

    The phrase is longer than a short name, so a value near its limit can outgrow it. The phrase itself is never cut
    (it says someone was forgotten); the text around it is: the longest stretch of it loses its middle (its end, when
    it ends the text), so the words next to the phrase ("intro from") stay, and `_CUT` marks where. Cuts fall
    between words where one is near, and never leave a term whole at their edge. Should the phrases leave no room
    for that (a two-letter name many times over), the text keeps its start, as many whole phrases as fit, then `_CUT`.
    """
    pattern = _pattern(terms)
    gaps = pattern.split(text)
    out = FORGOTTEN.join(gaps)
    if len(out) <= most:
        return out
    over = len(out) - most + len(_CUT)
    i = max(range(len(gaps)), key=lambda k: len(gaps[k]))
    gap = gaps[i]
    if len(gap) >= over:
        room = len(gap) - over
        head = room if i == len(gaps) - 1 else (room + 1) // 2
        head, tail = _head(gap, head, pattern), _tail(gap, len(gap) - (room - head), pattern)
        return FORGOTTEN.join([*gaps[:i], gap[:head] + _CUT + gap[tail:], *gaps[i + 1 :]])
    pieces, room = [], most - len(_CUT)
    for k, gap in enumerate(gaps):
        if k:
            if room < len(FORGOTTEN):
                break
            pieces.append(FORGOTTEN)
            room -= len(FORGOTTEN)
        if len(gap) > room:
            pieces.append(gap[: _head(gap, room, pattern)])
            break
        pieces.append(gap)
        room -= len(gap)
    return "".join(pieces) + _CUT


def _head(text: str, end: int, pattern: re.Pattern[str]) -> int:
    """Where to end a kept start of `text`, at or before `end`: between words (`_edge`), naming no term."""
    while end > 0:
        end = _edge(text, end, -1)
        found = list(pattern.finditer(text, 0, end))  # `end` as the end of the text: what the cut leaves
        if not found:
            return end
        end = found[-1].start()
    return 0


def _tail(text: str, start: int, pattern: re.Pattern[str]) -> int:
    """Where to start a kept end of `text`, at or after `start`: between words (`_edge`), naming no term."""
    while start < len(text):
        start = _edge(text, start, 1)
        found = pattern.search(text[start:])  # a term the cut would leave at its start
        if found is None:
            return start
        start += found.end()
    return len(text)


_NEAR = 20  # a cut moves this far at most to fall between words: a longer word (a web address) is cut inside


def _edge(text: str, at: int, step: int) -> int:
    """`at`, or the nearest place between two words within _NEAR characters in the direction of `step`."""
    for moved in range(at, at + step * _NEAR, step):
        if not 0 < moved < len(text) or not (_WORD.match(text[moved - 1]) and _WORD.match(text[moved])):
            return moved
    return at


def _names(text: str | None, terms: list[str]) -> bool:
    return bool(text) and _pattern(terms).search(text) is not None


def _rewritten_notes(notes: str, terms: list[str]) -> tuple[str, bool]:
    """The notes with the terms replaced in crm's merge lines, within the notes' limit; and whether a line was cut.

    Only the growth is cut: from the last merge line back, none shorter than it was (a value already over its limit,
    from an older crm, is not the forget's to shorten)."""
    pattern = _pattern(terms)
    lines = notes.split("\n")
    merge = [j for j, line in enumerate(lines) if line.startswith(_MERGE_LINE)]
    kept = list(lines)
    for j in merge:
        kept[j] = _MERGE_LINE + pattern.sub(FORGOTTEN, lines[j][len(_MERGE_LINE) :])
    over = len("\n".join(kept)) - max(LIMITS["text"][0], len(notes))
    cut = False
    for j in reversed(merge):
        if over <= 0:
            break
        most = max(len(kept[j]) - over, len(lines[j]))
        if most < len(kept[j]):
            shorter = _MERGE_LINE + _fitted(lines[j][len(_MERGE_LINE) :], terms, most - len(_MERGE_LINE))
            over -= len(kept[j]) - len(shorter)
            kept[j], cut = shorter, True
    return "\n".join(kept), cut


def _rewrite_crm_mentions(session: Session, terms: list[str]) -> dict[int, list[str]]:
    """Replace the terms in other contacts' `source` and in the merge lines of their notes, each within its limit
    (`_fitted`); {id: fields}."""
    rewritten: dict[int, list[str]] = {}
    matches = [_like(column, term) for column in (Contact.source, Contact.notes) for term in terms]
    for other in session.scalars(select(Contact).where(or_(*matches))).all():
        if _names(other.source, terms):
            most = max(LIMITS[COLUMN_KINDS["contact"]["source"]][0], len(other.source))
            source = _fitted(other.source, terms, most)
            shortened = len(source) < len(_pattern(terms).sub(FORGOTTEN, other.source))
            other.source = source
            other.updated_at = _now()
            rewritten.setdefault(other.id, []).append("source" + _SHORTENED * shortened)
        if other.notes and _names(other.notes, terms):
            notes, shortened = _rewritten_notes(other.notes, terms)
            if notes != other.notes:
                other.notes = notes
                other.updated_at = _now()
                rewritten.setdefault(other.id, []).append("notes (merge line)" + _SHORTENED * shortened)
    return rewritten


def _still_named(session: Session, terms: list[str]) -> dict[int, list[str]]:
    """Where the user's own words on other contacts still name them: {contact id: fields}. One scan per table."""
    tables = [
        (Contact.id, [(Contact.notes, "notes"), (Contact.follow_up_note, "follow-up note")]),
        (
            Interaction.contact_id,
            [
                (Interaction.notes, "interaction notes"),
                (Interaction.takeaways, "takeaways"),
                (Interaction.next_step, "next step"),
                (Interaction.advice, "advice"),
                (Interaction.suggested, "suggested names"),
            ],
        ),
        (Hook.contact_id, [(Hook.text, "hook"), (Hook.question, "hook question")]),
        (Draft.contact_id, [(Draft.text, "draft")]),
        (Promise.contact_id, [(Promise.text, "promise")]),
    ]
    named: dict[int, list[str]] = {}
    for owner, columns in tables:
        matches = [_like(column, term) for column, _ in columns for term in terms]
        for contact_id, *texts in session.execute(select(owner, *(c for c, _ in columns)).where(or_(*matches))):
            for (_, label), text in zip(columns, texts, strict=True):
                if label == "notes" and text:  # the merge lines were rewritten: what still names them is the user's
                    text = "\n".join(line for line in text.split("\n") if not line.startswith(_MERGE_LINE))
                if _names(text, terms) and label not in named.setdefault(contact_id, []):
                    named[contact_id].append(label)
    return {cid: labels for cid, labels in named.items() if labels}


def forget_contact(*, session: Session, contact: Contact) -> Forgotten:
    """Delete the contact and everything of theirs, and crm's own mentions of them, in the caller's transaction.

    The database cascade deletes their tags, hooks, interactions, drafts and promises, and the index triggers their
    entries; the index is then rewritten without them (crm.search.purge_deleted_entries). The connection's
    secure_delete (crm.store.db) zeroes what is freed. See the note above for what counts as crm's own words.
    """
    from crm.search import purge_deleted_entries

    contact_id, name = contact.id, contact.name
    terms = [t for t in (name, contact.email) if t]
    linked = set(session.scalars(select(Contact.id).where(Contact.introduced_by_id == contact_id)))
    linked |= set(session.scalars(select(Interaction.contact_id).where(Interaction.intro_to_id == contact_id)))
    linked |= set(
        session.scalars(select(Contact.id).where(or_(*(_like(Contact.next_follow_up_reason, t) for t in terms))))
    )
    session.delete(contact)
    session.flush()
    session.expire_all()  # the cascade and SET NULL happened in the database, not in the loaded objects
    rewritten = _rewrite_crm_mentions(session, terms)
    for other_id in sorted((linked | set(rewritten)) - {contact_id}):
        other = session.get(Contact, other_id)
        if other is not None:
            refresh_contact(session, other)
    session.flush()
    purge_deleted_entries(raw_connection(session))
    # In a club (crm.club) `contact` is a view: deleting removes my relationship with them, and the shared record
    # stays while another member has one of their own.
    shared_kept = session.get(Contact, contact_id) is not None
    still = {cid: fields for cid, fields in _still_named(session, terms).items() if cid != contact_id}

    def mentions(found: dict[int, list[str]]) -> tuple[Mention, ...]:
        return tuple(Mention(cid, session.get(Contact, cid).name, tuple(found[cid])) for cid in sorted(found))

    return Forgotten(
        contact_id, name, rewritten=mentions(rewritten), still_named=mentions(still), shared_kept=shared_kept
    )


def forget(store: Store, contact_id: int) -> Forgotten:
    """Forget a contact for good: delete (forget_contact) in one transaction, then empty the -wal, and list the
    backups that still hold them. The CLI and the app both call this."""
    from crm.store.db import backups_holding

    with store.write() as session:
        contact = session.get(Contact, contact_id)
        if contact is None:
            raise CrmError(f"no contact has id {contact_id}: see `crm contact list`")
        forgotten = forget_contact(session=session, contact=contact)
    cleared = store.truncate_wal()
    backups = tuple(backups_holding(store.path, contact_id=forgotten.id, name=forgotten.name))
    return replace(forgotten, wal_cleared=cleared, backups=backups, database=store.path)


def resolve_contact(session: Session, query: str) -> Contact:
    """Find exactly one contact from an id, an email, a LinkedIn URL or part of a name."""
    return session.get(Contact, resolve_contact_id(raw_connection(session), query))


def find_exact_name(session: Session, name: str) -> list[Contact]:
    return [session.get(Contact, cid) for cid in directory_exact_name(raw_connection(session), name)]
