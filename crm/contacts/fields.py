"""What users type into contact fields: the set of changes, and normalizing emails, LinkedIn URLs, tags, years."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from crm.errors import CrmError

KINDS = ("message", "reply", "chat", "intro", "referral", "note")
STAGES = ("identified", "contacted", "replied", "chatted", "advocate", "dormant")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TAG = re.compile(r"^[\w][\w./+-]*$")


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
