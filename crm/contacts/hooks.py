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
    link = (url or "").strip() or None
    if link is not None and not link.lower().startswith(("http://", "https://")):
        raise CrmError(f"{url!r} is not a web address: use a URL starting with https://")
    hook = Hook(contact_id=contact.id, text=clean, url=link, date=date)
    session.add(hook)
    session.flush()
    return hook
