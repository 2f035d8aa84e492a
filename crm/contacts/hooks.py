"""Hooks: research about a contact worth citing (a post, a talk, a launch), and the question it inspires."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from crm.contacts.fields import check_length
from crm.errors import CrmError
from crm.models import Contact, Hook


def add_hook(
    *,
    session: Session,
    contact: Contact,
    text: str,
    url: str | None = None,
    date: dt.date | None = None,
    question: str | None = None,
) -> Hook:
    clean = " ".join((text or "").split())
    if not clean:
        raise CrmError("a hook needs text: say what they wrote, said or shipped")
    check_length(clean, "text", "the hook's text")
    link = validate_hook_url(url)
    hook = Hook(contact_id=contact.id, text=clean, url=link, date=date, question=clean_question(question))
    session.add(hook)
    session.flush()
    return hook


def clean_question(question: str | None) -> str | None:
    """The question a hook inspires, on one line and ending in one "?" (None when empty). The app's form asks here too.

    A first message ends its sentence with the question, so "how do you pick metrics" becomes
    "how do you pick metrics?"; a trailing full stop is dropped first.
    """
    clean = " ".join((question or "").split()).rstrip(" .!")
    if not clean.strip("?"):
        return None
    return check_length(clean if clean.endswith("?") else clean + "?", "text", "the hook's question")


def validate_hook_url(url: str | None) -> str | None:
    """A hook's link, trimmed (None when empty); CrmError unless it is a web address. The app's form asks here too."""
    link = check_length((url or "").strip() or None, "url", "the hook's URL")
    if link is not None and not link.lower().startswith(("http://", "https://")):
        raise CrmError(f"{url!r} is not a web address: use a URL starting with https://")
    return link
