"""Contacts: creating, editing, finding (by id, email, LinkedIn URL or part of a name) and listing."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from sqlalchemy import delete, func, select, text
from sqlmodel import Session

from crm.errors import CrmError
from crm.models import Contact, ContactTag, Hook, Interaction, _now
from crm.schedule import refresh_contact

DORMANT_AFTER_DAYS = 90
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TAG = re.compile(r"^[\w][\w./+-]*$")

# Fields a user sets directly; everything else is derived or bookkeeping.
EDITABLE_TEXT = (
    "name", "email", "linkedin_url", "company", "team", "role", "school",
    "program", "location", "source", "cadence", "notes",
)  # fmt: skip


@dataclass
class ContactChanges:
    """What `contact add` / `contact edit` were given: None leaves a field alone, "" clears it."""

    name: str | None = None
    email: str | None = None
    linkedin_url: str | None = None
    company: str | None = None
    team: str | None = None
    role: str | None = None
    school: str | None = None
    grad_year: str | int | None = None
    program: str | None = None
    location: str | None = None
    source: str | None = None
    cadence: str | None = None
    notes: str | None = None
    introduced_by: str | None = None
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)


def normalize_email(value: str) -> str:
    email = value.strip().lower()
    if not _EMAIL.match(email):
        raise CrmError(f"{value!r} is not an email address: use name@example.com")
    return email


def normalize_linkedin(value: str) -> str:
    """One spelling per profile, so re-imports and lookups match: https://www.linkedin.com/in/<slug>."""
    raw = value.strip()
    url = raw if "://" in raw else "https://" + raw
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")) or len(segments) < 2:
        raise CrmError(f"{value!r} is not a LinkedIn profile URL: use https://www.linkedin.com/in/<name>")
    if segments[0].lower() not in ("in", "pub"):
        raise CrmError(f"{value!r} is not a LinkedIn profile URL: use https://www.linkedin.com/in/<name>")
    slug = unquote(segments[1]).lower()
    return f"https://www.linkedin.com/in/{slug}"


def parse_grad_year(value: str | int, *, today: dt.date) -> int:
    text = str(value).strip().lstrip("'")
    if re.fullmatch(r"\d{2}", text):
        text = "20" + text
    if not re.fullmatch(r"\d{4}", text) or not 1930 <= int(text) <= today.year + 8:
        raise CrmError(f"{value!r} is not a graduation year: use a year like 2019 (1930-{today.year + 8})")
    return int(text)


def normalize_tag(value: str) -> str:
    tag = value.strip().lstrip("#").lower()
    if not _TAG.match(tag):
        raise CrmError(f"{value!r} is not a tag: use letters, digits and - _ . / + (no spaces)")
    return tag


def _clean_text(name: str, value: str) -> str | None:
    text = value.strip()
    if name == "name":
        if not text:
            raise CrmError("a contact needs a name: give a non-empty NAME")
        return " ".join(text.split())
    if not text:
        return None
    if name == "email":
        return normalize_email(text)
    if name == "linkedin_url":
        return normalize_linkedin(text)
    if name == "cadence":
        from crm.cadence import parse_cadence

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
                f"edit that contact or use `crm contact merge`"
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


def forget_contact(*, session: Session, contact: Contact) -> None:
    """Delete the contact and, by cascade, every hook, interaction and tag of theirs."""
    session.delete(contact)
    session.flush()


def resolve_contact(session: Session, query: str) -> Contact:
    """Find exactly one contact from an id, an email, a LinkedIn URL or part of a name."""
    text = (query or "").strip()
    if not text:
        raise CrmError("no contact given: use an id, an email, a LinkedIn URL or part of a name")
    if text.lstrip("#").isdigit():
        contact = session.get(Contact, int(text.lstrip("#")))
        if contact is None:
            raise CrmError(f"no contact has id {text}: see `crm contact list`")
        return contact
    if "linkedin.com" in text.lower():
        contact = session.scalar(select(Contact).where(Contact.linkedin_url == normalize_linkedin(text)))
        if contact is None:
            raise CrmError(f"no contact has the LinkedIn URL {text}: see `crm contact list`")
        return contact
    if "@" in text:
        contact = session.scalar(select(Contact).where(Contact.email == text.lower()))
        if contact is None:
            raise CrmError(f"no contact has the email {text}: see `crm contact list`")
        return contact
    matches = find_by_name(session, text)
    if not matches:
        raise CrmError(f"no contact matches {text!r}: see `crm contact list` or add them with `crm contact add`")
    if len(matches) > 1:
        listed = "; ".join(f"#{c.id} {c.name}" + (f" ({c.company})" if c.company else "") for c in matches[:10])
        more = f" and {len(matches) - 10} more" if len(matches) > 10 else ""
        raise CrmError(f"{text!r} matches {len(matches)} contacts: {listed}{more}; use an id or more of the name")
    return matches[0]


def find_by_name(session: Session, text: str) -> list[Contact]:
    """Contacts whose name contains `text` (case-insensitive); an exact full-name match wins."""
    needle = " ".join(text.split()).lower()
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    matches = list(
        session.scalars(
            select(Contact).where(func.lower(Contact.name).like(f"%{escaped}%", escape="\\")).order_by(Contact.id)
        )
    )
    exact = [c for c in matches if c.name.lower() == needle]
    return exact if exact else matches


