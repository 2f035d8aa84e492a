"""Merging two contacts who are one person: `crm contact merge KEEP OTHER`.

OTHER's interactions, hooks, drafts, promises and tags move to KEEP, and each of OTHER's non-empty fields fills the
same field of KEEP where KEEP has none. Where both have a value and they differ, KEEP's stays: the conflict is listed,
and OTHER's value is kept in a line appended to KEEP's notes ("merged from Maya C. (#7): email maya@old.com"), so
nothing OTHER knew is lost. Whoever OTHER introduced is introduced by KEEP from then on, and intros logged as being
*to* OTHER are to KEEP. An intro between the two themselves (one introduced the other: two records of one person)
would point at itself, so it points at nobody. Then OTHER is deleted and the follow-ups of KEEP, and of everyone whose
history names them, are recomputed: all in the caller's one transaction.

On a club's database (crm.club) OTHER must be nobody else's: another member's rows on it are theirs to keep, so
`plan_merge` refuses in one line (saying whether merging the other way round works) before anything changes, for
the CLI, its dry run and the app alike; `club_known` tells the duplicate suggestions which records must stay.

`plan_merge` reads what would happen over plain sqlite3 (a dry run, or the app's preview, needs no ORM);
`merge_contacts` applies that plan through the ORM. The search index follows by itself: its entries are keyed by
interaction and hook ids, which do not change, and a search joins them to their contact when it runs.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crm.contacts.fields import CONTACT_FIELDS, check_length
from crm.errors import CrmError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlmodel import Session

    from crm.models import Contact
    from crm.store.settings import Settings

# The fields OTHER may fill in or conflict on, in the order they are listed; the name is KEEP's, always.
MERGED_FIELDS = (*(f.name for f in CONTACT_FIELDS), "source_date")
LABELS = {f.name: f.label.lower() for f in CONTACT_FIELDS} | {
    "source_date": "connected on",
    "introduced_by_id": "introduced by",
}
# The user's own plans for a contact's schedule (a follow-up date they set or snoozed to, a `crm done`).
_FOLLOW_UP = ("follow_up_on", "follow_up_note", "follow_up_after_id", "follow_up_key")
_DONE = ("done_on", "done_through_id")
_COLUMNS = ("id", "name", "archived", "introduced_by_id", *MERGED_FIELDS, *_FOLLOW_UP, *_DONE)


@dataclass(frozen=True)
class Person:
    """A contact as a merge sees it (values as stored)."""

    id: int
    name: str
    values: dict

    @property
    def label(self) -> str:
        return f"#{self.id} {self.name}"

    @property
    def archived(self) -> bool:
        return bool(self.values["archived"])


@dataclass
class MergePlan:
    """What merging `other` into `keep` does. Built by `plan_merge`; `merge_contacts` carries it out."""

    keep: Person
    other: Person
    taken: list[tuple[str, object]] = field(default_factory=list)  # (field, OTHER's value) filling an empty field
    conflicts: list[tuple[str, object]] = field(default_factory=list)  # (field, OTHER's value): KEEP's stays
    interactions: int = 0
    hooks: int = 0  # moved
    duplicate_hooks: list[tuple[int, int]] = field(default_factory=list)  # (OTHER's hook, KEEP's same hook): dropped
    drafts: int = 0
    promises: int = 0  # promises I made OTHER (kept or not): moved
    new_tags: list[str] = field(default_factory=list)  # OTHER's tags KEEP did not have
    introduced: list[tuple[int, str]] = field(default_factory=list)  # (id, name) introduced by OTHER: now by KEEP
    intros_to_other: list[tuple[int, str]] = field(default_factory=list)  # (id, name) who logged an intro to OTHER
    intro_targets: list[int] = field(default_factory=list)  # whom OTHER's own intros were to (their reasons name KEEP)
    intros_between: int = 0  # intros from one of the two to the other: they point at nobody afterwards
    introduced_by_id: int | None = None  # KEEP's introducer afterwards
    introduced_by_note: str | None = None  # how KEEP's introducer changed, when it did for a reason worth saying
    carry_follow_up: bool = False  # KEEP takes OTHER's follow-up date (KEEP had none of its own)
    carry_done: bool = False  # KEEP takes OTHER's `crm done` (newer than KEEP's)
    club: bool = False  # a club's database: OTHER is no other member's, so its shared record goes too

    @property
    def note(self) -> str | None:
        """The line appended to KEEP's notes: OTHER's values that lost to KEEP's; None when nothing conflicted."""
        if not self.conflicts:
            return None
        kept = "; ".join(f"{LABELS[name]} {value}" for name, value in self.conflicts)
        return f"merged from {self.other.name} (#{self.other.id}): {kept}"

    @property
    def refresh_ids(self) -> list[int]:
        """Everyone besides KEEP whose follow-up (or its wording) depends on what moved."""
        ids = {cid for cid, _ in self.introduced} | {cid for cid, _ in self.intros_to_other} | set(self.intro_targets)
        return sorted(ids - {self.keep.id, self.other.id})

    def summary(self) -> list[str]:
        """What moves and what conflicts, one line each (indented), for the CLI and the app alike."""
        k, o = f"#{self.keep.id}", f"#{self.other.id}"
        moved = [
            _count(self.interactions, "interaction"), _count(self.hooks, "hook"), _count(self.drafts, "draft"),
            _count(self.promises, "promise"),
        ]  # fmt: skip
        line = "moves " + (", ".join(m for m in moved if m) or "no history")
        if self.duplicate_hooks:
            line += f" ({_count(len(self.duplicate_hooks), 'hook')} {k} already has: dropped)"
        lines = [line]
        if self.new_tags:
            lines.append("tags added: " + ", ".join(self.new_tags))
        if self.taken:
            lines.append(f"fields taken from {o}: " + "; ".join(f"{LABELS[n]} {_short(v)}" for n, v in self.taken))
        if self.conflicts:
            listed = "; ".join(f"{LABELS[n]} {_short(v)}" for n, v in self.conflicts)
            lines.append(f"conflicts, {k}'s values kept ({o}'s go into {k}'s notes): {listed}")
        if self.introduced_by_note:
            lines.append(self.introduced_by_note)
        if self.introduced:
            lines.append(f"introduced by {k} from now on: " + ", ".join(f"#{i} {n}" for i, n in self.introduced))
        if self.intros_to_other:
            who = ", ".join(f"#{i} {n}" for i, n in self.intros_to_other)
            lines.append(f"intros to {o} become intros to {k}: logged on {who}")
        if self.intros_between:
            lines.append(
                f"{_count(self.intros_between, 'intro')} between {k} and {o} point at nobody (they are one person)"
            )
        if self.carry_follow_up:
            lines.append(f"follow-up date {self.other.values['follow_up_on']} taken from {o}")
        if self.carry_done:
            lines.append(f"`crm done` of {self.other.values['done_on']} taken from {o}")
        if self.keep.archived:
            lines.append(
                f"{k} is archived, so nothing will be due: `crm contact archive {self.keep.id} --undo` brings them back"
            )
        return ["  " + text for text in lines]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}" if n else ""


