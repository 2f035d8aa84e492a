"""What users type into contact fields: the set of changes, and normalizing emails, LinkedIn URLs, tags, years."""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from crm.errors import CrmError

KINDS = ("message", "reply", "chat", "intro", "referral", "note")
STAGES = ("identified", "contacted", "replied", "chatted", "advocate", "dormant")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TAG = re.compile(r"^[\w][\w./+-]*$")


# Categories that draw nothing: controls, format characters (zero-width space, joiners, bidi marks),
# separators, lone combining marks, surrogates, private use and unassigned code points.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})


def clean_name(value: str) -> str:
    """A person's name as stored: NFC (one spelling of "José"), spaces collapsed, and something to see.

    A name of zero-width spaces or joiners alone would look blank in every list and could not be found.
    """
    import unicodedata

    text = " ".join(unicodedata.normalize("NFC", value).split())
    if not any(unicodedata.category(ch) not in _INVISIBLE for ch in text):
        shown = "empty" if not value.strip() else "made only of invisible characters"
        raise CrmError(f"a contact needs a name you can see (this one is {shown}): give a NAME")
    return text


def first_name(name: str) -> str:
    """How messages and reasons address someone: the first word of their name."""
    return name.split()[0] if name.split() else name


def normalize_email(value: str) -> str:
    email = value.strip().lower()
    if not _EMAIL.match(email):
        raise CrmError(f"{value!r} is not an email address: use name@example.com")
    return email


def normalize_linkedin(value: str) -> str:
    """One spelling per profile, so re-imports and lookups match: https://www.linkedin.com/in/<slug>."""
    from urllib.parse import unquote, urlsplit  # only when a LinkedIn URL is given

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


# A NamedTuple, not a dataclass: this module is on the draft's and the app's start-up paths (~5x cheaper to define).
class ContactField(NamedTuple):
    """One editable field of a contact: the CLI options, the app's form and the JSON shape all derive from these."""

    name: str  # the Contact / ContactChanges attribute
    label: str
    help: str
    example: str

    @property
    def option(self) -> str:
        return "--" + ("linkedin" if self.name == "linkedin_url" else self.name.replace("_", "-"))


# The contact's editable columns, in the order forms and `contact show` list them. models.ContactBase declares
# the same columns for the database; a test keeps the two in step.
CONTACT_FIELDS = (
    ContactField("email", "Email", "Email address.", "maya@example.com"),
    ContactField("linkedin_url", "LinkedIn", "LinkedIn profile URL.", "https://www.linkedin.com/in/..."),
    ContactField("company", "Company", "Company, e.g. Spotify.", "Spotify"),
    ContactField("team", "Team", "Team or squad, e.g. Personalization.", "Personalization"),
    ContactField("role", "Role", "Role, e.g. 'Senior PM'.", "Senior Product Manager"),
    ContactField("school", "School", "School, e.g. MIT.", "MIT"),
    ContactField("grad_year", "Grad year", "Graduation year, e.g. 2019.", "2016"),
    ContactField("program", "Program", "Program, e.g. 'Course 6'.", "Course 6"),
    ContactField("location", "Location", "City or office.", "New York"),
    ContactField("source", "Source", "How you found them.", "MIT Alumni Directory"),
    ContactField(
        "cadence", "Cadence", "Keep-in-touch cadence: 'every 4 weeks', monthly, an RRULE...",
        "every 4 weeks (default), monthly, quarterly...",
    ),
    ContactField("notes", "Notes", "Free notes about them.", "anything worth remembering"),
)  # fmt: skip
CONTACT_FIELD_NAMES = tuple(f.name for f in CONTACT_FIELDS)


# What `contact add` / `contact edit` were given: None leaves a field alone, "" clears it. Built from the
# declaration above, so a new column is one new line there.
def _contact_changes() -> type:
    from dataclasses import field, make_dataclass

    return make_dataclass(
        "ContactChanges",
        [("name", "str | None", field(default=None))]
        + [(name, "str | None", field(default=None)) for name in CONTACT_FIELD_NAMES]
        + [
            ("introduced_by", "str | None", field(default=None)),
            ("add_tags", "list[str]", field(default_factory=list)),
            ("remove_tags", "list[str]", field(default_factory=list)),
        ],
    )


def __getattr__(name: str):
    # ContactChanges is made on first use (PEP 562): drafting and the app's first paint import this module only for
    # first_name and the field names, and making a 16-field dataclass costs them about a millisecond.
    if name == "ContactChanges":
        globals()[name] = changes = _contact_changes()
        return changes
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
