"""Contacts: creating, editing, finding (by id, email, LinkedIn URL or part of a name) and listing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlmodel import Session

from crm.contacts.fields import ContactChanges, normalize_email, normalize_linkedin, normalize_tag, parse_grad_year
from crm.contacts.reads import find_exact_name as directory_exact_name
from crm.contacts.reads import resolve_contact_id
from crm.errors import CrmError
from crm.followups.writes import refresh_contact
from crm.models import Contact, ContactTag, _now
from crm.store.db import raw_connection

# Fields a user sets directly; everything else is derived or bookkeeping.
EDITABLE_TEXT = (
    "name", "email", "linkedin_url", "company", "team", "role", "school",
    "program", "location", "source", "cadence", "notes",
)  # fmt: skip


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


def forget_contact(*, session: Session, contact: Contact) -> None:
    """Delete the contact and, by cascade, every hook, interaction and tag of theirs."""
    session.delete(contact)
    session.flush()


def resolve_contact(session: Session, query: str) -> Contact:
    """Find exactly one contact from an id, an email, a LinkedIn URL or part of a name."""
    return session.get(Contact, resolve_contact_id(raw_connection(session), query))


def find_exact_name(session: Session, name: str) -> list[Contact]:
    return [session.get(Contact, cid) for cid in directory_exact_name(raw_connection(session), name)]