def _short(value: object, width: int = 60) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _same(a: object, b: object) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
    return a == b


def _person(conn: sqlite3.Connection, contact_id: int) -> Person:
    row = conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM contact WHERE id = ?", (contact_id,)).fetchone()
    if row is None:
        raise CrmError(f"no contact has id {contact_id}: see `crm contact list`")
    values = dict(zip(_COLUMNS, row, strict=True))
    return Person(values["id"], values["name"], values)


def _name_of(conn: sqlite3.Connection, contact_id: int) -> str:
    row = conn.execute("SELECT name FROM contact WHERE id = ?", (contact_id,)).fetchone()
    return f"{row[0]} (#{contact_id})" if row else f"#{contact_id}"


def _hook_key(text: str, url: str | None) -> tuple[str, str]:
    return " ".join(text.split()).casefold(), (url or "").strip().casefold()


def _club_merge_check(conn, keep: Person, other: Person) -> bool:
    """On a club's database, CrmError (one line) when another member has anything on OTHER; whether it is a club's.

    A member cannot move another member's private rows (their history with OTHER, their state, their touches), so
    merging OTHER away would leave its shared record standing for them, stripped of its hooks and with KEEP
    carrying its email and LinkedIn URL too: two shared records of one person that every export then refuses.
    Merging the other way round (keeping OTHER) moves only the member's own rows and deletes a record nobody else
    has; when both are in other members' networks, this member cannot merge them either way."""
    from crm.club import is_club

    if not is_club(conn):
        return False
    function = _known_function(conn)
    if not _in_use(conn, other.id, function):
        return True
    head = f"cannot merge {other.label} into {keep.label}"
    if _in_use(conn, keep.id, function):
        raise CrmError(
            f"{head}: other club members have both in their networks, and a member can merge away only a record"
            " nobody else has anything on, so you cannot merge these two either way: keep both"
        )
    raise CrmError(
        f"{head}: another club member has {other.label} in their network, so it must stay; merge the other way"
        f" round, keeping {other.label}: `crm contact merge {other.id} {keep.id}`"
    )


def club_known(conn, ids: Iterable[int]) -> set[int]:
    """Of the contacts `ids`, those another club member has anything of their own on: this member may keep them in a
    merge, never merge them away (`_club_merge_check`). Only on a club's database (crm.club.is_club): two queries,
    however many ids. The duplicate suggestions (crm.contacts.duplicates) keep these, so their commands work."""
    return _others_have(conn, ids, _known_function(conn))


