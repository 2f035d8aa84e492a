"""Hooks: research about a contact worth citing in a message (a post, a talk, a launch)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from crm.errors import CrmError
from crm.models import Contact, Hook


def add_hook(
    *, session: Session, contact: Contact, text: str, url: str | None = None, date: dt.date | None = None
) -> Hook:
    clean = " ".join((text or "").split())
    if not clean:
        raise CrmError("a hook needs text: say what they wrote, said or shipped")
    link = validate_hook_url(url)
    hook = Hook(contact_id=contact.id, text=clean, url=link, date=date)
    session.add(hook)
    session.flush()
    return hook


def validate_hook_url(url: str | None) -> str | None:
    """A hook's link, trimmed (None when empty); CrmError unless it is a web address. The app's form asks here too."""
    link = (url or "").strip() or None
    if link is not None and not link.lower().startswith(("http://", "https://")):
        raise CrmError(f"{url!r} is not a web address: use a URL starting with https://")
    return link