def find_exact_name(session: Session, name: str) -> list[Contact]:
    needle = " ".join(name.split()).lower()
    return list(session.scalars(select(Contact).where(func.lower(Contact.name) == needle).order_by(Contact.id)))


_CAN_GO_DORMANT = ("contacted", "replied", "chatted")


def displayed_stage(stage: str, last_interaction: dt.date | None, *, today: dt.date) -> str:
    """Stored stage, except that a conversation gone quiet for 90 days reads as dormant."""
    if (
        stage in _CAN_GO_DORMANT
        and last_interaction is not None
        and (today - last_interaction).days > DORMANT_AFTER_DAYS
    ):
        return "dormant"
    return stage


def tags_of(session: Session, contact_id: int) -> list[str]:
    return list(
        session.scalars(select(ContactTag.tag).where(ContactTag.contact_id == contact_id).order_by(ContactTag.tag))
    )


_LIST_SQL = """
SELECT c.id, c.name, c.email, c.company, c.team, c.role, c.stage, c.archived, c.next_follow_up,
       (SELECT max(i.date) FROM interaction AS i WHERE i.contact_id = c.id) AS last_interaction,
       (SELECT group_concat(t.tag, ',') FROM contact_tag AS t WHERE t.contact_id = c.id) AS tags
FROM contact AS c
WHERE {where}
ORDER BY lower(c.name), c.id
"""

_SEARCHED = (
    "lower(c.name) LIKE :q OR lower(c.company) LIKE :q OR lower(c.team) LIKE :q OR lower(c.role) LIKE :q"
    " OR c.email LIKE :q"
    " OR c.id IN (SELECT h.contact_id FROM hook AS h WHERE lower(h.text) LIKE :q)"
    " OR c.id IN (SELECT t.contact_id FROM contact_tag AS t WHERE t.tag LIKE :q)"
)


def list_contacts(
    session: Session,
    *,
    today: dt.date,
    search: str | None = None,
    tag: str | None = None,
    include_archived: bool = False,
) -> list[dict]:
    """Summary rows for every matching contact, sorted by name.

    One statement with correlated subqueries served by the (contact_id, date) index, with
    dates kept as the ISO text SQLite stores: this is the hot path of `contact list`.
    """
    where = ["1 = 1"]
    params: dict[str, object] = {}
    if not include_archived:
        where.append("c.archived = 0")
    if tag:
        where.append("c.id IN (SELECT t.contact_id FROM contact_tag AS t WHERE t.tag = :tag)")
        params["tag"] = normalize_tag(tag)
    if search and search.strip():
        where.append(f"({_SEARCHED})")
        params["q"] = f"%{search.strip().lower()}%"
    sql = text(_LIST_SQL.format(where=" AND ".join(where)))
    dormant_before = (today - dt.timedelta(days=DORMANT_AFTER_DAYS)).isoformat()
    rows = []
    for cid, name, email, company, team, role, stage, archived, next_due, last, tags in session.execute(sql, params):
        if stage in _CAN_GO_DORMANT and last is not None and last < dormant_before:
            stage = "dormant"
        rows.append(
            {
                "id": cid,
                "name": name,
                "email": email,
                "company": company,
                "team": team,
                "role": role,
                "stage": stage,
                "last_interaction": last,
                "next_follow_up": next_due,
                "tags": sorted(tags.split(",")) if tags else [],
                "archived": bool(archived),
            }
        )
    return rows


def contact_details(session: Session, contact: Contact, *, today: dt.date) -> dict:
    """Everything about one contact: every field, tags, hooks and the timeline, newest first."""
    hooks = session.scalars(
        select(Hook).where(Hook.contact_id == contact.id).order_by(Hook.date.desc().nulls_last(), Hook.id.desc())
    )
    interactions = list(
        session.scalars(
            select(Interaction)
            .where(Interaction.contact_id == contact.id)
            .order_by(Interaction.date.desc(), Interaction.id.desc())
        )
    )
    last = interactions[0].date if interactions else None
    introducer = session.get(Contact, contact.introduced_by_id) if contact.introduced_by_id else None
    names = _names_for(session, {i.intro_to_id for i in interactions if i.intro_to_id})
    data = {name: getattr(contact, name) for name in (*EDITABLE_TEXT, "grad_year")}
    data.update(
        {
            "id": contact.id,
            "stage": displayed_stage(contact.stage, last, today=today),
            "archived": contact.archived,
            "last_interaction": last.isoformat() if last else None,
            "next_follow_up": contact.next_follow_up.isoformat() if contact.next_follow_up else None,
            "next_follow_up_reason": contact.next_follow_up_reason,
            "introduced_by": ({"id": introducer.id, "name": introducer.name} if introducer else None),
            "tags": tags_of(session, contact.id),
            "created_at": contact.created_at.isoformat(),
            "updated_at": contact.updated_at.isoformat(),
            "hooks": [{"text": h.text, "url": h.url, "date": h.date.isoformat() if h.date else None} for h in hooks],
            "interactions": [
                {
                    "kind": i.kind,
                    "date": i.date.isoformat(),
                    "notes": i.notes,
                    "takeaways": i.takeaways,
                    "next_step": i.next_step,
                    "follow_up": i.follow_up.isoformat() if i.follow_up else None,
                    "intro_to": ({"id": i.intro_to_id, "name": names.get(i.intro_to_id)} if i.intro_to_id else None),
                }
                for i in interactions
            ],
        }
    )
    return data


def _names_for(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(Contact.id, Contact.name).where(Contact.id.in_(ids))).all())