def _known_function(conn) -> str:
    """The club's function that says whether other members have something on a record."""
    # club_others_know: another member's own rows or touches, what a member cannot move. A club whose rules predate
    # it has club_contact_in_use alone, which asked just that then (it counts any hook too now: hooks move).
    known = conn.execute("SELECT to_regprocedure('club_others_know(integer, text)') IS NOT NULL").fetchone()[0]
    return "club_others_know" if known else "club_contact_in_use"


def _others_have(conn, ids: Iterable[int], function: str) -> set[int]:
    """Which of the shared records `ids` another club member has anything of their own on (crm.club.schema's
    `function`), in one query."""
    sql = f"SELECT id FROM unnest(CAST(? AS integer[])) AS t(id) WHERE {function}(id, current_user::text)"
    return {row[0] for row in conn.execute(sql, (sorted(set(ids)),))}


def _in_use(conn, contact_id: int, function: str) -> bool:
    """Whether another club member has anything of their own on the shared record."""
    return contact_id in _others_have(conn, (contact_id,), function)


def _shared_record_left(conn, contact_id: int) -> bool:
    return conn.execute("SELECT 1 FROM club_contact WHERE id = ?", (contact_id,)).fetchone() is not None


def plan_merge(conn: sqlite3.Connection, keep_id: int, other_id: int) -> MergePlan:
    """What merging contact `other_id` into `keep_id` would do; CrmError when they are one and the same contact.

    Plain sqlite3 reads (`store.reader`, or `raw_connection(session)` inside the merging transaction).
    """
    keep, other = _person(conn, keep_id), _person(conn, other_id)
    if keep.id == other.id:
        raise CrmError(f"{keep.name} (#{keep.id}) is the same contact twice: give two different contacts to merge")
    plan = MergePlan(keep, other)
    if getattr(conn, "dialect", "sqlite") == "postgresql":  # SQLite neither imports nor asks the club's rules
        plan.club = _club_merge_check(conn, keep, other)
    k, o = keep.values, other.values

    for name in MERGED_FIELDS:
        mine, theirs = k[name], o[name]
        if _empty(theirs) or _same(mine, theirs):
            continue
        (plan.taken if _empty(mine) else plan.conflicts).append((name, theirs))

    # Who introduced this person. One of them introducing the other is one person twice: KEEP then has
    # whoever introduced OTHER (if not KEEP itself), never itself.
    mine, theirs = k["introduced_by_id"], o["introduced_by_id"]
    theirs = None if theirs == keep.id else theirs
    if mine == other.id:
        plan.introduced_by_id = theirs
        instead = f"introduced by {_name_of(conn, theirs)} instead" if theirs else "introduced by nobody"
        plan.introduced_by_note = f"#{keep.id} was introduced by #{other.id}, who is #{keep.id} now: {instead}"
    elif mine is None:
        plan.introduced_by_id = theirs
        if theirs is not None:
            plan.taken.append(("introduced_by_id", _name_of(conn, theirs)))
    else:
        plan.introduced_by_id = mine
        if theirs is not None and theirs != mine:
            plan.conflicts.append(("introduced_by_id", _name_of(conn, theirs)))

    plan.interactions = conn.execute("SELECT count(*) FROM interaction WHERE contact_id = ?", (other.id,)).fetchone()[0]
    plan.drafts = conn.execute("SELECT count(*) FROM draft WHERE contact_id = ?", (other.id,)).fetchone()[0]
    plan.promises = conn.execute("SELECT count(*) FROM promise WHERE contact_id = ?", (other.id,)).fetchone()[0]
    hooks = "SELECT id, text, url FROM hook WHERE contact_id = ? ORDER BY id"
    keep_hooks = {_hook_key(text, url): hid for hid, text, url in conn.execute(hooks, (keep.id,))}
    for hid, text, url in conn.execute(hooks, (other.id,)):
        same = keep_hooks.get(_hook_key(text, url))
        if same is None:
            plan.hooks += 1
        else:
            plan.duplicate_hooks.append((hid, same))

    tags = "SELECT tag FROM contact_tag WHERE contact_id = ? ORDER BY tag"
    if getattr(conn, "dialect", "sqlite") == "postgresql":  # crm.store.dialect: SQLite's order, by code point
        tags += ' COLLATE "C"'
    have = {row[0] for row in conn.execute(tags, (keep.id,))}
    plan.new_tags = [row[0] for row in conn.execute(tags, (other.id,)) if row[0] not in have]

    plan.introduced = conn.execute(
        "SELECT id, name FROM contact WHERE introduced_by_id = ? AND id <> ? ORDER BY id", (other.id, keep.id)
    ).fetchall()
    plan.intros_to_other = conn.execute(
        "SELECT DISTINCT c.id, c.name FROM interaction AS i JOIN contact AS c ON c.id = i.contact_id"
        " WHERE i.intro_to_id = ? AND i.contact_id NOT IN (?, ?) ORDER BY c.id",
        (other.id, keep.id, other.id),
    ).fetchall()
    plan.intro_targets = [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT intro_to_id FROM interaction WHERE contact_id = ? AND intro_to_id NOT IN (?, ?)",
            (other.id, keep.id, other.id),
        )
    ]
    plan.intros_between = conn.execute(
        "SELECT count(*) FROM interaction"
        " WHERE (contact_id = :k AND intro_to_id = :o) OR (contact_id = :o AND intro_to_id = :k)",
        {"k": keep.id, "o": other.id},
    ).fetchone()[0]

    plan.carry_follow_up = k["follow_up_on"] is None and o["follow_up_on"] is not None
    plan.carry_done = o["done_on"] is not None and (
        k["done_on"] is None or (o["done_through_id"] or 0) > (k["done_through_id"] or 0)
    )
    return plan


