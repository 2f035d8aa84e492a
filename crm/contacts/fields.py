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


# -- how long a value may be ---------------------------------------------------------------------------------------
#
# The longest text crm keeps for each kind of value: one limit per kind, the same on SQLite and PostgreSQL, checked
# wherever values come in (the CLI, the app's forms, the imports, `crm restore` and `crm db copy`), so whatever one
# engine holds the other takes. PostgreSQL is what sets the ceilings: an indexed value (email, LinkedIn URL, tag, a
# project's name) must fit in a b-tree entry (2,704 bytes, so under 676 characters of up to 4 bytes each), and a text
# the search index holds (notes, takeaways, next steps, advice, hooks) must give a tsvector under 1 MB; measured, the
# worst text (distinct one-letter words of a CJK script) gives 6 bytes of tsvector per character, so 20,000
# characters stay under 120 KB. Each limit is far above what a real value needs.


# kind -> (the most characters, what a refusal says after the length: the rule, and why). Plain tuples: this module
# is on the draft's and the app's start-up paths.
LIMITS: dict[str, tuple[int, str]] = {
    "email": (254, "an email address has at most 254 characters (RFC 5321)"),
    # https://www.linkedin.com/in/ (28) and the profile's own part, which LinkedIn caps at 100
    "linkedin": (200, "a LinkedIn profile URL has at most 200 characters"),
    "tag": (50, "a tag has at most 50 characters: a label, not a sentence"),
    # under the one-line fields' 200 with room for crm's own "intro from NAME" and "suggested by NAME" sources
    "name": (150, "a name has at most 150 characters"),
    "line": (200, "a one-line field has at most 200 characters: put the rest in the notes"),
    "url": (2048, "a web address has at most 2,048 characters (what browsers take)"),
    "text": (20_000, "a text has at most 20,000 characters (about 3,000 words)"),
}

# The kind of every column whose values are checked, per table: the entry points check them as values come in, and
# restore (crm.formats.archive) checks a file's rows against the same table. Columns crm writes itself (reasons,
# notes of a follow-up) are left out: their length follows from these.
COLUMN_KINDS = {
    "contact": {
        "name": "name", "email": "email", "linkedin_url": "linkedin", "company": "line", "team": "line",
        "role": "line", "school": "line", "program": "line", "location": "line", "source": "line",
        "cadence": "line", "notes": "text", "stage": "line",
    },
    "contact_tag": {"tag": "tag"},
    "hook": {"text": "text", "url": "url", "question": "text"},
    "interaction": {
        "kind": "line", "notes": "text", "takeaways": "text", "next_step": "text", "advice": "text",
        "suggested": "text",
    },
    "promise": {"text": "text"},
    "project": {"name": "line"},
    "target": {"company": "line", "key": "line"},
    "meta": {"key": "line"},
}  # fmt: skip


def too_long(value: str | None, kind: str) -> str | None:
    """Why `value` is too long for a value of `kind` ('9,032 characters, but an email address has at most 254
    characters (RFC 5321)'), or None when it fits."""
    most, rule = LIMITS[kind]
    if value is None or len(value) <= most:
        return None
    return f"{len(value):,} characters, but {rule}"


class TooLong(CrmError):
    """A value longer than its kind may be (LIMITS)."""


def check_length(value: str | None, kind: str, label: str) -> str | None:
    """`value`, or TooLong naming the field (`label`) when it is longer than a `kind` may be."""
    reason = too_long(value, kind)
    if reason is not None:
        raise TooLong(f"{label}: {reason}")
    return value


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
    return check_length(text, "name", "the name")


def first_name(name: str) -> str:
    """How messages and reasons address someone: the first word of their name."""
    return name.split()[0] if name.split() else name


def normalize_email(value: str) -> str:
    email = value.strip().lower()
    check_length(email, "email", "the email address")
    if not _EMAIL.match(email):
        raise CrmError(f"{value!r} is not an email address: use name@example.com")
    return email


def normalize_linkedin(value: str) -> str:
    """One spelling per profile, so re-imports and lookups match: https://www.linkedin.com/in/<slug>."""
    from urllib.parse import unquote, urlsplit  # only when a LinkedIn URL is given

    raw = check_length(value.strip(), "url", "the LinkedIn URL")  # a pasted one may carry tracking parameters
    url = raw if "://" in raw else "https://" + raw
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")) or len(segments) < 2:
        raise CrmError(f"{value!r} is not a LinkedIn profile URL: use https://www.linkedin.com/in/<name>")
    if segments[0].lower() not in ("in", "pub"):
        raise CrmError(f"{value!r} is not a LinkedIn profile URL: use https://www.linkedin.com/in/<name>")
    slug = unquote(segments[1]).lower()
    return check_length(f"https://www.linkedin.com/in/{slug}", "linkedin", "the LinkedIn URL")


def parse_grad_year(value: str | int, *, today: dt.date) -> int:
    text = str(value).strip().lstrip("'")
    if re.fullmatch(r"\d{2}", text):
        text = "20" + text
    if not re.fullmatch(r"\d{4}", text) or not 1930 <= int(text) <= today.year + 8:
        raise CrmError(f"{value!r} is not a graduation year: use a year like 2019 (1930-{today.year + 8})")
    return int(text)


def normalize_tag(value: str) -> str:
    tag = value.strip().lstrip("#").lower()
    check_length(tag, "tag", "the tag")
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