def merge_contacts(*, session: Session, keep: Contact, other: Contact, settings: Settings | None = None) -> MergePlan:
    """Merge `other` into `keep` and delete `other`, inside the caller's transaction; returns what was done.

    CrmError (nothing changed) when they are the same contact.
    """
    from sqlalchemy import and_, or_, update

    from crm.followups.writes import refresh_contact
    from crm.models import Contact, ContactTag, Draft, Hook, Interaction, Promise, _now
    from crm.store.db import raw_connection
    from crm.store.settings import load_settings

    session.flush()
    plan = plan_merge(raw_connection(session), keep.id, other.id)
    kid, oid = keep.id, other.id
    carried = {name: getattr(other, name) for name in (*MERGED_FIELDS, *_FOLLOW_UP, *_DONE)}

    # Intros between the two first (they would point at the merged person themselves), then the rest.
    between = or_(
        and_(Interaction.contact_id == oid, Interaction.intro_to_id == kid),
        and_(Interaction.contact_id == kid, Interaction.intro_to_id == oid),
    )
    session.execute(update(Interaction).where(between).values(intro_to_id=None))
    session.execute(update(Interaction).where(Interaction.intro_to_id == oid).values(intro_to_id=kid))
    session.execute(update(Interaction).where(Interaction.contact_id == oid).values(contact_id=kid))

    for other_hook_id, keep_hook_id in plan.duplicate_hooks:  # the same research twice: keep one, fill its gaps
        theirs, mine = session.get(Hook, other_hook_id), session.get(Hook, keep_hook_id)
        for name in ("date", "question"):
            if getattr(mine, name) is None and getattr(theirs, name) is not None:
                setattr(mine, name, getattr(theirs, name))
        session.delete(theirs)
    session.flush()
    session.execute(update(Hook).where(Hook.contact_id == oid).values(contact_id=kid))
    session.execute(update(Draft).where(Draft.contact_id == oid).values(contact_id=kid))
    session.execute(update(Promise).where(Promise.contact_id == oid).values(contact_id=kid))
    for tag in plan.new_tags:
        session.add(ContactTag(contact_id=kid, tag=tag))
    session.execute(
        update(Contact).where(Contact.introduced_by_id == oid, Contact.id != kid).values(introduced_by_id=kid)
    )

    session.delete(other)  # what is left of OTHER (its tags) goes by cascade
    session.flush()
    if plan.club and _shared_record_left(raw_connection(session), oid):
        # The view's delete keeps a shared record another member has something on (crm.club.schema): KEEP taking
        # its email and LinkedIn URL would make two records of one person. plan_merge said nobody had; if someone
        # does now, nothing is written.
        raise CrmError(
            f"cannot merge {plan.other.label} into {plan.keep.label}: another club member now has {plan.other.label}"
            f" in their network, so it must stay; merge the other way round: `crm contact merge {oid} {kid}`"
        )

    for name, _ in plan.taken:
        if name != "introduced_by_id":
            setattr(keep, name, carried[name])
    keep.introduced_by_id = plan.introduced_by_id
    if plan.carry_follow_up:
        for name in _FOLLOW_UP:
            setattr(keep, name, carried[name])
    if plan.carry_done:
        for name in _DONE:
            setattr(keep, name, carried[name])
    if plan.note:
        notes = f"{keep.notes.rstrip()}\n{plan.note}" if keep.notes and keep.notes.strip() else plan.note
        # The merged notes must fit as any notes do (else the contact could not be copied or restored later).
        keep.notes = check_length(notes, "text", f"{keep.name}'s notes with the merged values added")
    keep.updated_at = _now()
    session.add(keep)

    settings = settings or load_settings()
    refresh_contact(session, keep, settings=settings)
    for cid in plan.refresh_ids:
        refresh_contact(session, session.get(Contact, cid), settings=settings)
    return plan
